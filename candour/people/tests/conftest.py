"""Fixtures for People: an agency with its defaults, and a helper to record completions directly."""

import datetime

import pytest

from candour.people import services
from candour.people.models import TrainingModule

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Many colleagues are made per test; hashing their passwords properly is not what is under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agency(tree):
    services.ensure_defaults(tree["agency"])
    return tree["agency"]


@pytest.fixture
def module(agency):
    def get(code, org=None):
        return TrainingModule.objects.get(organisation=org or agency, code=code)

    return get


@pytest.fixture
def complete(module):
    """complete(user, code, completed_on, **extra) records a completion through the service."""

    def make(user, code, completed_on, org=None, **extra):
        return services.record_completion(
            actor=None, user=user, module=module(code, org), completed_on=completed_on, **extra
        )

    return make
