"""Two-factor authentication: set-up with an authenticator app, a code at every sign-in, and enforcement for
system administrators and the Django admin."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from candour.audit.models import AuditEvent
from candour.organisations.roles import Role
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def sign_in(client, user):
    return client.post(reverse("accounts:sign-in"), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def admin_user(member, tree):
    return member(Role.SYSTEM_ADMIN, tree["dept"], username="sysadmin")


def test_a_system_administrator_must_set_up_two_factor_before_any_staff_page(client, admin_user):
    response = sign_in(client, admin_user)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-set-up"))
    for url in (reverse("staff:home"), reverse("audit:search"), "/admin/", "/api/v1/organisations?x=1"):
        blocked = client.get(url)
        if url.startswith("/api/"):
            continue  # the public organisations list is not a protected area for anyone
        assert blocked.status_code == 302 and reverse("accounts:two-factor-set-up") in blocked["Location"], url

    page = client.get(reverse("accounts:two-factor-set-up"))
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed and len(secret.replace(" ", "")) >= 32

    confirmed = client.post(
        reverse("accounts:two-factor-set-up"), {"code": current_code(device), "next": reverse("audit:search")}
    )
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("audit:search")
    assert client.get(reverse("audit:search")).status_code == 200
    assert TOTPDevice.objects.get(user=admin_user).confirmed
    assert AuditEvent.objects.filter(verb="two_factor_set_up", actor=admin_user).exists()


def test_the_same_secret_is_shown_until_the_app_is_confirmed(client, admin_user):
    sign_in(client, admin_user)
    first = client.get(reverse("accounts:two-factor-set-up")).content.decode()
    second = client.get(reverse("accounts:two-factor-set-up")).content.decode()
    pattern = r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>'
    assert re.search(pattern, first).group(1) == re.search(pattern, second).group(1)


def test_a_wrong_code_is_refused_with_a_govuk_error(client, admin_user):
    sign_in(client, admin_user)
    client.get(reverse("accounts:two-factor-set-up"))
    device = TOTPDevice.objects.get(user=admin_user)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:two-factor-set-up"), {"code": wrong})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "The code is not right" in html
    assert not TOTPDevice.objects.get(user=admin_user).confirmed
    assert client.get(reverse("staff:home")).status_code == 302


def enrolled(client, user):
    """Sign in, set up an app, sign out; returns the device."""
    sign_in(client, user)
    client.get(reverse("accounts:two-factor-set-up"))
    device = TOTPDevice.objects.get(user=user)
    assert client.post(reverse("accounts:two-factor-set-up"), {"code": current_code(device)}).status_code == 302
    client.post(reverse("accounts:sign-out"))
    device.refresh_from_db()
    return device


def test_after_set_up_every_sign_in_asks_for_a_code(client, admin_user):
    device = enrolled(client, admin_user)
    response = sign_in(client, admin_user)
    assert response["Location"].startswith(reverse("accounts:two-factor-verify"))
    assert client.get(reverse("staff:home"))["Location"].startswith(reverse("accounts:two-factor-verify"))
    # The code used at set-up cannot be replayed; the next one works.
    ok = client.post(reverse("accounts:two-factor-verify"), {"code": current_code(device, offset_steps=1)})
    assert ok.status_code == 302
    assert client.get(reverse("staff:home")).status_code == 200


def test_wrong_codes_are_throttled_and_count_towards_the_lockout(client, admin_user):
    device = enrolled(client, admin_user)
    sign_in(client, admin_user)
    wrong = f"{(int(current_code(device, 1)) + 1) % 1000000:06d}"
    first = client.post(reverse("accounts:two-factor-verify"), {"code": wrong})
    assert first.status_code == 400
    # Straight after a wrong code even the right one is not checked (django-otp throttling).
    right_too_soon = client.post(reverse("accounts:two-factor-verify"), {"code": current_code(device, 1)})
    assert right_too_soon.status_code == 400 and "Too many wrong codes" in right_too_soon.content.decode()
    for _ in range(3):
        client.post(reverse("accounts:two-factor-verify"), {"code": wrong})
    # Five failures in all: the account is locked, as after five wrong passwords.
    locked = client.post(reverse("accounts:two-factor-verify"), {"code": wrong})
    assert locked.status_code == 429 and b"Your account is locked" in locked.content
    again = sign_in(client, admin_user)
    assert again.status_code == 429


def test_the_password_lockout_still_applies_to_two_factor_users(client, admin_user):
    enrolled(client, admin_user)
    for _ in range(5):
        client.post(reverse("accounts:sign-in"), {"username": admin_user.username, "password": "wrong-password-x"})
    assert sign_in(client, admin_user).status_code == 429


def test_the_django_admin_is_closed_to_a_superuser_until_verified(client, make_user, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    assert client.post("/admin/login/", {"username": "boss", "password": PASSWORD}).status_code == 302
    blocked = client.get("/admin/")
    assert blocked.status_code == 302 and reverse("accounts:two-factor-set-up") in blocked["Location"]
    assert client.get("/admin/accounts/user/").status_code == 302
    client.get(reverse("accounts:two-factor-set-up"))
    device = TOTPDevice.objects.get(user=boss)
    client.post(reverse("accounts:two-factor-set-up"), {"code": current_code(device)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_the_session_api_refuses_an_unverified_administrator(client, admin_user):
    sign_in(client, admin_user)
    response = client.get("/api/schema/")
    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"]


def test_a_handler_need_not_set_up_two_factor_but_may(client, handler):
    assert sign_in(client, handler)["Location"] == reverse("staff:home")
    assert client.get(reverse("staff:home")).status_code == 200
    page = client.get(reverse("accounts:two-factor-set-up"))
    assert page.status_code == 200 and "You cannot use Candour until" not in page.content.decode()
    device = TOTPDevice.objects.get(user=handler)
    client.post(reverse("accounts:two-factor-set-up"), {"code": current_code(device)})
    client.post(reverse("accounts:sign-out"))
    assert sign_in(client, handler)["Location"].startswith(reverse("accounts:two-factor-verify"))


def test_next_never_leaves_the_site(client, admin_user):
    device = enrolled(client, admin_user)
    sign_in(client, admin_user)
    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": current_code(device, 1), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("staff:home")
