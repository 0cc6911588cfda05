"""The complaints JSON API, as a script or an integrating service would use it."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from candour.audit.models import AuditEvent
from candour.complaints import services
from candour.complaints.models import Channel, Complaint, StageTransition
from candour.complaints.services import PointInput
from candour.organisations.models import ServiceArea
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)  # a Tuesday


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def api_as(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


VALID_PUBLIC = {
    "description": "My licence application has been waiting for four months.",
    "complainant_name": "Alex Example",
    "complainant_email": "alex@example.com",
    "points": [{"summary": "The delay", "outcome_sought": "A decision"}],
}


def record(organisation, *, actor=None, received_on=TODAY, **fields):
    fields.setdefault("complainant_name", "Sam Person")
    fields.setdefault("complainant_email", "sam@example.com")
    complaint, _ = services.create_complaint(
        actor=actor,
        organisation=organisation,
        channel=fields.pop("channel", Channel.EMAIL),
        description=fields.pop("description", "Something went wrong."),
        received_on=received_on,
        points=[PointInput("A point", "An apology")],
        **fields,
    )
    return complaint


# ---- public intake -----------------------------------------------------------------------------------


def test_a_member_of_the_public_can_complain_and_is_told_the_dates(tree):
    response = api_as().post("/api/v1/organisations/agency/complaints", VALID_PUBLIC, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "reference": "AGENCY-2026-000001",
        "organisation": "agency",
        "status": "received",
        # Tuesday 10 March 2026: 3 working days -> Friday 13; 5 -> Tuesday 17.
        "acknowledgement_due": "2026-03-13",
        "response_due": "2026-03-17",
    }
    complaint = Complaint.objects.get(reference=body["reference"])
    assert complaint.channel == Channel.ONLINE and complaint.complainant_email == "alex@example.com"
    assert [p.summary for p in complaint.points.all()] == ["The delay"]
    # No personal data in the public answer.
    assert "Alex" not in response.content.decode()


def test_public_intake_explains_every_problem_with_the_fields(tree):
    response = api_as().post(
        "/api/v1/organisations/agency/complaints",
        {"description": "  ", "complainant_email": "not-an-email", "on_behalf_of_someone": True},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["description"] and errors["complainant_email"] == ["Enter a valid email address."]
    assert not Complaint.objects.exists()

    response = api_as().post(
        "/api/v1/organisations/agency/complaints",
        {"description": "x", "on_behalf_of_someone": True, "preferred_contact": "phone"},
        format="json",
    )
    errors = response.json()
    assert errors["complainant_name"] == ["Enter your name, or say that you want to complain anonymously."]
    assert errors["complainant_phone"] == ["Enter a phone number, or choose another way to contact you."]
    assert errors["person_affected_name"] and errors["consent_confirmed"]


def test_events_in_the_future_and_too_many_points_are_refused(tree):
    response = api_as().post(
        "/api/v1/organisations/agency/complaints",
        {**VALID_PUBLIC, "events_date": "2026-04-01", "points": [{"summary": "p"}] * 21},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["events_date"] == ["The date of the events must be today or in the past."]
    assert response.json()["points"] == ["Give at most 20 points of complaint."]


def test_an_anonymous_complaint_keeps_no_contact_details_and_respects_the_organisation(tree):
    response = api_as().post(
        "/api/v1/organisations/agency/complaints",
        {"description": "Rude staff", "is_anonymous": True, "complainant_email": "hidden@example.com"},
        format="json",
    )
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous and complaint.complainant_email == ""

    tree["sibling"].allows_anonymous_complaints = False
    tree["sibling"].save()
    response = api_as().post(
        "/api/v1/organisations/sibling/complaints", {"description": "x", "is_anonymous": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"is_anonymous": ["This organisation cannot take anonymous complaints."]}


def test_unknown_organisations_and_teams_do_not_take_complaints(tree):
    assert api_as().post("/api/v1/organisations/nope/complaints", VALID_PUBLIC, format="json").status_code == 404
    team = api_as().post("/api/v1/organisations/agency-team/complaints", VALID_PUBLIC, format="json")
    assert team.status_code == 404


def test_a_retried_submission_with_the_same_idempotency_key_records_one_complaint(tree):
    client = api_as()
    url = "/api/v1/organisations/agency/complaints"
    first = client.post(url, VALID_PUBLIC, format="json", HTTP_IDEMPOTENCY_KEY="retry-abc")
    again = client.post(url, VALID_PUBLIC, format="json", HTTP_IDEMPOTENCY_KEY="retry-abc")
    other = client.post(url, VALID_PUBLIC, format="json", HTTP_IDEMPOTENCY_KEY="retry-def")
    # The same key sent to another organisation is another submission.
    elsewhere = client.post("/api/v1/organisations/sibling/complaints", VALID_PUBLIC, format="json",
                            HTTP_IDEMPOTENCY_KEY="retry-abc")  # fmt: skip
    assert (first.status_code, again.status_code, other.status_code, elsewhere.status_code) == (201, 200, 201, 201)
    assert first.json() == again.json()
    assert other.json()["reference"] != first.json()["reference"]
    assert Complaint.objects.count() == 3

    too_long = client.post(url, VALID_PUBLIC, format="json", HTTP_IDEMPOTENCY_KEY="k" * 201)
    assert too_long.status_code == 400 and "Idempotency-Key" in too_long.json()


def test_public_intake_is_rate_limited_per_client(tree, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"complaint_intake": "3/min"}}
    url = "/api/v1/organisations/agency/complaints"
    client = api_as()  # one client: building a test client's middleware is slow (WhiteNoise scans static files)
    codes = [client.post(url, VALID_PUBLIC, format="json").status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    refused = client.post(url, VALID_PUBLIC, format="json")
    assert "throttled" in refused.json()["detail"].lower() and int(refused["Retry-After"]) > 0
    # Another client address still gets through; a forged X-Forwarded-For does not help.
    assert client.post(url, VALID_PUBLIC, format="json", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429
    other = client.post(url, VALID_PUBLIC, format="json", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 201
    assert Complaint.objects.count() == 4
    # A minute later the first client may submit again.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, 2, tzinfo=datetime.UTC), tick=False):
        assert client.post(url, VALID_PUBLIC, format="json").status_code == 201


def test_the_default_intake_rate_is_thirty_a_minute(tree):
    url = "/api/v1/organisations/agency/complaints"
    client = api_as()
    codes = [client.post(url, {"description": "x", "is_anonymous": True}, format="json").status_code
             for _ in range(31)]  # fmt: skip
    assert codes.count(201) == 30 and codes[-1] == 429


# ---- staff: authentication and scope ---------------------------------------------------------------


def test_staff_endpoints_need_a_token(tree):
    complaint = record(tree["agency"])
    for method, url in [
        ("get", "/api/v1/complaints"),
        ("post", "/api/v1/complaints"),
        ("get", f"/api/v1/complaints/{complaint.reference}"),
        ("get", f"/api/v1/complaints/{complaint.reference}/transitions"),
        ("post", f"/api/v1/complaints/{complaint.reference}/transitions"),
    ]:
        response = getattr(api_as(), method)(url, {}, format="json") if method == "post" else api_as().get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.get("/api/v1/complaints").status_code == 401


def test_colleagues_see_only_their_own_organisations_complaints(tree, handler, member):
    mine = record(tree["agency"])
    theirs = record(tree["sibling"])
    client = api_as(handler)
    listed = client.get("/api/v1/complaints").json()
    assert [row["reference"] for row in listed["results"]] == [mine.reference]
    assert client.get(f"/api/v1/complaints/{theirs.reference}").status_code == 404
    assert client.get(f"/api/v1/complaints/{theirs.reference}/transitions").status_code == 404
    moved = client.post(f"/api/v1/complaints/{theirs.reference}/transitions", {"transition": "acknowledge"})
    assert moved.status_code == 404
    assert client.get("/api/v1/complaints/NO-SUCH-REF").status_code == 404

    # Roles without case access are refused outright.
    trainer = member(Role.TRAINER, tree["agency"])
    assert api_as(trainer).get("/api/v1/complaints").status_code == 403
    oversight = member(Role.PARENT_OVERSIGHT, tree["dept"])
    assert api_as(oversight).get(f"/api/v1/complaints/{mine.reference}").status_code == 403


def test_retrieving_a_complaint_shows_the_complainant_and_records_the_view(tree, handler):
    complaint = record(tree["agency"], summary="Licence delay")
    services.assign(actor=handler, complaint=complaint, user=handler, stage=1)
    response = api_as(handler).get(f"/api/v1/complaints/{complaint.reference}")
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == "agency" and body["stage"] == 1 and body["status"] == "received"
    assert body["received_on"] == "2026-03-10" and body["response_due"] == "2026-03-17"
    assert body["stage1_handler"] == body["current_handler"] == handler.username
    assert body["points"] == [{"number": 1, "summary": "A point", "outcome_sought": "An apology", "outcome": ""}]
    assert body["complainant"]["name"] == "Sam Person" and body["complainant"]["email"] == "sam@example.com"
    assert body["clock_stopped"] is False and body["extended"] is False
    view = AuditEvent.objects.get(verb="viewed")
    assert view.actor == handler and view.object_id == str(complaint.pk)
    assert "Sam" not in view.summary


def test_the_list_has_no_personal_data_and_records_no_views(tree, handler):
    record(tree["agency"])
    response = api_as(handler).get("/api/v1/complaints")
    row = response.json()["results"][0]
    assert "complainant" not in row and "Sam Person" not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="viewed").exists()


# ---- staff: create ------------------------------------------------------------------------------------


def test_staff_record_a_phone_complaint_received_last_week(tree, handler):
    service_area = ServiceArea.objects.create(organisation=tree["agency"], name="Licensing")
    response = api_as(handler).post(
        "/api/v1/complaints",
        {
            "organisation": "agency",
            "channel": "phone",
            "received_on": "2026-03-02",
            "description": "Caller says the licence is late",
            "complainant_name": "Pat Caller",
            "preferred_contact": "phone",
            "complainant_phone": "01234 567890",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "phone" and body["received_on"] == "2026-03-02"
    assert body["acknowledgement_due"] == "2026-03-05" and body["response_due"] == "2026-03-09"
    assert body["complainant"]["phone"] == "01234 567890"
    complaint = Complaint.objects.get(reference=body["reference"])
    assert StageTransition.objects.get(complaint=complaint).actor == handler
    assert service_area.complaints.count() == 0  # untouched unless chosen


def test_staff_can_only_record_for_organisations_they_handle(tree, handler, member):
    payload = {"organisation": "sibling", "channel": "email", "description": "x", "is_anonymous": True}
    response = api_as(handler).post("/api/v1/complaints", payload, format="json")
    assert response.status_code == 400
    assert response.json()["organisation"] == ["You cannot record complaints for an organisation called “sibling”."]
    leader = member(Role.SENIOR_LEADER, tree["agency"])  # may view cases, not record them
    assert api_as(leader).post("/api/v1/complaints", {**payload, "organisation": "agency"}).status_code == 403
    assert not Complaint.objects.exists()


def test_staff_create_validates_channel_and_dates_and_is_idempotent(tree, handler):
    client = api_as(handler)
    bad = client.post(
        "/api/v1/complaints",
        {"organisation": "agency", "channel": "pigeon", "received_on": "2026-03-11", "description": "x"},
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) == {"channel", "received_on"}
    assert bad.json()["received_on"] == ["The date received must be today or in the past."]
    payload = {"organisation": "agency", "channel": "letter", "description": "x", "is_anonymous": True}
    first = client.post("/api/v1/complaints", payload, format="json", HTTP_IDEMPOTENCY_KEY="batch-1-row-7")
    again = client.post("/api/v1/complaints", payload, format="json", HTTP_IDEMPOTENCY_KEY="batch-1-row-7")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"] and Complaint.objects.count() == 1


# ---- staff: list filters ------------------------------------------------------------------------------


def test_the_list_filters_like_the_work_queue(tree, handler, member):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    area = ServiceArea.objects.create(organisation=tree["agency"], name="Licensing")
    overdue = record(tree["agency"], received_on=datetime.date(2026, 2, 2), channel=Channel.PHONE)
    due_soon = record(tree["agency"], received_on=datetime.date(2026, 3, 4), description="Lost passport form")
    on_track = record(tree["agency"], received_on=TODAY, service_area=area)
    services.assign(actor=manager, complaint=on_track, user=handler, stage=1)
    closed = record(tree["agency"], received_on=datetime.date(2026, 1, 5))
    services.transition(actor=manager, complaint=closed, name="withdraw", reason="Resolved by phone")

    client = api_as(manager)

    def refs(**params):
        response = client.get("/api/v1/complaints", params)
        assert response.status_code == 200, response.json()
        return [row["reference"] for row in response.json()["results"]]

    assert refs() == [on_track.reference, due_soon.reference, overdue.reference, closed.reference]
    assert refs(due="overdue") == [overdue.reference]
    # Received Wed 4 March: due Wed 11 March, one working day after today.
    assert refs(due="due_soon") == [due_soon.reference]
    assert refs(status="withdrawn") == [closed.reference]
    assert set(refs(status=["withdrawn", "received"])) == {r.reference for r in (overdue, due_soon, on_track, closed)}
    assert refs(channel="phone") == [overdue.reference]
    assert refs(service_area="Licensing") == [on_track.reference]
    assert refs(handler=handler.username) == [on_track.reference]
    assert refs(received_from="2026-03-01", received_to="2026-03-05") == [due_soon.reference]
    assert refs(q="passport") == [due_soon.reference]
    assert refs(q=overdue.reference.lower()) == [overdue.reference]
    assert refs(stage=2) == []
    assert refs(organisation="agency", ordering="response_due") == [
        overdue.reference, due_soon.reference, on_track.reference, closed.reference,
    ]  # fmt: skip
    assert refs(ordering="received_on")[0] == closed.reference

    bad = client.get("/api/v1/complaints", {"due": "yesterday", "received_from": "soon", "ordering": "name"})
    assert bad.status_code == 400 and set(bad.json()) == {"due", "received_from", "ordering"}


def test_the_list_is_paginated_in_a_fixed_number_of_queries(tree, handler, django_assert_num_queries):
    client = api_as(handler)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/complaints").status_code == 200
        return len(captured)

    for _ in range(2):
        services.assign(actor=handler, complaint=record(tree["agency"]), user=handler, stage=1)
    few = count_queries()
    for _ in range(12):
        services.assign(actor=handler, complaint=record(tree["agency"]), user=handler, stage=1)
    with django_assert_num_queries(few):
        response = client.get("/api/v1/complaints")
    assert response.json()["count"] == 14 and len(response.json()["results"]) == 14


def test_the_list_pages_by_fifty(tree, handler):
    for _ in range(51):
        record(tree["agency"], is_anonymous=True, complainant_name="", complainant_email="")
    body = api_as(handler).get("/api/v1/complaints").json()
    assert body["count"] == 51 and len(body["results"]) == 50 and body["next"].endswith("page=2")


# ---- staff: transitions -------------------------------------------------------------------------------


def test_a_handler_moves_a_complaint_and_reads_the_log(tree, handler):
    complaint = record(tree["agency"])
    client = api_as(handler)
    url = f"/api/v1/complaints/{complaint.reference}/transitions"
    moved = client.post(url, {"transition": "acknowledge"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "acknowledged"
    assert moved.json()["acknowledged_on"] == "2026-03-10"
    log = client.get(url).json()
    assert [(e["transition"], e["from_status"], e["to_status"], e["actor"]) for e in log] == [
        ("receive", "received", "received", "public"),
        ("acknowledge", "received", "acknowledged", handler.username),
    ]


def test_refused_transitions_say_why(tree, handler, member):
    complaint = record(tree["agency"])
    url = f"/api/v1/complaints/{complaint.reference}/transitions"
    client = api_as(handler)

    wrong_state = client.post(url, {"transition": "close"}, format="json")
    assert wrong_state.status_code == 409
    assert wrong_state.json() == {"detail": "A complaint that is received cannot be moved with “Close”."}

    via_response = client.post(url, {"transition": "start_early_resolution"}, format="json")
    assert via_response.status_code == 200
    resolve = client.post(url, {"transition": "resolve"}, format="json")
    assert resolve.status_code == 409 and "response page" in resolve.json()["detail"]

    no_reason = client.post(url, {"transition": "withdraw"}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.json() == {"reason": ["Give a reason to record as withdrawn."]}

    unknown = client.post(url, {"transition": "teleport"}, format="json")
    assert unknown.status_code == 400 and "transition" in unknown.json()

    # Escalation needs an independent investigator who can investigate here.
    services.assign(actor=handler, complaint=complaint, user=handler, stage=1)
    no_one = client.post(url, {"transition": "escalate", "reason": "Still unhappy"}, format="json")
    assert no_one.status_code == 409 and no_one.json()["detail"] == "Choose who will investigate at stage 2."
    investigator = member(Role.INVESTIGATOR, tree["agency"])
    stranger = member(Role.INVESTIGATOR, tree["sibling"])
    self_investigate = client.post(
        url, {"transition": "escalate", "reason": "Still unhappy", "investigator": stranger.username}, format="json"
    )
    assert self_investigate.status_code == 400 and "investigator" in self_investigate.json()
    nobody = client.post(url, {"transition": "escalate", "reason": "r", "investigator": "ghost"}, format="json")
    assert nobody.status_code == 400
    escalate = {"transition": "escalate", "reason": "Still unhappy", "investigator": investigator.username}
    # The investigator must have declared any conflict of interest: the refusal says where to declare.
    undeclared = client.post(url, escalate, format="json")
    assert undeclared.status_code == 409
    assert "has not declared whether they have a conflict of interest" in undeclared.json()["detail"]
    assert "Declare any conflict of interest" in undeclared.json()["detail"]
    no_details = client.post(url, {**escalate, "investigator_has_conflict": True}, format="json")
    assert no_details.status_code == 400 and "investigator_conflict_details" in no_details.json()
    conflict = {**escalate, "investigator_has_conflict": True, "investigator_conflict_details": "Knows them"}
    declared_conflict = client.post(url, conflict, format="json")
    assert declared_conflict.status_code == 409
    assert "declared a conflict of interest. A senior leader must override it" in declared_conflict.json()["detail"]
    assert Complaint.objects.get(pk=complaint.pk).stage == 1
    assert complaint.conflict_declarations.get().details == "Knows them"  # kept, for a senior leader to override
    escalated = client.post(url, {**escalate, "investigator_has_conflict": False}, format="json")
    assert escalated.status_code == 200
    assert escalated.json()["stage"] == 2 and escalated.json()["stage2_handler"] == investigator.username

    # Someone who may see the case but not handle it.
    leader = member(Role.SENIOR_LEADER, tree["agency"])
    refused = api_as(leader).post(url, {"transition": "withdraw", "reason": "x"}, format="json")
    assert refused.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).status == "investigation"


# ---- tokens and the schema ----------------------------------------------------------------------------


def test_issue_api_token_prints_a_working_token_and_rotates_it(tree, handler):
    out = io.StringIO()
    call_command("issue_api_token", handler.username, stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    again = io.StringIO()
    call_command("issue_api_token", handler.username, stdout=again, stderr=io.StringIO())
    assert again.getvalue().strip() == key

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/complaints").status_code == 200

    rotated = io.StringIO()
    call_command("issue_api_token", handler.username, "--rotate", stdout=rotated, stderr=io.StringIO())
    assert rotated.getvalue().strip() != key
    assert client.get("/api/v1/complaints").status_code == 401
    events = list(AuditEvent.objects.filter(verb__startswith="api_token").order_by("id").values_list("verb", flat=True))
    assert events == ["api_token_created", "api_token_rotated"]
    assert not AuditEvent.objects.filter(summary__contains=key).exists()

    with pytest.raises(CommandError, match="No user"):
        call_command("issue_api_token", "nobody")
    handler.is_active = False
    handler.save()
    with pytest.raises(CommandError, match="not active"):
        call_command("issue_api_token", handler.username)


def test_the_schema_describes_every_endpoint_and_is_valid_openapi(db):
    from drf_spectacular.validation import validate_schema

    schema = json.loads(APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").content)
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths["/api/v1/organisations/{slug}/complaints"]) == {"post"}
    assert set(paths["/api/v1/complaints"]) == {"get", "post"}
    assert set(paths["/api/v1/complaints/{reference}"]) == {"get"}
    assert set(paths["/api/v1/complaints/{reference}/transitions"]) == {"get", "post"}
    public = paths["/api/v1/organisations/{slug}/complaints"]["post"]
    assert set(public["responses"]) == {"200", "201", "400", "404", "429"}
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in public["parameters"])
    assert public.get("security") in ([], [{}], None) or {} in public["security"]
    moves = paths["/api/v1/complaints/{reference}/transitions"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(moves["responses"])
    listing = paths["/api/v1/complaints"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "stage", "status", "organisation", "service_area", "channel", "received_from", "received_to", "due", "q",
        "ordering", "page",
    }  # fmt: skip
    detail = schema["components"]["schemas"]["ComplaintDetail"]["properties"]
    assert {"reference", "organisation", "stage", "status", "channel", "received_on", "acknowledgement_due",
            "response_due", "points", "outcome", "complainant"} <= set(detail)  # fmt: skip


def test_a_nul_byte_in_an_organisation_or_investigator_is_refused_as_bad_input(tree, handler):
    """PostgreSQL cannot compare text holding NUL: the API says the value is invalid instead of failing (schemathesis
    found the server error)."""
    client = api_as(handler)
    response = client.post(
        "/api/v1/complaints",
        {"organisation": "agen\x00cy", "channel": "phone", "description": "Late licence", "complainant_name": "Pat",
         "preferred_contact": "phone", "complainant_phone": "01234 567890"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["organisation"] == ["Enter an organisation slug."]
    complaint = record(tree["agency"], actor=handler)
    response = client.post(
        f"/api/v1/complaints/{complaint.reference}/transitions",
        {"transition": "escalate", "investigator": "inv\x00estigator"},
        format="json",
    )
    assert response.status_code == 400
    assert "investigator" in response.json()


# ---- intake's remembered organisation ---------------------------------------------------------------


def test_intake_remembers_the_organisation_and_sees_a_change_saved_here_at_once(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from candour.organisations.models import ClosureDay

    client, url = api_as(), "/api/v1/organisations/agency/complaints"
    assert client.post(url, VALID_PUBLIC, format="json").json()["acknowledgement_due"] == "2026-03-13"
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, VALID_PUBLIC, format="json").status_code == 201
    read = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in read if "organisations_organisation" in sql or "closureday" in sql], read

    # The office closes on Friday 13 March: the next complaint's acknowledgement is due on Monday 16.
    ClosureDay.objects.create(organisation=tree["agency"], date=datetime.date(2026, 3, 13), reason="Office move")
    assert client.post(url, VALID_PUBLIC, format="json").json()["acknowledgement_due"] == "2026-03-16"
    agency = tree["agency"]
    agency.accepts_complaints = False
    agency.save()
    assert client.post(url, VALID_PUBLIC, format="json").status_code == 404


def test_a_change_made_by_another_process_reaches_intake_within_the_cache_period(tree, monkeypatch):
    from candour.organisations import selectors
    from candour.organisations.models import Organisation

    client, url = api_as(), "/api/v1/organisations/agency/complaints"
    assert client.post(url, VALID_PUBLIC, format="json").json()["response_due"] == "2026-03-17"
    # Another worker changes the timescale: no signal reaches this process (update() sends none).
    Organisation.objects.filter(slug="agency").update(stage1_response_days=10)
    assert client.post(url, VALID_PUBLIC, format="json").json()["response_due"] == "2026-03-17"
    now = selectors.time.monotonic()
    monkeypatch.setattr(selectors.time, "monotonic", lambda: now + selectors.INTAKE_CACHE_SECONDS + 1)
    assert client.post(url, VALID_PUBLIC, format="json").json()["response_due"] == "2026-03-24"


def test_serializers_built_from_a_prototype_keep_each_submission_apart():
    from candour.complaints.serializers import ComplaintInputSerializer, StaffComplaintInputSerializer

    first = ComplaintInputSerializer(data={**VALID_PUBLIC, "complainant_email": "not an address"})
    second = ComplaintInputSerializer(data={**VALID_PUBLIC, "points": [{"summary": ""}]})
    assert not first.is_valid() and not second.is_valid()
    assert set(first.errors) == {"complainant_email"} and set(second.errors) == {"points"}
    assert first.fields["description"] is not second.fields["description"]
    assert first.fields["description"].parent is first and second.fields["description"].parent is second
    assert first.fields["points"].child is not second.fields["points"].child
    third = ComplaintInputSerializer(data=VALID_PUBLIC)
    assert third.is_valid(), third.errors
    assert third.validated_data["points"] == [{"summary": "The delay", "outcome_sought": "A decision"}]
    # A subclass has its own fields (staff intake adds organisation, channel and received_on).
    assert {"channel", "received_on"} <= set(StaffComplaintInputSerializer().fields)
    assert "channel" not in ComplaintInputSerializer().fields
