"""The lifecycle: every allowed and refused transition, deadlines in working days, the clock, responses."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from candour.audit.models import AuditEvent
from candour.complaints import services, states
from candour.complaints.models import Channel, StageTransition
from candour.complaints.services import PointInput, TransitionRefused
from candour.complaints.states import Status
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db

# Friday 19 December 2025, England and Wales: 25, 26 Dec and 1 Jan are bank holidays.
FRIDAY_BEFORE_CHRISTMAS = datetime.date(2025, 12, 19)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def complaint(tree, handler):
    c, _ = services.create_complaint(
        actor=handler,
        organisation=tree["agency"],
        channel=Channel.PHONE,
        description="My licence was delayed.",
        received_on=FRIDAY_BEFORE_CHRISTMAS,
        complainant_name="Alex Example",
        complainant_email="alex@example.com",
        points=[PointInput("The licence took 3 months", "An apology")],
    )
    return services.assign(actor=handler, complaint=c, user=handler, stage=1)


def test_intake_computes_working_day_deadlines_and_a_reference(complaint, tree):
    # Wales uses England and Wales bank holidays: 22, 23, 24 Dec are working days -> ack due 24 Dec.
    assert complaint.acknowledgement_due == datetime.date(2025, 12, 24)
    # 5 working days: 22, 23, 24, 29, 30 December.
    assert complaint.stage1_due == complaint.response_due == datetime.date(2025, 12, 30)
    assert complaint.reference == "AGENCY-2025-000001"
    assert complaint.points.get().number == 1
    assert "Alex Example" in complaint.search_text and "3 months" in complaint.search_text


def test_a_repeated_submission_key_creates_one_complaint(tree):
    kwargs = {
        "actor": None,
        "organisation": tree["agency"],
        "channel": Channel.ONLINE,
        "description": "x",
        "submission_key": "k1",
    }
    first, created = services.create_complaint(**kwargs)
    again, created_again = services.create_complaint(**kwargs)
    assert created and not created_again and first.pk == again.pk


def test_references_count_per_organisation_and_year(tree):
    def make(org, day):
        return services.create_complaint(  # noqa: E731
            actor=None, organisation=tree[org], channel=Channel.EMAIL, description="x", received_on=day
        )[0].reference

    assert make("agency", datetime.date(2025, 5, 1)) == "AGENCY-2025-000001"
    assert make("agency", datetime.date(2025, 6, 1)) == "AGENCY-2025-000002"
    assert make("agency", datetime.date(2026, 1, 5)) == "AGENCY-2026-000001"
    assert make("sibling", datetime.date(2025, 6, 1)) == "SIBLING-2025-000001"


def test_future_received_dates_and_closed_doors_are_refused(tree):
    with pytest.raises(ValidationError, match="today or in the past"):
        services.create_complaint(
            actor=None,
            organisation=tree["agency"],
            channel="email",
            description="x",
            received_on=datetime.date(2026, 2, 1),
        )
    with pytest.raises(ValidationError):
        services.create_complaint(actor=None, organisation=tree["team"], channel="email", description="x")


def test_scotland_counts_its_own_bank_holidays(tree):
    # Wednesday 31 December 2025 in Scotland: 1 and 2 January are holidays; 5 working days -> Fri 9 Jan.
    c, _ = services.create_complaint(
        actor=None,
        organisation=tree["sibling"],
        channel="letter",
        description="x",
        received_on=datetime.date(2025, 12, 31),
    )
    assert c.stage1_due == datetime.date(2026, 1, 9)
    c2, _ = services.create_complaint(
        actor=None,
        organisation=tree["agency"],
        channel="letter",
        description="x",
        received_on=datetime.date(2025, 12, 31),
    )
    # In Wales only 1 January is a holiday: 2, 5, 6, 7, 8 January -> Thu 8 Jan.
    assert c2.stage1_due == datetime.date(2026, 1, 8)


ALL = set(Status.values)


@pytest.mark.parametrize("name, spec", list(states.TRANSITIONS.items()))
def test_every_transition_is_refused_from_every_state_it_does_not_start_from(complaint, name, spec):
    for status in ALL - set(spec.sources):
        complaint.status = status
        assert states.refusal(complaint, spec, {"reason": "r", "via_response": True}) is not None


def test_the_happy_path_through_both_stages_is_logged(complaint, tree, member):
    handler = complaint.stage1_handler
    services.transition(actor=handler, complaint=complaint, name="acknowledge")
    services.transition(actor=handler, complaint=complaint, name="start_early_resolution")
    investigator = member(Role.INVESTIGATOR, tree["agency"])
    services.transition(
        actor=handler,
        complaint=complaint,
        name="escalate",
        reason="Complex",
        investigator=investigator,
        declaration=services.Declaration(has_conflict=False),
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.stage, complaint.stage2_handler) == (Status.INVESTIGATION, 2, investigator)
    # 20 working days from Tue 20 Jan 2026.
    assert complaint.stage2_due == datetime.date(2026, 2, 17)
    log = list(StageTransition.objects.filter(complaint=complaint).values_list("transition", "to_status"))
    assert log == [
        ("receive", "received"),
        ("acknowledge", "acknowledged"),
        ("start_early_resolution", "early_resolution"),
        ("escalate", "investigation"),
    ]
    assert AuditEvent.objects.filter(object_id=str(complaint.pk), verb__startswith="transition:").count() == 3


def test_the_stage2_investigator_cannot_be_the_stage1_handler(complaint):
    services.transition(actor=None, complaint=complaint, name="acknowledge")
    with pytest.raises(TransitionRefused, match="cannot be the colleague who handled stage 1"):
        services.transition(
            actor=None, complaint=complaint, name="escalate", reason="r", investigator=complaint.stage1_handler
        )
    with pytest.raises(ValidationError):
        services.assign(actor=None, complaint=complaint, user=complaint.stage1_handler, stage=2)


def test_withdraw_and_not_accept_need_reasons_and_reopen_returns_to_the_stage(complaint):
    with pytest.raises(TransitionRefused, match="Give a reason"):
        services.transition(actor=None, complaint=complaint, name="withdraw")
    services.transition(actor=None, complaint=complaint, name="withdraw", reason="Resolved informally")
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN and complaint.response_due is None
    services.transition(actor=None, complaint=complaint, name="reopen", reason="Complainant came back")
    complaint.refresh_from_db()
    assert complaint.status == Status.EARLY_RESOLUTION and complaint.response_due == complaint.stage1_due


def test_responses_cannot_be_issued_by_a_bare_transition(complaint):
    services.transition(actor=None, complaint=complaint, name="start_early_resolution")
    with pytest.raises(TransitionRefused, match="response page"):
        services.transition(actor=None, complaint=complaint, name="resolve")


def test_stop_the_clock_adds_the_stopped_working_days_back(complaint):
    # Due Tue 30 Dec 2025. Stopped Mon 22 Dec (that day counts as used), restarted Mon 29 Dec:
    # 23, 24 and 29 December = 3 working days stopped, added back.
    services.stop_clock(actor=None, complaint=complaint, reason="Waiting for documents", on=datetime.date(2025, 12, 22))
    with pytest.raises(ValidationError):
        services.stop_clock(actor=None, complaint=complaint, reason="again")
    services.restart_clock(actor=None, complaint=complaint, on=datetime.date(2025, 12, 29))
    complaint.refresh_from_db()
    # 30 Dec + 3 working days: 31 Dec, 2 Jan, 5 Jan.
    assert complaint.response_due == datetime.date(2026, 1, 5)
    assert not complaint.clock_stopped


def test_extensions_need_a_later_working_day_and_a_reason(complaint):
    with pytest.raises(ValidationError) as error:
        services.extend(
            actor=None, complaint=complaint, new_due=datetime.date(2025, 12, 25), reason="", complainant_agreed=True
        )
    assert set(error.value.message_dict) == {"reason", "new_due"}
    services.extend(
        actor=None,
        complaint=complaint,
        new_due=datetime.date(2026, 1, 9),
        reason="Awaiting records",
        complainant_agreed=True,
    )
    complaint.refresh_from_db()
    assert complaint.response_due == datetime.date(2026, 1, 9) and complaint.stage1_extended


def test_a_response_is_issued_only_when_it_covers_the_seven_elements(complaint):
    services.transition(actor=None, complaint=complaint, name="start_early_resolution")
    response = services.save_response(actor=None, complaint=complaint, outcome="upheld")
    with pytest.raises(ValidationError) as error:
        services.issue_response(actor=None, response=response, delivery_method="email", letter_html="<p>x</p>")
    missing = set(error.value.message_dict)
    assert {"understanding", "what_was_investigated", "decision_reasoning", "apology", "points"} <= missing
    assert "next_steps" not in missing  # escalation rights are written in by default
    point = complaint.points.get()
    services.update_point(actor=None, point=point, outcome="upheld")
    response = services.save_response(
        actor=None,
        complaint=complaint,
        understanding="You told us your licence was delayed and you want an apology.",
        what_was_investigated="The handling of your application.",
        how_it_was_investigated="We read the file and spoke to the team.",
        decision_reasoning="Our service standard is 3 weeks (Licensing Policy 4.2); it took 3 months.",
        impact="You could not drive to work.",
        what_will_happen="We will change how applications are tracked.",
        apology="We are sorry: we did not process your application on time.",
    )
    services.issue_response(
        actor=None, response=response, delivery_method="email", letter_html="<p>x</p>", on=datetime.date(2026, 1, 8)
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED and complaint.outcome == "upheld"
    # Received Fri 19 Dec, responded Thu 8 Jan: 22, 23, 24, 29, 30, 31 Dec, 2, 5, 6, 7, 8 Jan = 11 working days.
    assert complaint.stage1_working_days == 11 and complaint.stage1_responded_on > complaint.stage1_due
    assert "Member of Parliament" in response.next_steps


def test_triage_routes_other_matters_with_signposting(tree):
    c, _ = services.create_complaint(actor=None, organisation=tree["agency"], channel="phone", description="FOI?")
    with pytest.raises(ValidationError):
        services.triage(actor=None, complaint=c, decision="other_route", other_route="foi_sar")
    services.triage(
        actor=None, complaint=c, decision="other_route", other_route="foi_sar", signposting="Sent to the FOI team"
    )
    c.refresh_from_db()
    assert c.status == Status.NOT_ACCEPTED and "Freedom of information" in c.closure_reason


def test_ombudsman_referral_is_recorded_only_after_a_response(complaint):
    with pytest.raises(ValidationError):
        services.record_ombudsman_referral(actor=None, complaint=complaint, mp_referral_date=datetime.date(2026, 1, 5))


def test_the_transition_log_cannot_be_rewritten(complaint):
    entry = StageTransition.objects.filter(complaint=complaint).first()
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        StageTransition.objects.filter(complaint=complaint).update(reason="rewritten")
    with pytest.raises(PermissionError):
        StageTransition.objects.filter(complaint=complaint).delete()
    assert StageTransition.objects.get(pk=entry.pk).reason != "rewritten"


def test_responses_and_remedies_carry_their_complaints_organisation_and_received_date(tree, handler):
    """The dashboards and reports find a year's responses and remedies by these copied keys (ADR 10)."""
    import datetime

    from candour.complaints.models import Remedy, Response

    received = services.today() - datetime.timedelta(days=10)
    complaint, _ = services.create_complaint(
        actor=handler, organisation=tree["agency"], channel="email", description="Lost papers.",
        received_on=received,
    )  # fmt: skip
    response = services.save_response(actor=handler, complaint=complaint, understanding="You lost papers.")
    remedy = services.add_remedy(actor=handler, complaint=complaint, type="apology", description="We are sorry.")
    for row in (Response.objects.get(pk=response.pk), Remedy.objects.get(pk=remedy.pk)):
        assert row.organisation_id == tree["agency"].pk
        assert row.complaint_received_on == received
    # Saving only some fields of an older row without the keys fills them too.
    Remedy.objects.filter(pk=remedy.pk).update(organisation=None, complaint_received_on=None)
    stale = Remedy.objects.get(pk=remedy.pk)
    stale.description = "We apologise."
    stale.save(update_fields=["description"])
    stale.refresh_from_db()
    assert (stale.organisation_id, stale.complaint_received_on) == (tree["agency"].pk, received)
