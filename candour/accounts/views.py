from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from candour.accounts import two_factor
from candour.accounts.forms import SignInForm
from candour.shell.forms import GovukForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}

    def get_success_url(self):
        """After the password, the second factor: enter a code, or set up an app where it is required."""
        url = super().get_success_url()
        user = self.request.user
        if user.is_authenticated and not two_factor.is_verified(user):
            if two_factor.has_two_factor(user):
                return f"{reverse('accounts:two-factor-verify')}?{urlencode({'next': url})}"
            if two_factor.requires_two_factor(user):
                return f"{reverse('accounts:two-factor-set-up')}?{urlencode({'next': url})}"
        return url


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when an account is locked after repeated failed sign-ins."""
    return render(
        request,
        "accounts/locked_out.html",
        {"page_title": "Your account is locked"},
        status=429,
    )


class CodeForm(GovukForm):
    code = forms.CharField(label="Code from your authenticator app", max_length=20, required=False)

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"] if not ch.isspace())
        if not code:
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code must be 6 digits")
        return code


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("staff:home")


def _locked(request):
    if AxesProxyHandler.is_locked(request, {"username": request.user.get_username()}):
        logout(request)
        return locked_out(request)
    return None


def _wrong_code(form, device, wait: int) -> None:
    if wait:
        form.add_error("code", f"Too many wrong codes. Wait {wait} seconds, then enter the current code")
    else:
        form.add_error("code", "The code is not right. Enter the current code from your authenticator app")


@login_required
def two_factor_set_up(request):
    """Scan a QR code (or type the secret) into an authenticator app, then enter a code to confirm it."""
    if two_factor.is_verified(request.user):
        messages.info(request, "Two-factor authentication is already set up for this sign-in.")
        return redirect(_next_url(request))
    if two_factor.has_two_factor(request.user):
        return redirect(f"{reverse('accounts:two-factor-verify')}?{urlencode({'next': _next_url(request)})}")
    if (locked := _locked(request)) is not None:
        return locked
    device = two_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = two_factor.throttle_seconds(device)
        if two_factor.confirm_device(request, device, form.cleaned_data["code"]):
            messages.success(request, "Two-factor authentication is set up.")
            return redirect(_next_url(request))
        _wrong_code(form, device, wait)
    context = {
        "page_title": "Set up two-factor authentication",
        "form": form,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "required": two_factor.requires_two_factor(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_set_up.html", context, status=200 if not form.errors else 400)


@login_required
def two_factor_verify(request):
    """Enter a code from the authenticator app after signing in with a password."""
    if two_factor.is_verified(request.user):
        return redirect(_next_url(request))
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('accounts:two-factor-set-up')}?{urlencode({'next': _next_url(request)})}")
    if (locked := _locked(request)) is not None:
        return locked
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = two_factor.throttle_seconds(device)
        if two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        _wrong_code(form, device, wait)
    context = {"page_title": "Enter your two-factor code", "form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context, status=200 if not form.errors else 400)
