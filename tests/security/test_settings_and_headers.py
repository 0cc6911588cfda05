"""Security headers and production configuration, as a browser (or an operator starting the service) sees them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from candour.accounts.client_address import client_address

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "CANDOUR_ENV": "production",
    "SECRET_KEY": "x7!k2#q9zL@p4$Vw8^mN3&rT6*yB1(cF5)hJ0-sD+gA_eU=iO" + "Q" * 10,
    "ALLOWED_HOSTS": "complaints.example.gov.uk",
}


def run_manage(*args, env, tmp_path):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "CANDOUR_ENV"}}
    base.update({"CANDOUR_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=180
    )


@pytest.mark.django_db
def test_every_page_carries_csp_and_frame_protection(client):
    for url in (reverse("shell:home"), reverse("accounts:sign-in"), "/cy/"):
        response = client.get(url)
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    result = run_manage("check", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


PRODUCTION_PROBE = """
import json
from django.conf import settings
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.test import Client
from candour.accounts.models import User
User.objects.create_user("probe", password="a-long-test-password-123")
client = Client(HTTP_HOST="complaints.example.gov.uk")
insecure = client.get("/staff/sign-in/")
page = client.get("/staff/sign-in/", secure=True)
signed_in = client.post("/staff/sign-in/", {"username": "probe", "password": "a-long-test-password-123"}, secure=True)
def cookie(response, name):
    morsel = response.cookies.get(name)
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"])} if morsel else None
print(json.dumps({
    "insecure_status": insecure.status_code, "insecure_location": insecure.get("Location", ""),
    "status": page.status_code, "hsts": page.get("Strict-Transport-Security", ""),
    "csp": page.get("Content-Security-Policy", ""), "frame": page.get("X-Frame-Options", ""),
    "csrf": cookie(page, "csrftoken"), "signed_in_status": signed_in.status_code,
    "session": cookie(signed_in, "sessionid"),
}))
"""


@pytest.mark.slow
def test_production_sends_hsts_redirects_to_https_and_marks_cookies_secure(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3"}
    migrated = run_manage("migrate", "--no-input", env=env, tmp_path=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    result = run_manage("shell", "-c", PRODUCTION_PROBE, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["insecure_status"] == 301 and seen["insecure_location"].startswith("https://")
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=63072000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in seen["csp"] and seen["frame"] == "DENY"
    assert seen["csrf"] == {"secure": True, "httponly": False}
    assert seen["signed_in_status"] == 302
    assert seen["session"] == {"secure": True, "httponly": True}


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # no proxy configured: the header is ignored
        (1, "203.0.113.9", "10.0.0.1", "203.0.113.9"),  # one proxy appended the client
        (1, "198.51.100.66, 203.0.113.9", "10.0.0.1", "203.0.113.9"),  # a forged left-hand entry is ignored
        (2, "203.0.113.9, 10.0.0.2", "10.0.0.1", "203.0.113.9"),  # two proxies
        (2, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # fewer entries than proxies: fall back
    ],
)
def test_lockout_counts_the_real_client_address_behind_trusted_proxies(count, forwarded, remote, expected):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_address(request) == expected


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_one_attacker_cannot_lock_a_colleague_out_everywhere(client, handler):
    sign_in = reverse("accounts:sign-in")
    for _ in range(5):
        client.post(
            sign_in,
            {"username": handler.username, "password": "wrong-password-x"},
            HTTP_X_FORWARDED_FOR="198.51.100.66",
            REMOTE_ADDR="10.0.0.1",
        )
    locked = client.post(
        sign_in,
        {"username": handler.username, "password": "a-long-test-password-123"},
        HTTP_X_FORWARDED_FOR="198.51.100.66",
        REMOTE_ADDR="10.0.0.1",
    )
    assert locked.status_code == 429
    colleague = client.post(
        sign_in,
        {"username": handler.username, "password": "a-long-test-password-123"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="10.0.0.1",
    )
    assert colleague.status_code == 302
