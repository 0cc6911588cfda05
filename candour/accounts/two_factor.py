"""Two-factor authentication with an authenticator app (TOTP, django-otp).

Required for anyone whose role says so (`RoleSpec.requires_two_factor`: system administrators) and for
anyone who can use the Django admin (staff and superusers). Anyone else may set it up; once set up, it is
asked for at every sign-in.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from candour.audit import services as audit
from candour.organisations.roles import ROLE_SPECS

DEVICE_NAME = "Authenticator app"
ISSUER = "Candour"


def requires_two_factor(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    roles = user.memberships.values_list("role", flat=True)
    return any(ROLE_SPECS[role].requires_two_factor for role in roles if role in ROLE_SPECS)


def is_verified(user) -> bool:
    """True when this session entered a code (django-otp's OTPMiddleware adds `is_verified` to request.user)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_two_factor(user) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The device being set up: made once and kept until confirmed, so reloading the page keeps the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    # django-otp's config_url: otpauth://totp/<label>?secret=<base32>&issuer=...
    return device.config_url


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for people who type it into their app."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning address as an inline SVG QR code (no script, so the CSP allows it)."""
    image = qrcode.make(provisioning_uri(device), image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration so it can sit inside HTML.
    return svg[svg.index("<svg") :]


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def _failed(request, user) -> None:
    """A wrong code counts towards the same sign-in lockout as a wrong password (django-axes)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


@transaction.atomic
def confirm_device(request, device: TOTPDevice, code: str) -> bool:
    """Check the first code from a new app; if right, the device is confirmed and this session is verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(_clean(code)):
        _failed(request, request.user)
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    otp_login(request, device)
    audit.record(actor=request.user, verb="two_factor_set_up", obj=request.user, summary="Set up two-factor")
    return True


def verify(request, code: str) -> bool:
    """Check a code after password sign-in; if right, this session is verified."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=request.user, confirmed=True).first()
        ok = device is not None and device.verify_token(_clean(code))
    if not ok:
        _failed(request, request.user)
        return False
    otp_login(request, device)
    return True


def throttle_seconds(device: TOTPDevice | None) -> int:
    """How long to wait before another code will be checked (after wrong codes); 0 if none."""
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data:
        return 0
    locked_until = data.get("locked_until")
    if locked_until is None:
        return 0
    from django.utils import timezone

    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
