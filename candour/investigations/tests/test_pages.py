"""The investigation pages, driven as a colleague would: from assignment to an approved, issued response."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from candour.complaints import services as cs
from candour.complaints.models import Channel
from candour.complaints.services import PointInput
from candour.investigations import services
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 1, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def setup(tree, member):
    agency = tree["agency"]
    people = {
        "handler": member(Role.COMPLAINT_HANDLER, agency, "handler"),
        "investigator": member(Role.INVESTIGATOR, agency, "investigator"),
        "first_investigator": member(Role.INVESTIGATOR, agency, "first_investigator"),
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "leader": member(Role.SENIOR_LEADER, agency, "leader"),
        "sibling": member(Role.COMPLAINT_HANDLER, tree["sibling"], "sibling"),
    }
    complaint, _ = cs.create_complaint(
        actor=people["handler"],
        organisation=agency,
        channel=Channel.EMAIL,
        description="Late licence",
        received_on=TODAY - datetime.timedelta(days=1),
        complainant_name="Alex",
        complainant_email="a@example.com",
        reasonable_adjustments="Large print, please",
        points=[PointInput("Took 3 months", "Apology")],
    )
    cs.assign(actor=people["manager"], complaint=complaint, user=people["handler"], stage=1)
    cs.transition(actor=people["handler"], complaint=complaint, name="acknowledge")
    cs.transition(
        actor=people["manager"],
        complaint=complaint,
        name="escalate",
        reason="Unresolved",
        investigator=people["first_investigator"],
        declaration=cs.Declaration(has_conflict=False),
    )
    complaint.refresh_from_db()
    services.update_settings(actor=people["leader"], organisation=agency, sign_off="investigations")
    return complaint, people


def url(name, complaint, *args):
    return reverse(f"investigations:{name}", args=[complaint.reference, *args])


def date(prefix, d):
    return {f"{prefix}-day": d.day, f"{prefix}-month": d.month, f"{prefix}-year": d.year}


def test_investigation_from_assignment_to_approved_response(client, setup):
    complaint, people = setup
    client.force_login(people["manager"])
    # The case page links to the investigation; the investigation page shows the adjustments prominently.
    assert (
        url("case", complaint)
        in client.get(reverse("staff_complaints:case", args=[complaint.reference])).content.decode()
    )
    page = client.get(url("case", complaint))
    assert "Reasonable adjustments: Large print, please" in text(page)

    # A declared conflict refuses the assignment, shown as a GOV.UK error, keeping what was typed.
    refused = client.post(
        url("assign", complaint),
        {
            "user": people["investigator"].pk,
            "has_conflict": "yes",
            "details": "Knows the complainant",
        },
    )
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    assert "declared a conflict of interest" in text(refused)
    assert "Knows the complainant" in refused.content.decode()

    # Only a senior leader may override it.
    declaration = complaint.conflict_declarations.get(user=people["investigator"])
    assert client.get(url("override", complaint, declaration.pk)).status_code == 403
    client.force_login(people["leader"])
    client.post(url("override", complaint, declaration.pk), {"reason": "Only investigator free; reviewed by a manager"})
    client.force_login(people["manager"])
    done = client.post(
        url("assign", complaint),
        {"user": people["investigator"].pk, "has_conflict": "yes", "details": "Knows the complainant"},
    )
    # A new declaration clears the old override, so this is refused again.
    assert done.status_code == 200
    assert "declared a conflict of interest" in text(done)
    client.force_login(people["leader"])
    declaration.refresh_from_db()
    client.post(url("override", complaint, declaration.pk), {"reason": "Still the only one"})
    # "Already declared" uses the overridden declaration on record, so the assignment goes ahead.
    client.force_login(people["manager"])
    assigned = client.post(url("assign", complaint), {"user": people["investigator"].pk, "has_conflict": "declared"})
    assert assigned.status_code == 302
    complaint.refresh_from_db()
    assert complaint.stage2_handler == people["investigator"]

    # The investigator writes the plan, logs evidence and a finding.
    client.force_login(people["investigator"])
    plan = {
        "key_issues": "The delay",
        "outcome_sought": "Apology",
        **date("confirmed_with_complainant_on", TODAY),
        "approach": "Read the file",
        "final_response_by": "Director",
        **date("target_date", TODAY + datetime.timedelta(days=28)),
        "update_every_days": "7",
        "is_complex": "no",
    }
    missing = client.post(url("plan", complaint), {**plan, "approach": ""})
    assert "Say how each issue will be looked into" in text(missing)
    assert client.post(url("plan", complaint), plan).status_code == 302
    assert client.post(url("share-plan", complaint)).status_code == 302
    assert "How we will look into it" in client.get(url("plan-letter", complaint)).content.decode()
    assert (
        client.post(
            url("add-evidence", complaint), {"kind": "rule", "title": "Charter", "rule_reference": "s3.1", "point": "1"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("finding", complaint, 1),
            {"should_have_happened": "s3.1: 10 days", "what_happened": "90", "finding": "Delay", "outcome": "upheld"},
        ).status_code
        == 302
    )
    cs.save_response(
        actor=people["investigator"],
        complaint=complaint,
        understanding="u",
        what_was_investigated="w",
        how_it_was_investigated="h",
        decision_reasoning="d",
        impact="i",
        what_will_happen="l",
        apology="Sorry",
        outcome="upheld",
    )
    # Issuing is refused until approved.
    issue = client.post(reverse("staff_complaints:issue", args=[complaint.reference]), {"delivery_method": "post"})
    assert "review and approve" in text(issue)

    # The investigator cannot be their own reviewer: they are not offered, and a forged choice is refused.
    ask = client.get(url("request-review", complaint))
    assert 'value="{}"'.format(people["investigator"].pk) not in ask.content.decode()
    # The reviewer's declaration is asked for; without an answer nothing is requested.
    unanswered = client.post(url("request-review", complaint), {"reviewer": people["manager"].pk})
    assert "Say whether the reviewer has a conflict of interest" in text(unanswered)
    assert not complaint.responses.get().quality_reviews.exists()
    asked = client.post(url("request-review", complaint), {"reviewer": people["manager"].pk, "has_conflict": "no"})
    assert asked.status_code == 302

    # The reviewer returns it, then approves it.
    client.force_login(people["manager"])
    review = complaint.responses.get().quality_reviews.get()
    returned = client.post(url("review", complaint, review.pk), {"decision": "returned", "comments": ""})
    assert "Say what needs to change" in text(returned)
    client.post(url("review", complaint, review.pk), {"decision": "returned", "comments": "Add the learning"})
    client.force_login(people["investigator"])
    client.post(url("request-review", complaint), {"reviewer": people["manager"].pk, "has_conflict": "declared"})
    client.force_login(people["manager"])
    review = complaint.responses.get().quality_reviews.order_by("-id").first()
    half = client.post(
        url("review", complaint, review.pk), {"decision": "approved", "checklist": ["learning_identified"]}
    )
    assert "confirm every check" in text(half)
    checks = list(services.CHECKLIST_NAMES)
    assert (
        client.post(url("review", complaint, review.pk), {"decision": "approved", "checklist": checks}).status_code
        == 302
    )
    assert "Approved" in text(client.get(url("case", complaint)))

    client.force_login(people["investigator"])
    issued = client.post(reverse("staff_complaints:issue", args=[complaint.reference]), {"delivery_method": "post"})
    assert issued.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "response_issued"


def test_contributing_organisation_sees_its_part_and_the_shared_response_only(client, setup, tree):
    complaint, people = setup
    partner = services.add_partner(
        actor=people["handler"], complaint=complaint, organisation=tree["sibling"], question="Cover the grant"
    )
    cs.save_response(actor=people["handler"], complaint=complaint, understanding="Shared understanding")
    client.force_login(people["sibling"])
    assert client.get(url("case", complaint)).status_code == 403
    assert client.get(reverse("staff_complaints:case", args=[complaint.reference])).status_code == 403
    page = client.get(reverse("investigations:partner", args=[partner.pk]))
    assert "Cover the grant" in text(page) and "Shared understanding" in text(page)
    assert "Alex" not in text(page)  # the complainant's details stay with the lead organisation
    client.post(reverse("investigations:partner", args=[partner.pk]), {"part_text": "We paid late"})
    partner.refresh_from_db()
    assert partner.status == "contributed"
    client.force_login(people["investigator"])
    assert client.get(reverse("investigations:partner", args=[partner.pk])).status_code == 403


def test_restriction_page_refuses_without_review_date(client, setup):
    complaint, people = setup
    client.force_login(people["handler"])
    client.post(
        url("add-incident", complaint),
        {"type": "abusive", **date("occurred_on", TODAY), "description": "Shouted", "impact_on_colleagues": "Upset"},
    )
    page = client.post(
        url("add-restriction", complaint),
        {
            "written_contact_only": "on",
            "reasons": "Abuse",
            "approved_by": people["leader"].pk,
        },
    )
    assert "Enter the date the restriction will be reviewed" in text(page)
    assert "Abuse" in page.content.decode()


def test_bands_report_and_settings_pages(client, setup, tree):
    complaint, people = setup
    client.force_login(people["manager"])
    bands_url = reverse("investigations:bands", args=[tree["agency"].pk])
    bad = client.post(bands_url, {"category": "poor_handling", "name": "Std", "minimum": "100", "maximum": "50"})
    assert "highest amount" in text(bad)
    client.post(bands_url, {"category": "poor_handling", "name": "Std", "minimum": "50", "maximum": "250"})
    assert "Std" in text(client.get(bands_url))
    client.post(
        url("add-remedy", complaint),
        {
            "band": str(tree["agency"].redress_bands.get().pk),
            "amount": "300",
            "description": "Handling",
        },
    )
    assert not complaint.remedies.exists()
    client.post(
        url("add-remedy", complaint),
        {
            "band": str(tree["agency"].redress_bands.get().pk),
            "amount": "300",
            "description": "Handling",
            "outside_band_reason": "Very poor handling",
        },
    )
    report = client.get(reverse("investigations:report"))
    assert "£300.00" in text(report)
    client.force_login(people["handler"])
    assert client.get(bands_url).status_code == 403
