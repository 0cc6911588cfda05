"""Governance bodies, reviews, decisions carried forward, and the missed-review flag."""

import datetime

import pytest
from django.core import mail

from candour.audit.models import AuditEvent
from candour.governance import services as gov
from candour.governance.models import GovernanceReview, ReviewAction
from candour.governance.selectors import review_rhythm
from candour.notifications.models import Message
from candour.organisations.roles import Role
from candour.scheduling import REGISTRY

pytestmark = pytest.mark.django_db
D = datetime.date


def test_recording_a_review_through_the_form_keeps_decisions_and_accountable_actions(client, tree, member):
    leader = member(Role.SENIOR_LEADER, tree["agency"])
    manager = member(Role.COMPLAINTS_MANAGER, tree["team"])
    client.force_login(leader)
    response = client.post(
        "/staff/governance/agency/reviews/new/",
        {
            "period_start": "2025-10-01",
            "period_end": "2025-12-31",
            "held_on": "2026-01-15",
            "attendees": "Chair\nManager",
            "discussion": "Delays discussed",
            "decisions": "Fix call-backs\n\nShare learning",
            "action_0_description": "Build a tracker",
            "action_0_owner": manager.pk,
            "action_0_due_on": "2026-03-01",
        },
    )
    review = GovernanceReview.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/reviews/{review.pk}/")
    assert list(review.decisions.values_list("text", flat=True)) == ["Fix call-backs", "Share learning"]
    action = ReviewAction.objects.get()
    assert (action.owner, action.due_on) == (manager, D(2026, 3, 1))
    assert AuditEvent.objects.filter(verb="recorded_review").exists()
    page = client.get(f"/staff/governance/agency/reviews/{review.pk}/").content.decode()
    assert "Fix call-backs" in page and "Build a tracker" in page


def test_an_action_without_an_owner_is_refused_with_the_typed_text_kept(client, tree, member):
    leader = member(Role.SENIOR_LEADER, tree["agency"])
    client.force_login(leader)
    response = client.post(
        "/staff/governance/agency/reviews/new/",
        {
            "period_start": "2025-10-01",
            "period_end": "2025-12-31",
            "held_on": "2026-01-15",
            "attendees": "Chair",
            "discussion": "Delays",
            "action_0_description": "Build a tracker",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Choose the accountable owner of this action." in html
    assert "Build a tracker" in html and not GovernanceReview.objects.exists()


def test_a_governance_member_without_govern_elsewhere_cannot_record_reviews(client, tree, member):
    oversight = member(Role.PARENT_OVERSIGHT, tree["dept"])
    client.force_login(oversight)
    assert client.get("/staff/governance/agency/reviews/new/").status_code == 404
    assert client.get("/staff/governance/agency/reviews/").status_code == 200


def test_the_next_pack_reports_every_earlier_decisions_status(client, tree, member):
    leader = member(Role.SENIOR_LEADER, tree["agency"])
    first = gov.record_review(
        actor=leader,
        organisation=tree["agency"],
        period_start=D(2025, 7, 1),
        period_end=D(2025, 9, 30),
        held_on=D(2025, 10, 20),
        attendees="Chair",
        discussion="x",
        decisions=["Fix call-backs", "Share learning"],
    )
    gov.update_decision(actor=leader, decision=first.decisions.first(), status="done", note="Tracker live")
    client.force_login(leader)
    html = client.get("/staff/governance/agency/pack/?start=2025-10-01&end=2025-12-31").content.decode()
    assert "Fix call-backs" in html and "Done" in html and "Tracker live" in html
    assert "Share learning" in html and "Open" in html


def test_a_missed_review_emails_the_accountable_leader_once(tree, member, django_capture_on_commit_callbacks):
    leader = member(Role.SENIOR_LEADER, tree["agency"])
    leader.email = "leader@agency.example.gov.uk"
    leader.save()
    gov.set_governance_body(
        actor=leader,
        organisation=tree["agency"],
        name="Board",
        rhythm="quarterly",
        accountable_leader=leader,
        since=D(2025, 6, 1),
    )
    gov.record_review(
        actor=leader,
        organisation=tree["agency"],
        period_start=D(2025, 4, 1),
        period_end=D(2025, 6, 30),
        held_on=D(2025, 7, 15),
        attendees="Chair",
        discussion="x",
    )
    # Last held 15 July: next due 15 October; with two weeks' grace, missed from 30 October.
    assert review_rhythm([tree["agency"].pk], D(2025, 10, 29))[tree["agency"].pk]["missed"] is False
    state = review_rhythm([tree["agency"].pk], D(2026, 1, 20))[tree["agency"].pk]
    assert state["missed"] and state["next_due"] == D(2025, 10, 15)
    with django_capture_on_commit_callbacks(execute=True):
        assert REGISTRY["governance.missed_reviews"].function() == "1 missed-review e-mail(s) queued"
        assert gov.flag_missed_reviews() == 0  # idempotent
    message = Message.objects.get()
    assert message.recipient == "leader@agency.example.gov.uk" and "Governance review missed: Agency" in message.subject
    assert "15 October 2025" in message.body_text
    assert len(mail.outbox) <= 1
    # Holding the review clears the flag.
    gov.record_review(
        actor=leader,
        organisation=tree["agency"],
        period_start=D(2025, 7, 1),
        period_end=D(2025, 12, 31),
        held_on=D(2026, 1, 19),
        attendees="Chair",
        discussion="x",
    )
    assert gov.flag_missed_reviews() == 0


def test_the_body_and_volumes_forms_save(client, tree, member):
    leader = member(Role.SENIOR_LEADER, tree["agency"])
    client.force_login(leader)
    response = client.post(
        "/staff/governance/agency/reviews/body/",
        {"name": "Board", "rhythm": "six_monthly", "accountable_leader": leader.pk},
    )
    assert response.status_code == 302
    assert "Every six months" in client.get("/staff/governance/agency/reviews/").content.decode()
    client.post("/staff/governance/agency/volumes/", {"month": "2025-11-17", "count": "1234"})
    assert "November 2025" in client.get("/staff/governance/agency/volumes/").content.decode()
