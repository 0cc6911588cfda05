"""What colleagues, managers, trainers and senior leaders see and do on the People pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candour.organisations.roles import Role
from candour.people import services
from candour.people.models import PracticalExample, RoleResponsibility, SupportRecord

pytestmark = pytest.mark.django_db


def test_a_colleague_reads_and_acknowledges_their_role_and_is_asked_again_after_a_change(client, agency, member):
    investigator = member(Role.INVESTIGATOR, agency)
    client.force_login(investigator)
    page = client.get(reverse("people:my-role")).content.decode()
    assert "Investigate only where you were not involved in the events." in page
    assert "Complaint handler" not in page  # only their own role's responsibilities
    responsibility = RoleResponsibility.objects.get(organisation=agency, role=Role.INVESTIGATOR)
    response = client.post(reverse("people:my-role"), {"responsibility": responsibility.pk}, follow=True)
    assert "You have acknowledged your role as investigator" in response.content.decode()
    assert "Acknowledged" in response.content.decode()

    leader = member(Role.SENIOR_LEADER, agency)
    client.force_login(leader)
    response = client.post(
        reverse("people:responsibility-edit", args=[responsibility.pk]),
        {"summary": "You investigate.", "expectations": "Share initial views in every case.", "examples": ""},
    )
    assert response.status_code == 302
    client.force_login(investigator)
    page = client.get(reverse("people:my-role")).content.decode()
    assert "Share initial views in every case." in page
    assert "I have read and understood my role as investigator" in page


def test_acknowledgement_is_reported_per_team_and_organisation(client, tree, agency, member):
    in_team = member(Role.COMPLAINT_HANDLER, tree["team"], "in-team")
    member(Role.COMPLAINT_HANDLER, agency, "not-in-team")
    services.acknowledge(
        actor=in_team, responsibility=RoleResponsibility.objects.get(organisation=agency, role="complaint_handler")
    )
    client.force_login(member(Role.GOVERNANCE_MEMBER, agency))
    from candour.people.selectors import acknowledgement_report

    rows = acknowledgement_report([agency.pk])
    assert [(r["team"], r["people"], r["acknowledged"]) for r in rows] == [("Whole organisation", 3, 1), ("Team", 1, 1)]
    page = client.get(reverse("people:acknowledgements")).content.decode()
    assert "Whole organisation" in page and "in-team" not in page


def test_the_example_form_explains_errors_and_keeps_what_was_typed(client, agency, member):
    handler = member(Role.COMPLAINT_HANDLER, agency)
    client.force_login(handler)
    response = client.post(
        reverse("people:example-new"),
        {
            "title": "Listened first",
            "what_happened": "",
            "what_i_did": "Called back",
            "occurred_on-day": "31",
            "occurred_on-month": "2",
            "occurred_on-year": "2026",
        },
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter what happened" in page and "The date must be a real date" in page
    assert 'value="Listened first"' in page and 'value="31"' in page and "Called back" in page
    response = client.post(
        reverse("people:example-new"),
        {
            "title": "Listened first",
            "what_happened": "A caller was upset",
            "what_i_did": "Called back",
            "occurred_on-day": "3",
            "occurred_on-month": "2",
            "occurred_on-year": "2026",
            "related_complaint_reference": "AG-1",
        },
    )
    assert response.status_code == 302
    assert "Listened first" in client.get(reverse("people:my-examples")).content.decode()


def test_a_reviewer_approves_an_anonymised_example_and_only_that_reaches_reports(client, agency, member):
    handler = member(Role.COMPLAINT_HANDLER, agency)
    example = services.record_example(
        actor=handler,
        organisation=agency,
        title="Ffion's catch",
        what_happened="x",
        what_i_did="y",
        occurred_on=datetime.date(2026, 2, 1),
    )
    client.force_login(member(Role.COMPLAINTS_MANAGER, agency))
    url = reverse("people:example-review", args=[example.pk])
    response = client.post(url, {"approve": "on", "anonymised_text": ""})
    assert "Write an anonymised version before approving it for reports" in response.content.decode()
    client.post(url, {"approve": "on", "anonymised_text": "A handler spotted a pattern."})
    from candour.people.selectors import approved_examples

    assert approved_examples([agency.pk]) == [
        {
            "organisation__name": "Agency",
            "occurred_on": datetime.date(2026, 2, 1),
            "anonymised_text": "A handler spotted a pattern.",
        }
    ]
    client.force_login(handler)
    assert client.get(url).status_code == 403


def test_a_reviewer_cannot_approve_their_own_example_but_another_reviewer_can(client, agency, member):
    manager = member(Role.COMPLAINTS_MANAGER, agency)
    example = services.record_example(
        actor=manager,
        organisation=agency,
        title="Turned a complaint round",
        what_happened="x",
        what_i_did="y",
        occurred_on=datetime.date(2026, 2, 1),
    )
    client.force_login(manager)
    url = reverse("people:example-review", args=[example.pk])
    assert "Another reviewer must approve it for reports" in client.get(url).content.decode()
    response = client.post(url, {"approve": "on", "anonymised_text": "A manager turned a complaint round."})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "You cannot approve your own practical example for reports" in page
    assert "A manager turned a complaint round." in page  # what they typed is kept
    example.refresh_from_db()
    assert not example.approved_for_reports
    # Writing the anonymised version without approving it is still allowed.
    assert client.post(url, {"anonymised_text": "A manager turned a complaint round."}).status_code == 302
    with pytest.raises(ValidationError):
        services.approve_example(actor=manager, example=example, anonymised_text="Text", approve=True)

    client.force_login(member(Role.SENIOR_LEADER, agency))
    assert (
        client.post(url, {"approve": "on", "anonymised_text": "A manager turned a complaint round."}).status_code == 302
    )
    example.refresh_from_db()
    assert example.approved_for_reports and example.approved_by.username == "senior_leader-agency"


def test_a_manager_records_a_debrief_and_errors_keep_what_was_typed(client, agency, member):
    colleague = member(Role.COMPLAINT_HANDLER, agency)
    client.force_login(member(Role.COMPLAINTS_MANAGER, agency))
    url = reverse("people:support-new", args=[colleague.pk])
    data = {
        "interaction_kind": "unacceptable_behaviour",
        "interaction_on-day": "10",
        "interaction_on-month": "2",
        "interaction_on-year": "2026",
        "debriefed_on-day": "9",
        "debriefed_on-month": "2",
        "debriefed_on-year": "2026",
        "notes": "Caller shouted.",
        "support_offered": ["debrief", "other"],
        "support_detail": "",
        "behaviour_incident_id": "12",
    }
    page = client.post(url, data).content.decode()
    assert "The debrief must be on or after the interaction" in page
    assert "Say what other support was offered" in page
    assert "Caller shouted." in page and 'value="12"' in page
    data.update({"debriefed_on-day": "11", "support_detail": "Mentoring"})
    assert client.post(url, data).status_code == 302
    record = SupportRecord.objects.get()
    assert (record.behaviour_incident_id, record.support_offered) == (12, ["debrief", "other"])


def test_a_trainer_records_a_completion_and_sees_it_on_the_colleagues_training(client, agency, member, module):
    colleague = member(Role.INVESTIGATOR, agency)
    client.force_login(member(Role.TRAINER, agency))
    url = reverse("people:completion-new")
    data = {
        "user": colleague.pk,
        "module": module("investigating-complaints").pk,
        "completed_on-day": "1",
        "completed_on-month": "2",
        "completed_on-year": "2026",
        "provider": "CSL",
    }
    assert client.post(url, data).status_code == 302
    page = client.post(url, data).content.decode()
    assert "This completion is already recorded" in page
    client.force_login(colleague)
    page = client.get(reverse("people:my-training")).content.decode()
    assert "Investigating complaints" in page and "1 February 2028" in page


def test_a_trainer_edits_the_catalogue(client, agency, member, module):
    client.force_login(member(Role.TRAINER, agency))
    url = reverse("people:module-edit", args=[module("remedies").pk])
    page = client.post(url, {"code": "remedies", "title": "Remedies", "refresh_months": "0"}).content.decode()
    assert "The refresh period must be at least 1 month" in page
    client.post(
        url,
        {
            "code": "remedies",
            "title": "Remedies",
            "refresh_months": "12",
            "active": "on",
            "required_for_roles": ["complaint_handler"],
        },
    )
    assert module("remedies").required_for_roles == ["complaint_handler"]
    assert "Remedies" in client.get(reverse("people:catalogue")).content.decode()
    page = client.post(reverse("people:module-new"), {"code": "remedies", "title": "Again"}).content.decode()
    assert "A module with this code already exists" in page


def test_the_compliance_page_makes_the_same_number_of_queries_however_many_people(client, agency, member, complete):
    client.force_login(member(Role.TRAINER, agency))
    url = reverse("people:compliance")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        complete(member(Role.COMPLAINT_HANDLER, agency, f"h{n}"), "early-resolution", datetime.date(2026, 1, 5))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "h4" in page
    assert len(many) == len(few)


def test_people_pages_need_a_sign_in(client, db):
    assert client.get(reverse("people:my-role")).status_code == 302


def test_colleagues_without_a_trainer_role_cannot_see_compliance(client, agency, member):
    client.force_login(member(Role.COMPLAINT_HANDLER, agency))
    assert client.get(reverse("people:compliance")).status_code == 403
    assert client.get(reverse("people:catalogue")).status_code == 403
    assert PracticalExample.objects.count() == 0


@pytest.mark.parametrize(
    "username, names",
    [
        ("vla.handler", ["my-role", "my-training", "my-examples", "example-new"]),
        ("vla.trainer", ["compliance", "catalogue", "completion-new", "import", "acknowledgements", "colleagues"]),
        ("vla.manager", ["colleagues", "support-list", "examples-review", "acknowledgements"]),
        ("vla.leader", ["responsibilities", "settings", "examples-review", "my-examples"]),
    ],
)
def test_every_page_opens_for_the_demo_colleagues_it_is_for(client, settings, username, names):
    from candour.accounts.models import User
    from candour.demo.data import build

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build(complaints=40)
    client.force_login(User.objects.get(username=username))
    for name in names:
        response = client.get(reverse(f"people:{name}"))
        assert response.status_code == 200, name
        assert b"govuk-template" in response.content
