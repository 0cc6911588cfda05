import pytest
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_colleague_signs_in_and_sees_their_roles(client, handler):
    response = client.post(reverse("accounts:sign-in"), {"username": handler.username, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("staff:home")).content.decode()
    assert "Complaint handler — Agency" in page


def test_a_blank_form_gets_govuk_errors_and_keeps_the_username(client, db):
    response = client.post(reverse("accounts:sign-in"), {"username": "someone", "password": ""})
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_password"' in page and "Enter your password" in page
    assert 'value="someone"' in page
    assert page.count("<title>Error:") == 1


def test_five_failures_lock_the_account_even_with_the_right_password(client, handler):
    for _ in range(5):
        client.post(reverse("accounts:sign-in"), {"username": handler.username, "password": "wrong-password-x"})
    response = client.post(reverse("accounts:sign-in"), {"username": handler.username, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Your account is locked" in response.content


def test_weak_passwords_are_refused(handler):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short1", handler)
    with pytest.raises(ValidationError):
        validate_password("password1234", handler)
    validate_password("correct horse battery staple", handler)


def test_the_sign_out_link_leads_to_a_button_that_signs_out(client, handler):
    client.force_login(handler)
    page = client.get(reverse("accounts:sign-out"))
    assert page.status_code == 200 and b'<form method="post"' in page.content
    assert client.get(reverse("staff:home")).status_code == 200  # a GET alone does not sign out
    assert client.post(reverse("accounts:sign-out")).status_code == 302
    assert client.get(reverse("staff:home")).status_code == 302
