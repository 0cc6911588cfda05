import datetime

import pytest

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run tasks as soon as they are enqueued (tests that need the database queue override TASKS again)."""
    settings.TASKS = IMMEDIATE
    settings.GOVUK_NOTIFY_API_KEY = ""


@pytest.fixture
def acknowledgement_context():
    return {
        "reference": "CMP-2025-000123",
        "organisation_name": "Agency",
        "due_date": datetime.date(2025, 3, 7),
        "name": "Siân Jones",
    }
