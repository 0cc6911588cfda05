"""The People API answers each caller with what the People pages would show them: their own organisations'
catalogue, the compliance of the colleagues they may see, acknowledgement counts for those who may see them,
and completions recorded by trainers only. Never another organisation's people; nothing without a token."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from candour.audit.models import AuditEvent
from candour.organisations import services as org_services
from candour.organisations.roles import Role
from candour.people import services
from candour.people.models import RoleResponsibility, TrainingCompletion

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, agency, member, make_user, complete):
    services.ensure_defaults(tree["sibling"])
    line_manager = member(Role.COMPLAINT_HANDLER, tree["sibling"], "line-manager")
    colleague = make_user("colleague", first_name="Ffion", last_name="Jones", line_manager=line_manager)
    org_services.add_membership(actor=None, user=colleague, organisation=tree["team"], role=Role.COMPLAINT_HANDLER)
    complete(colleague, "early-resolution", datetime.date(2026, 1, 5))
    return {
        "colleague": colleague,
        "line_manager": line_manager,
        "peer": member(Role.COMPLAINT_HANDLER, agency, "peer"),
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "trainer": member(Role.TRAINER, agency, "trainer"),
        "board": member(Role.GOVERNANCE_MEMBER, agency, "board"),
        "sibling_handler": member(Role.COMPLAINT_HANDLER, tree["sibling"], "sibling-handler"),
        "sibling_manager": member(Role.COMPLAINTS_MANAGER, tree["sibling"], "sibling-manager"),
        "sibling_trainer": member(Role.TRAINER, tree["sibling"], "sibling-trainer"),
    }


def api(user=None) -> Client:
    if user is None:
        return Client()
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def results(response) -> list:
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_the_catalogue_is_that_of_the_organisations_you_work_in(world, module):
    url = reverse("api-training-modules")
    own = {(m["organisation"], m["code"]) for m in results(api(world["peer"]).get(url))}
    assert ("agency", "early-resolution") in own and not any(org == "sibling" for org, _ in own)
    sibling = {m["organisation"] for m in results(api(world["sibling_handler"]).get(url))}
    assert sibling == {"sibling"}
    module("remedies").__class__.objects.filter(pk=module("remedies").pk).update(active=False)
    assert "remedies" not in {m["code"] for m in results(api(world["peer"]).get(url))}
    assert "remedies" in {m["code"] for m in results(api(world["trainer"]).get(url))}  # trainers see it all
    assert api().get(url).status_code in (401, 403)


def test_compliance_covers_yourself_your_reports_and_your_organisation_as_manager_or_trainer(world):
    url = reverse("api-training-compliance")

    def seen(name):
        return {(row["username"], row["organisation"]) for row in results(api(world[name]).get(url))}

    assert seen("colleague") == {("colleague", "agency")}
    assert seen("peer") == {("peer", "agency")}
    # The line manager works in the sibling body, and sees their report's agency training as well as their own.
    assert seen("line_manager") == {("line-manager", "sibling"), ("colleague", "agency")}
    agency_people = {"colleague", "peer", "manager", "trainer", "board"}
    assert {u for u, org in seen("manager")} == agency_people
    assert {u for u, org in seen("trainer")} == agency_people
    assert not {u for u, org in seen("sibling_manager")} & (agency_people - {"colleague"})
    assert ("colleague", "agency") not in seen("sibling_manager")
    assert ("colleague", "agency") not in seen("sibling_trainer")
    assert api().get(url).status_code in (401, 403)

    [row] = [r for r in results(api(world["manager"]).get(url)) if r["username"] == "colleague"]
    assert row["name"] == "Ffion Jones" and row["compliant"] is False
    assert row["current"] == 1 and row["required"] == row["current"] + len(row["missing"])
    assert "early-resolution" not in {m["code"] for m in row["missing"]}
    assert "final-responses" in {m["code"] for m in row["missing"]}


def test_compliance_makes_the_same_number_of_queries_however_many_people(world, agency, member, complete):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(world["trainer"])
    url = reverse("api-training-compliance")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        complete(member(Role.INVESTIGATOR, agency, f"i{n}"), "remedies", datetime.date(2026, 1, 5))
    with CaptureQueriesContext(connection) as many:
        assert "i5" in {row["username"] for row in results(client.get(url))}
    assert len(many) == len(few)


def test_acknowledgement_figures_are_counts_for_those_who_may_see_them(world, agency):
    services.acknowledge(
        actor=world["peer"],
        responsibility=RoleResponsibility.objects.get(organisation=agency, role=Role.COMPLAINT_HANDLER),
    )
    url = reverse("api-role-acknowledgements")
    rows = results(api(world["board"]).get(url))
    assert {row["organisation"] for row in rows} == {"Agency"}
    whole = next(row for row in rows if row["team"] == "Whole organisation")
    assert whole["people"] == 5 and whole["acknowledged"] == 1
    assert "peer" not in str(rows) and "Ffion" not in str(rows)
    assert {row["organisation"] for row in results(api(world["sibling_trainer"]).get(url))} == {"Sibling Body"}
    assert api(world["peer"]).get(url).status_code == 403
    assert api().get(url).status_code in (401, 403)


def test_a_trainer_records_a_completion_through_the_api(world, module):
    url = reverse("api-training-completions")
    data = {"user": "colleague", "module": module("final-responses").pk, "completed_on": "2026-02-01"}
    response = api(world["trainer"]).post(url, data, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["user"], body["organisation"], body["module_code"]) == ("colleague", "agency", "final-responses")
    assert body["expires_on"] == "2028-02-01" and body["source"] == "manual"
    event = AuditEvent.objects.filter(verb="training_recorded").latest("pk")
    assert event.actor.username == "trainer"
    compliance = results(api(world["colleague"]).get(reverse("api-training-compliance")))
    assert "final-responses" not in {m["code"] for m in compliance[0]["missing"]}

    again = api(world["trainer"]).post(url, data, content_type="application/json")
    assert again.status_code == 400 and again.json() == {"completed_on": ["This completion is already recorded"]}


def test_only_trainers_record_completions_and_only_in_their_own_organisation(world, module):
    url = reverse("api-training-completions")
    data = {"user": "colleague", "module": module("final-responses").pk, "completed_on": "2026-02-01"}
    for name in ("colleague", "manager", "board", "sibling_manager"):
        assert api(world[name]).post(url, data, content_type="application/json").status_code == 403, name
    assert api().post(url, data, content_type="application/json").status_code in (401, 403)
    response = api(world["sibling_trainer"]).post(url, data, content_type="application/json")
    assert response.status_code == 400
    assert "module" in response.json()
    sibling_module = module("final-responses", world["sibling_handler"].memberships.get().organisation)
    response = api(world["sibling_trainer"]).post(
        url, {**data, "module": sibling_module.pk}, content_type="application/json"
    )
    assert response.json() == {"user": ["No colleague in Sibling Body has this username."]}
    assert not TrainingCompletion.objects.filter(module__code="final-responses").exists()


def test_bad_completion_input_gets_a_message_per_field(world, module):
    url = reverse("api-training-completions")
    client = api(world["trainer"])
    response = client.post(url, {"module": 2**40, "completed_on": "31/02/2026"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"user", "module", "completed_on"}
    response = client.post(
        url,
        {
            "user": "colleague",
            "module": module("remedies").pk,
            "completed_on": "2026-02-01",
            "expires_on": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.json() == {"expires_on": ["The expiry date must be after the completion date"]}
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        url,
        {"user": "colleague", "module": module("remedies").pk, "completed_on": tomorrow},
        content_type="application/json",
    )
    assert response.json() == {"completed_on": ["The completion date must be today or in the past"]}


def test_the_people_models_are_in_the_admin_read_only(admin_client):
    for model in (
        "peoplesettings",
        "roleresponsibility",
        "acknowledgement",
        "trainingmodule",
        "trainingcompletion",
        "trainingimport",
        "trainingreminder",
        "practicalexample",
        "supportrecord",
    ):
        assert admin_client.get(reverse(f"admin:people_{model}_changelist")).status_code == 200, model
        assert admin_client.get(reverse(f"admin:people_{model}_add")).status_code == 403, model
