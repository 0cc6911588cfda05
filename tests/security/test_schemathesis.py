"""Property-based API testing: every operation in the OpenAPI schema, with generated input, never answers 5xx
and always answers as the schema says (status codes, content type, body shape).

The schema is loaded from the app itself (`/api/schema/`) and the calls go straight into the WSGI app, with
a complaints manager's token so the staff operations are exercised past authentication. A few complaints
exist so that generated references sometimes hit (and the list has something to page through).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from candour.complaints import services
from candour.complaints.services import PointInput
from candour.organisations.roles import Role

pytestmark = [pytest.mark.slow]

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go straight into the WSGI app, so Django's request signals would close the test's database
    connection after each one (Django's own test client disconnects them in the same way)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(tree, member, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"complaint_intake": "100000/min"},
    }
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    member(Role.INVESTIGATOR, tree["agency"], username="investigator")
    for n in range(3):
        services.create_complaint(
            actor=None,
            organisation=tree["agency"],
            channel="online",
            description=f"Complaint {n}",
            complainant_name="Person",
            complainant_email="person@example.com",
            points=[PointInput(f"Point {n}")],
        )
    return Token.objects.create(user=manager).key


# Generating the schema reads no database, so it can be loaded when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=15,  # per operation; 25 finds nothing more and doubles the time
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_the_schema_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_without_a_token_no_operation_fails(case, db):
    case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])
