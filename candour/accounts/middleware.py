"""Enforce two-factor authentication where it is required."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from candour.accounts.two_factor import has_two_factor, is_verified, requires_two_factor

# Paths that need a verified second factor from those who must have one (and from anyone who set one up).
PROTECTED_PREFIXES = ("/staff/", "/admin/", "/api/")


class TwoFactorMiddleware:
    """After OTPMiddleware: a signed-in colleague who must use two-factor (or has set it up) and has not
    entered a code this session is sent to set it up or to enter a code, for every staff page, the admin
    and the session-authenticated API. Token-authenticated API requests are not session sign-ins and
    are not affected (`request.user` is anonymous here for them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._check(request)
        return response if response is not None else self.get_response(request)

    def _check(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not request.path.startswith(PROTECTED_PREFIXES):
            return None
        if request.path in _exempt_paths():
            return None
        if is_verified(user):
            return None
        enrolled = has_two_factor(user)
        if not enrolled and not requires_two_factor(user):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Two-factor authentication is required: sign in to the staff pages and enter a code."},
                status=403,
            )
        target = reverse("accounts:two-factor-verify" if enrolled else "accounts:two-factor-set-up")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


def _exempt_paths() -> frozenset[str]:
    return frozenset(
        reverse(name)
        for name in (
            "accounts:two-factor-set-up",
            "accounts:two-factor-verify",
            "accounts:sign-in",
            "accounts:sign-out",
            "admin:logout",
        )
    )
