"""Shared fixtures: a small organisation tree and colleagues in each role, made through the services."""

import pytest

from candour.organisations import services as org_services
from candour.organisations.models import Kind, Nation
from candour.organisations.roles import Role

PASSWORD = "a-long-test-password-123"


@pytest.fixture
def make_user(django_user_model):
    counter = {"n": 0}

    def make(username=None, **fields):
        counter["n"] += 1
        username = username or f"user{counter['n']}"
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)

    return make


@pytest.fixture
def tree(db):
    """A department (England) with an agency (Wales) and an NDPB (Scotland), and a team in the agency."""
    dept = org_services.create_organisation(
        actor=None, slug="dept", name="Department", kind=Kind.DEPARTMENT, nation=Nation.ENGLAND, accepts_complaints=True
    )
    agency = org_services.create_organisation(
        actor=None,
        slug="agency",
        name="Agency",
        kind=Kind.EXECUTIVE_AGENCY,
        parent=dept,
        nation=Nation.WALES,
        accepts_complaints=True,
        welsh_language_service=True,
    )
    sibling = org_services.create_organisation(
        actor=None,
        slug="sibling",
        name="Sibling Body",
        kind=Kind.NDPB,
        parent=dept,
        nation=Nation.SCOTLAND,
        accepts_complaints=True,
    )
    team = org_services.create_organisation(actor=None, slug="agency-team", name="Team", kind=Kind.TEAM, parent=agency)
    return {"dept": dept, "agency": agency, "sibling": sibling, "team": team}


@pytest.fixture
def member(make_user):
    """member(role, organisation) -> a user holding that role there."""

    def make(role: str, organisation, username=None):
        user = make_user(username=username or f"{role}-{organisation.slug}")
        org_services.add_membership(actor=None, user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def handler(member, tree):
    return member(Role.COMPLAINT_HANDLER, tree["agency"])


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The production hasher is deliberately slow; tests don't need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Public-form rate limits count across tests in one process; tests of the limits set their own.
    settings.CANDOUR_PUBLIC_POST_LIMITS = {}


@pytest.fixture
def notify_stub(settings):
    """A local GOV.UK Notify (tests/support/notify_stub.py) with Candour's Notify settings pointing at it."""
    from tests.support.notify_stub import NotifyStub

    with NotifyStub() as stub:
        settings.GOVUK_NOTIFY_API_KEY = stub.api_key
        settings.GOVUK_NOTIFY_BASE_URL = stub.base_url
        settings.GOVUK_NOTIFY_EMAIL_TEMPLATE_ID = stub.template_id
        yield stub


def verify_two_factor(client, user) -> None:
    """Mark the client's session as having passed two-factor (a confirmed authenticator app, code entered)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's superuser client, signed in with two-factor as the admin now requires."""
    client.force_login(admin_user)
    verify_two_factor(client, admin_user)
    return client
