"""Every investigation rule, including each refusal, through the services (real database, no mocks)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from candour.audit.models import AuditEvent
from candour.complaints import services as cs
from candour.complaints.models import Channel, Complaint
from candour.complaints.services import PointInput
from candour.investigations import selectors, services
from candour.investigations.models import CaseRole, ContactRestriction, RedressBand, RestrictionStatus, SignOff
from candour.notifications.models import Message
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 1, 20)
NO_CONFLICT = cs.Declaration(has_conflict=False)
ELEMENTS = {
    "understanding": "You said your licence was late.",
    "what_was_investigated": "The renewal.",
    "how_it_was_investigated": "Records and an interview.",
    "decision_reasoning": "Charter section 3.1 says 10 days; it took 90.",
    "impact": "You could not drive.",
    "what_will_happen": "We will chase forms within 2 days.",
    "apology": "We are sorry; we got this wrong.",
    "outcome": "upheld",
}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def people(tree, member):
    agency = tree["agency"]
    return {
        "handler": member(Role.COMPLAINT_HANDLER, agency, "handler"),
        "colleague": member(Role.COMPLAINT_HANDLER, agency, "colleague"),
        "investigator": member(Role.INVESTIGATOR, agency, "investigator"),
        "investigator2": member(Role.INVESTIGATOR, agency, "investigator2"),
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "leader": member(Role.SENIOR_LEADER, agency, "leader"),
        "sibling": member(Role.COMPLAINT_HANDLER, tree["sibling"], "sibling"),
    }


@pytest.fixture
def complaint(tree, people):
    c, _ = cs.create_complaint(
        actor=people["handler"],
        organisation=tree["agency"],
        channel=Channel.EMAIL,
        description="My licence was late.",
        received_on=TODAY - datetime.timedelta(days=1),
        complainant_name="Alex Example",
        complainant_email="alex@example.com",
        complainant_address="1 High St\nCardiff",
        points=[PointInput("The licence took 3 months", "An apology")],
    )
    cs.assign(actor=people["manager"], complaint=c, user=people["handler"], stage=1)
    cs.transition(actor=people["handler"], complaint=c, name="acknowledge")
    return c


@pytest.fixture
def at_stage2(complaint, people, tree):
    services.update_settings(actor=people["leader"], organisation=tree["agency"], sign_off=SignOff.INVESTIGATIONS)
    cs.transition(
        actor=people["manager"],
        complaint=complaint,
        name="escalate",
        reason="x",
        investigator=people["investigator"],
        declaration=NO_CONFLICT,
    )
    complaint.refresh_from_db()
    return complaint


def verbs(complaint):
    return list(AuditEvent.objects.filter(object_id=str(complaint.pk)).values_list("verb", flat=True))


def history(complaint):
    """The case's audit verbs, oldest first."""
    return verbs(complaint)[::-1]


# ---- independence ----------------------------------------------------------------------------------------


def test_involved_colleague_cannot_be_assigned_investigator(complaint, people):
    services.record_involved_colleague(
        actor=people["manager"], complaint=complaint, user=people["investigator"], involvement="Took the call"
    )
    with pytest.raises(ValidationError, match="involved in the events"):
        cs.assign(actor=people["manager"], complaint=complaint, user=people["investigator"], stage=2)
    complaint.refresh_from_db()
    assert complaint.stage2_handler is None
    assert "recorded_involved_colleague" in verbs(complaint)


def test_involved_colleague_cannot_be_named_when_escalating(complaint, people):
    services.record_involved_colleague(
        actor=people["manager"], complaint=complaint, user=people["investigator"], involvement="Took the call"
    )
    with pytest.raises(ValidationError, match="involved in the events"):
        cs.transition(
            actor=people["manager"],
            complaint=complaint,
            name="escalate",
            reason="x",
            investigator=people["investigator"],
        )


def test_involved_stage1_handler_is_a_warning_not_a_refusal(complaint, people):
    services.record_involved_colleague(
        actor=people["manager"], complaint=complaint, user=people["colleague"], involvement="Sent the letter"
    )
    cs.assign(actor=people["manager"], complaint=complaint, user=people["colleague"], stage=1)
    complaint.refresh_from_db()
    assert complaint.stage1_handler == people["colleague"]
    assert "independence_warning" in verbs(complaint)


def test_declared_conflict_blocks_until_a_senior_leader_overrides(complaint, people):
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.assign_investigator(
            actor=people["manager"],
            complaint=complaint,
            user=people["investigator"],
            has_conflict=True,
            details="Line manages the colleague complained about",
        )
    declaration = complaint.conflict_declarations.get()  # recorded, though the assignment was refused
    assert declaration.blocks


def test_override_needs_a_senior_leader_and_a_reason(complaint, people):
    declaration = services.declare_conflict(
        actor=people["investigator"],
        complaint=complaint,
        user=people["investigator"],
        role=CaseRole.INVESTIGATOR,
        has_conflict=True,
        details="Friend of the complainant",
    )
    with pytest.raises(ValidationError, match="senior leader"):
        services.override_conflict(actor=people["manager"], declaration=declaration, reason="No one else")
    with pytest.raises(ValidationError, match="reason"):
        services.override_conflict(actor=people["leader"], declaration=declaration, reason=" ")
    with pytest.raises(ValidationError, match="conflict of interest"):
        cs.assign(actor=people["manager"], complaint=complaint, user=people["investigator"], stage=2)
    services.override_conflict(actor=people["leader"], declaration=declaration, reason="Only trained investigator")
    cs.assign(actor=people["manager"], complaint=complaint, user=people["investigator"], stage=2)
    complaint.refresh_from_db()
    assert complaint.stage2_handler == people["investigator"]
    assert {"declared_conflict", "overrode_conflict", "assigned"} <= set(verbs(complaint))


def test_a_new_declaration_clears_an_old_override(complaint, people):
    args = {"complaint": complaint, "user": people["investigator"], "role": CaseRole.INVESTIGATOR, "has_conflict": True}
    declaration = services.declare_conflict(actor=people["investigator"], details="A", **args)
    services.override_conflict(actor=people["leader"], declaration=declaration, reason="ok")
    declaration = services.declare_conflict(actor=people["investigator"], details="B, a new conflict", **args)
    assert declaration.blocks


# ---- a declaration of interests is required wherever an investigator or reviewer is assigned ------------------


def test_investigator_without_a_declaration_is_refused_at_the_case_assignment(complaint, people):
    with pytest.raises(ValidationError, match="has not declared whether they have a conflict of interest") as error:
        cs.assign(actor=people["manager"], complaint=complaint, user=people["investigator"], stage=2)
    assert "Declare any conflict of interest" in str(error.value)  # says where to declare
    complaint.refresh_from_db()
    assert complaint.stage2_handler is None
    assert history(complaint)[-1] == "assignment_refused"


def test_declaring_no_conflict_with_the_assignment_records_both_together(complaint, people):
    cs.assign(
        actor=people["manager"], complaint=complaint, user=people["investigator"], stage=2, declaration=NO_CONFLICT
    )
    complaint.refresh_from_db()
    assert complaint.stage2_handler == people["investigator"]
    declaration = complaint.conflict_declarations.get()
    assert (declaration.user, declaration.role, declaration.has_conflict) == (
        people["investigator"],
        CaseRole.INVESTIGATOR,
        False,
    )
    assert history(complaint)[-2:] == ["declared_conflict", "assigned"]


def test_stage_1_handler_needs_no_declaration(complaint, people):
    cs.assign(actor=people["manager"], complaint=complaint, user=people["colleague"], stage=1)
    complaint.refresh_from_db()
    assert complaint.stage1_handler == people["colleague"]
    assert not complaint.conflict_declarations.exists()


def test_investigator_without_a_declaration_is_refused_at_escalation(complaint, people):
    with pytest.raises(cs.TransitionRefused, match="has not declared") as error:
        cs.transition(
            actor=people["manager"],
            complaint=complaint,
            name="escalate",
            reason="x",
            investigator=people["investigator"],
        )
    assert "investigator" in error.value.message_dict  # shown against the investigator on the escalation form
    complaint.refresh_from_db()
    assert (complaint.status, complaint.stage, complaint.stage2_handler) == ("acknowledged", 1, None)
    assert not complaint.transitions.filter(transition="escalate").exists()
    assert history(complaint)[-1] == "assignment_refused"


def test_conflict_declared_at_escalation_is_kept_and_refused_until_a_senior_leader_overrides(complaint, people):
    escalate = {"complaint": complaint, "name": "escalate", "reason": "x", "investigator": people["investigator"]}
    with pytest.raises(cs.TransitionRefused, match="declared a conflict of interest"):
        cs.transition(
            actor=people["manager"], declaration=cs.Declaration(has_conflict=True, details="Knows them"), **escalate
        )
    complaint.refresh_from_db()
    assert complaint.status == "acknowledged"
    declaration = complaint.conflict_declarations.get()  # kept with the refusal, so it can be overridden
    assert declaration.blocks and declaration.details == "Knows them"
    assert history(complaint)[-2:] == ["declared_conflict", "assignment_refused"]
    # Without an override, using the declaration on record is refused too.
    with pytest.raises(cs.TransitionRefused, match="A senior leader must override it"):
        cs.transition(actor=people["manager"], **escalate)
    services.override_conflict(actor=people["leader"], declaration=declaration, reason="The only one trained")
    cs.transition(actor=people["manager"], **escalate)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.stage2_handler) == ("investigation", people["investigator"])
    assert history(complaint)[-2:] == ["overrode_conflict", "transition:escalate"]


def test_conflict_declared_at_the_case_assignment_is_kept_and_then_overridden(complaint, people):
    conflict = cs.Declaration(has_conflict=True, details="Sister works in the team")
    assignment = {"complaint": complaint, "user": people["investigator"], "stage": 2}
    with pytest.raises(ValidationError, match="declared a conflict of interest"):
        cs.assign(actor=people["manager"], declaration=conflict, **assignment)
    declaration = complaint.conflict_declarations.get()
    assert declaration.blocks
    services.override_conflict(actor=people["leader"], declaration=declaration, reason="Reviewed by a manager")
    cs.assign(actor=people["manager"], **assignment)  # the overridden declaration on record
    complaint.refresh_from_db()
    assert complaint.stage2_handler == people["investigator"]
    assert history(complaint)[-4:] == ["declared_conflict", "assignment_refused", "overrode_conflict", "assigned"]


def test_a_declaration_missing_its_details_refuses_and_records_nothing(complaint, people):
    with pytest.raises(ValidationError, match="Describe the conflict"):
        cs.assign(
            actor=people["manager"],
            complaint=complaint,
            user=people["investigator"],
            stage=2,
            declaration=cs.Declaration(has_conflict=True, details=" "),
        )
    assert not complaint.conflict_declarations.exists()


def test_escalation_runs_the_training_gate_for_the_named_investigator(complaint, people, tree):
    from candour.people import services as people_services

    people_services.update_settings(actor=None, organisation=tree["agency"], investigator_training_gate="refuse")
    with pytest.raises(cs.TransitionRefused, match="requires it before this work can be assigned"):
        cs.transition(
            actor=people["manager"],
            complaint=complaint,
            name="escalate",
            reason="x",
            investigator=people["investigator"],
            declaration=NO_CONFLICT,
        )
    complaint.refresh_from_db()
    assert complaint.status == "acknowledged"


def test_reviewer_must_declare_and_a_declared_conflict_waits_for_an_override(at_stage2, people):
    response = draft(at_stage2, people)
    ask = {"actor": people["investigator"], "response": response, "reviewer": people["manager"]}
    with pytest.raises(ValidationError, match="has not declared") as error:
        services.request_review(**ask)
    assert "reviewer" in error.value.message_dict
    with pytest.raises(ValidationError, match="declared a conflict of interest"):
        services.request_review(declaration=cs.Declaration(has_conflict=True, details="Manages the colleague"), **ask)
    assert not response.quality_reviews.exists()
    declaration = at_stage2.conflict_declarations.get(role=CaseRole.REVIEWER)
    assert declaration.blocks
    assert history(at_stage2)[-1] == "review_request_refused"
    services.override_conflict(actor=people["leader"], declaration=declaration, reason="No other manager")
    review = services.request_review(**ask)
    assert review.reviewer == people["manager"]
    response.refresh_from_db()
    assert response.status == "awaiting_review"


def test_colleague_complained_about_is_told_supported_and_gives_account(complaint, people):
    involved = services.record_involved_colleague(
        actor=people["manager"], complaint=complaint, user=people["colleague"], involvement="x", complained_about=True
    )
    services.record_colleague_told(
        actor=people["manager"], involved=involved, told_on=TODAY, support_offered="Employee assistance"
    )
    services.add_statement(actor=people["manager"], involved=involved, kind="account", text="I did X", given_on=TODAY)
    services.add_statement(actor=people["manager"], involved=involved, kind="response", text="Re new", given_on=TODAY)
    assert complaint.colleague_support.get().kind == "support_offered"
    assert involved.statements.count() == 2
    assert {"told_colleague", "recorded_colleague_statement"} <= set(verbs(complaint))


# ---- plan -------------------------------------------------------------------------------------------------


def plan_fields(**overrides):
    fields = {
        "key_issues": "Delay",
        "outcome_sought": "Apology",
        "confirmed_with_complainant_on": TODAY,
        "approach": "Read records",
        "final_response_by": "Director",
        "target_date": TODAY + datetime.timedelta(days=28),
        "update_every_days": 7,
    }
    fields.update(overrides)
    return fields


def test_plan_update_dates_and_missed_update_shows_as_due(at_stage2, people):
    plan = services.save_plan(actor=people["investigator"], complaint=at_stage2, **plan_fields())
    assert plan.next_update_due == TODAY + datetime.timedelta(days=7)
    assert not services.update_is_due(plan, TODAY)
    assert services.update_is_due(plan, TODAY + datetime.timedelta(days=7))
    services.log_update(
        actor=people["investigator"], complaint=at_stage2, given_on=TODAY, given_to="Complainant", summary="x"
    )
    plan.refresh_from_db()
    assert plan.next_update_due == TODAY + datetime.timedelta(days=7)
    assert {"created_plan", "logged_update"} <= set(verbs(at_stage2))


def test_plan_refuses_missing_parts(at_stage2, people):
    with pytest.raises(ValidationError) as error:
        services.save_plan(
            actor=people["investigator"], complaint=at_stage2, **plan_fields(approach="", target_date=None)
        )
    assert {"approach", "target_date"} <= set(error.value.message_dict)


def test_sharing_plan_needs_confirmation_and_sends_a_letter(at_stage2, people):
    services.save_plan(
        actor=people["investigator"], complaint=at_stage2, **plan_fields(confirmed_with_complainant_on=None)
    )
    with pytest.raises(ValidationError, match="Confirm"):
        services.share_plan(actor=people["investigator"], complaint=at_stage2)
    services.save_plan(actor=people["investigator"], complaint=at_stage2, confirmed_with_complainant_on=TODAY)
    plan = services.share_plan(actor=people["investigator"], complaint=at_stage2)
    assert "How we will look into it" in plan.letter_html
    assert "Read records" in plan.letter_html
    message = Message.objects.get(idempotency_key__startswith="investigation:plan")
    assert message.recipient == "alex@example.com" and "Read records" in message.body_text


def test_plan_letter_in_welsh_and_large_print_by_post(at_stage2, people):
    Complaint.objects.filter(pk=at_stage2.pk).update(language="cy")
    at_stage2.refresh_from_db()
    services.save_letter_adjustments(
        actor=people["investigator"], complaint=at_stage2, large_print=True, delivery="post"
    )
    services.save_plan(actor=people["investigator"], complaint=at_stage2, **plan_fields())
    plan = services.share_plan(actor=people["investigator"], complaint=at_stage2)
    assert 'lang="cy"' in plan.letter_html
    assert "Sut byddwn ni’n ymchwilio" in plan.letter_html
    assert "18pt" in plan.letter_html
    assert not Message.objects.filter(idempotency_key__startswith="investigation:plan").exists()  # posted, not e-mailed


# ---- evidence ----------------------------------------------------------------------------------------------


def test_evidence_rules_and_findings(at_stage2, people):
    point = at_stage2.points.get()
    with pytest.raises(ValidationError, match="Cite"):
        services.add_evidence(actor=people["investigator"], complaint=at_stage2, kind="rule", title="Charter")
    with pytest.raises(ValidationError, match="interview notes"):
        services.add_evidence(actor=people["investigator"], complaint=at_stage2, kind="interview", title="Officer")
    services.add_evidence(
        actor=people["investigator"],
        complaint=at_stage2,
        kind="rule",
        title="Charter",
        rule_reference="s3.1",
        point=point,
    )
    with pytest.raises(ValidationError) as error:
        services.record_finding(
            actor=people["investigator"],
            point=point,
            should_have_happened="",
            what_happened="x",
            finding="y",
            outcome="upheld",
        )
    assert "should_have_happened" in error.value.message_dict
    services.record_finding(
        actor=people["investigator"],
        point=point,
        should_have_happened="s3.1: 10 days",
        what_happened="90 days",
        finding="Delay",
        outcome="upheld",
    )
    point.refresh_from_db()
    assert point.should_have_happened == "s3.1: 10 days" and point.outcome == "upheld"
    assert {"added_evidence", "updated_point"} <= set(verbs(at_stage2))


# ---- initial views, quality review, issuing -------------------------------------------------------------


def draft(complaint, people):
    point = complaint.points.get()
    if not point.outcome:
        cs.update_point(actor=people["investigator"], point=point, outcome="upheld")
    return cs.save_response(actor=people["investigator"], complaint=complaint, **ELEMENTS)


def issue(response, people):
    return cs.issue_response(actor=people["investigator"], response=response, delivery_method="post", letter_html="x")


def approve(response, people, reviewer="manager"):
    review = services.request_review(
        actor=people["investigator"], response=response, reviewer=people[reviewer], declaration=NO_CONFLICT
    )
    return services.decide_review(
        actor=people[reviewer],
        review=review,
        decision="approved",
        checklist=dict.fromkeys(services.CHECKLIST_NAMES, True),
    )


def test_no_sign_off_until_the_organisation_asks_for_it(complaint, people, tree):
    assert services.settings_for(tree["sibling"]).sign_off == SignOff.NONE


def test_unapproved_response_cannot_be_issued(at_stage2, people):
    response = draft(at_stage2, people)
    with pytest.raises(ValidationError) as error:
        issue(response, people)
    assert "quality_review" in error.value.message_dict


def test_self_review_is_refused(at_stage2, people):
    response = draft(at_stage2, people)
    cs.assign(actor=people["manager"], complaint=at_stage2, user=people["manager"], stage=2, declaration=NO_CONFLICT)
    with pytest.raises(ValidationError, match="someone other than the colleague who investigated"):
        services.request_review(actor=people["manager"], response=response, reviewer=people["manager"])


def test_involved_colleague_cannot_review(at_stage2, people):
    response = draft(at_stage2, people)
    services.record_involved_colleague(
        actor=people["leader"], complaint=at_stage2, user=people["manager"], involvement="x"
    )
    with pytest.raises(ValidationError, match="involved"):
        services.request_review(actor=people["investigator"], response=response, reviewer=people["manager"])


def test_review_returned_then_approved_then_issued(at_stage2, people):
    response = draft(at_stage2, people)
    review = services.request_review(
        actor=people["investigator"], response=response, reviewer=people["manager"], declaration=NO_CONFLICT
    )
    with pytest.raises(ValidationError, match="confirm every check"):
        services.decide_review(actor=people["manager"], review=review, decision="approved", checklist={})
    with pytest.raises(ValidationError, match="Only the reviewer"):
        services.decide_review(actor=people["leader"], review=review, decision="returned", checklist={}, comments="x")
    with pytest.raises(ValidationError):
        services.decide_review(actor=people["manager"], review=review, decision="returned", checklist={})
    services.decide_review(actor=people["manager"], review=review, decision="returned", checklist={}, comments="Fix")
    assert "returned" in cs.response_problems(response)["quality_review"]
    approve(response, people)
    response.refresh_from_db()
    assert response.status == "approved"
    assert "quality_review" not in cs.response_problems(response)
    issue(response, people)
    assert {"requested_quality_review", "returned_response", "approved_response", "issued_response"} <= set(
        verbs(at_stage2)
    )
    # The complaints app records each change of the response's state that the review caused.
    changes = AuditEvent.objects.filter(object_id=str(at_stage2.pk), verb="response_status_changed").order_by("id")
    assert list(changes.values_list("summary", flat=True)) == [
        "Stage 2 response: Draft → Awaiting quality review",
        "Stage 2 response: Awaiting quality review → Draft",
        "Stage 2 response: Draft → Awaiting quality review",
        "Stage 2 response: Awaiting quality review → Approved",
    ]
    assert all(c == {"fields": ["status"]} for c in changes.values_list("changes", flat=True))


def test_approval_is_invalidated_when_the_draft_changes(at_stage2, people):
    response = draft(at_stage2, people)
    approve(response, people)
    response = cs.save_response(actor=people["investigator"], complaint=at_stage2, impact="Changed after approval")
    assert "changed after it was approved" in cs.response_problems(response)["quality_review"]
    with pytest.raises(ValidationError):
        issue(response, people)


def test_adding_a_remedy_after_approval_needs_a_new_approval(at_stage2, people):
    response = draft(at_stage2, people)
    approve(response, people)
    cs.add_remedy(actor=people["investigator"], complaint=at_stage2, type="explanation", description="x")
    assert "quality_review" in cs.response_problems(response)


def test_sign_off_setting_decides_which_responses_need_review(at_stage2, people, tree):
    response = draft(at_stage2, people)
    services.update_settings(actor=people["leader"], organisation=tree["agency"], sign_off=SignOff.NONE)
    assert "quality_review" not in cs.response_problems(response)
    services.update_settings(
        actor=people["leader"],
        organisation=tree["agency"],
        sign_off=SignOff.REDRESS_ABOVE,
        sign_off_above=Decimal("100"),
    )
    assert "quality_review" not in cs.response_problems(response)
    cs.add_remedy(actor=people["investigator"], complaint=at_stage2, type="financial", description="x", amount=150)
    assert "quality_review" in cs.response_problems(response)


def test_complex_case_needs_initial_view_and_replies_before_response(at_stage2, people):
    services.save_plan(actor=people["investigator"], complaint=at_stage2, **plan_fields(is_complex=True))
    response = draft(at_stage2, people)
    approve(response, people)
    assert "complex" in cs.response_problems(response)["initial_view"]
    view = services.share_initial_view(
        actor=people["investigator"],
        complaint=at_stage2,
        text="View",
        shared_with="Complainant",
        shared_on=TODAY,
        reply_by=TODAY + datetime.timedelta(days=10),
    )
    assert "Wait for replies" in cs.response_problems(response)["initial_view"]
    services.record_reply(
        actor=people["investigator"], view=view, party="Alex", from_complainant=True, text="Agree", received_on=TODAY
    )
    assert "initial_view" not in cs.response_problems(response)
    issue(response, people)


# ---- remedies ------------------------------------------------------------------------------------------------


@pytest.fixture
def band(tree, people):
    return services.save_band(
        actor=people["manager"],
        organisation=tree["agency"],
        category="worry_distress",
        name="Moderate",
        minimum=Decimal("150"),
        maximum=Decimal("500"),
    )


def test_remedy_outside_band_needs_a_reason(at_stage2, people, band):
    with pytest.raises(ValidationError, match="outside the band"):
        services.add_banded_remedy(
            actor=people["investigator"], complaint=at_stage2, band=band, amount=Decimal("900"), description="x"
        )
    remedy = services.add_banded_remedy(
        actor=people["investigator"],
        complaint=at_stage2,
        band=band,
        amount=Decimal("900"),
        description="x",
        outside_band_reason="Exceptional impact",
    )
    assert remedy.banding.outside_band_reason == "Exceptional impact"
    inside = services.add_banded_remedy(
        actor=people["investigator"], complaint=at_stage2, band=band, amount=Decimal("200"), description="y"
    )
    assert inside.banding.outside_band_reason == ""
    services.extend_remedy(actor=people["investigator"], remedy=inside, who_is_affected="Others in batch 12")
    assert {"banded_remedy", "extended_remedy"} <= set(verbs(at_stage2))


def test_another_organisations_band_is_refused(at_stage2, people, tree):
    other = RedressBand.objects.create(
        organisation=tree["sibling"], category="poor_handling", name="S", minimum=1, maximum=2
    )
    with pytest.raises(ValidationError, match="redress bands"):
        services.add_banded_remedy(
            actor=people["investigator"], complaint=at_stage2, band=other, amount=Decimal("1"), description="x"
        )


def test_band_with_maximum_below_minimum_is_refused(tree, people):
    with pytest.raises(ValidationError, match="highest amount"):
        services.save_band(
            actor=people["manager"],
            organisation=tree["agency"],
            category="poor_handling",
            name="X",
            minimum=100,
            maximum=50,
        )


def test_remedies_report_by_service_area(at_stage2, people, band):
    services.add_banded_remedy(
        actor=people["investigator"], complaint=at_stage2, band=band, amount=Decimal("200"), description="y"
    )
    services.add_banded_remedy(
        actor=people["investigator"],
        complaint=at_stage2,
        band=band,
        amount=Decimal("900"),
        description="x",
        outside_band_reason="r",
    )
    rows = selectors.remedies_report(people["manager"])
    assert rows == [
        {
            "organisation": "Agency",
            "service_area": "Not known",
            "type": "Financial redress",
            "band": "Moderate",
            "count": 2,
            "total": Decimal("1100.00"),
            "lowest": Decimal("200.00"),
            "highest": Decimal("900.00"),
            "outside": 1,
        }
    ]


# ---- multi-organisation ------------------------------------------------------------------------------------


def test_contributing_organisation_adds_its_part_and_sees_only_its_own(at_stage2, people, tree):
    partner = services.add_partner(
        actor=people["investigator"], complaint=at_stage2, organisation=tree["sibling"], question="Your grant part"
    )
    response = draft(at_stage2, people)
    approve(response, people)
    assert "Sibling Body" in cs.response_problems(response)["partners"]
    with pytest.raises(ValidationError, match="contributing organisation"):
        services.contribute_part(actor=people["investigator"], partner=partner, part_text="x")
    services.contribute_part(actor=people["sibling"], partner=partner, part_text="We paid late.")
    assert "partners" not in cs.response_problems(response)
    assert list(selectors.partners_visible_to(people["sibling"])) == [partner]
    assert people["sibling"].has_perm("investigations.contribute", partner)
    assert not people["sibling"].has_perm("complaints.view", at_stage2)
    assert "contributed_part" in verbs(at_stage2)


def test_lead_cannot_be_a_partner(at_stage2, people, tree):
    with pytest.raises(ValidationError, match="leads"):
        services.add_partner(
            actor=people["investigator"], complaint=at_stage2, organisation=tree["agency"], question="q"
        )


# ---- challenging behaviour -----------------------------------------------------------------------------------


def restrict(complaint, people, **overrides):
    args = {
        "actor": people["manager"],
        "complaint": complaint,
        "approved_by": people["leader"],
        "reasons": "Abusive calls",
        "review_on": TODAY + datetime.timedelta(days=90),
        "written_contact_only": True,
    }
    args.update(overrides)
    return services.impose_restriction(**args)


@pytest.fixture
def incident(complaint, people):
    return services.record_incident(
        actor=people["handler"],
        complaint=complaint,
        type="abusive",
        occurred_on=TODAY,
        description="Shouted",
        impact_on_colleagues="Upset",
    )


def test_restriction_needs_an_incident_first(complaint, people):
    with pytest.raises(ValidationError, match="Record the behaviour first"):
        restrict(complaint, people)


def test_restriction_without_review_date_is_refused(complaint, people, incident):
    with pytest.raises(ValidationError) as error:
        restrict(complaint, people, review_on=None)
    assert "review_on" in error.value.message_dict
    assert not ContactRestriction.objects.exists()


def test_restriction_needs_senior_approval_and_something_restricted(complaint, people, incident):
    with pytest.raises(ValidationError, match="not a senior leader"):
        restrict(complaint, people, approved_by=people["manager"])
    with pytest.raises(ValidationError, match="at least one"):
        restrict(complaint, people, written_contact_only=False)
    with pytest.raises(ValidationError, match="6 months"):
        restrict(complaint, people, review_on=TODAY + datetime.timedelta(days=365))


def test_restriction_letter_explains_how_to_challenge_and_never_stops_new_complaints(complaint, people, incident, tree):
    restriction = restrict(complaint, people)
    assert "If you disagree" in restriction.letter_html
    assert "does not stop you making a new complaint" in restriction.letter_html
    assert Message.objects.filter(idempotency_key__startswith="investigation:restriction").exists()
    new, created = cs.create_complaint(
        actor=None,
        organisation=tree["agency"],
        channel=Channel.ONLINE,
        description="A new matter",
        complainant_name="Alex Example",
        complainant_email="alex@example.com",
    )
    assert created and new.pk
    assert "imposed_restriction" in verbs(complaint)


def test_restriction_reminder_then_lapse_unless_renewed(complaint, people, incident):
    restriction = restrict(complaint, people, review_on=TODAY + datetime.timedelta(days=30))
    assert services.remind_restriction_reviews(TODAY) == 0
    assert services.remind_restriction_reviews(TODAY + datetime.timedelta(days=25)) == 1
    assert services.remind_restriction_reviews(TODAY + datetime.timedelta(days=26)) == 0  # once
    assert Message.objects.filter(recipient=people["leader"].email).exists() or not people["leader"].email
    assert services.lapse_restrictions(TODAY + datetime.timedelta(days=30)) == 0
    assert services.lapse_restrictions(TODAY + datetime.timedelta(days=31)) == 1
    restriction.refresh_from_db()
    assert restriction.status == RestrictionStatus.LAPSED
    assert "restriction_lapsed" in verbs(complaint)


def test_renewed_restriction_does_not_lapse(complaint, people, incident):
    restriction = restrict(complaint, people, review_on=TODAY + datetime.timedelta(days=30))
    services.renew_restriction(
        actor=people["manager"],
        restriction=restriction,
        approved_by=people["leader"],
        review_on=TODAY + datetime.timedelta(days=120),
        reasons="Still abusive",
    )
    assert services.lapse_restrictions(TODAY + datetime.timedelta(days=31)) == 0
    assert "renewed_restriction" in verbs(complaint)


def test_debrief_for_affected_colleague(complaint, people, incident):
    services.record_support(
        actor=people["manager"],
        complaint=complaint,
        user=people["handler"],
        kind="debrief",
        on=TODAY,
        incident=incident,
    )
    assert incident.support.get().kind == "debrief"
    assert "recorded_support" in verbs(complaint)
