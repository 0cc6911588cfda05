"""Learning, governance and surveys from the generator obey the rules their services enforce, and fill the
dashboard's, the annual report's and the survey results' sections."""

import datetime
import re
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, F, Q

from candour.complaints.models import Complaint
from candour.complaints.states import Status
from candour.feedback import selectors as feedback_selectors
from candour.feedback.models import Answer, SurveyInvitation, SurveyResponse
from candour.feedback.services import LINK_DAYS, why_not_survey
from candour.feedback.statements import STATEMENTS
from candour.governance.models import Decision, GovernanceBody, GovernanceReview, InteractionVolume, ReviewAction
from candour.governance.selectors import dashboard_figures, review_rhythm
from candour.learning import services as learning_services
from candour.learning.models import ImprovementAction, LearningRecord, Theme
from candour.learning.states import DELIVERED_STATUSES, OPEN_STATUSES, TRANSITIONS, ActionStatus
from candour.organisations.models import Membership, Organisation
from candour.organisations.selectors import calendar_for
from candour.reporting.selectors import annual_report_figures, financial_year, other_sections, report_scope
from candour.synthetic import extras
from candour.synthetic import text as T
from candour.synthetic.generator import STEPS, Params, checksum, dangling_keys, generate

TODAY = datetime.date(2025, 3, 14)
PARAMS = Params(complaints=800, organisations=5, years=2, seed=7, today=TODAY)


@pytest.fixture
def synthetic(db):
    return generate(PARAMS)


def test_the_extra_steps_run_after_the_complaints_and_before_analyze():
    names = [s.name for s in STEPS]
    assert names == ["organisations", "staff", "complaints", "learning", "governance", "surveys", "analyze"]


def test_no_template_names_a_person():
    # Learning and published summaries may name neither colleagues nor complainants; staff and complainants
    # are drawn from these name lists, so no template word may be one of them.
    names = set(T.FIRST_NAMES) | set(T.SURNAMES)

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from strings(k)
                yield from strings(v)
        elif isinstance(value, list | tuple):
            for v in value:
                yield from strings(v)

    templates = [T.THEMES, T.SPIKE_THEME, T.EVIDENCE, T.EXPECTED_IMPACT, T.HOW_MEASURED, T.VERIFIED_EFFECTIVE,
                 T.VERIFIED_NOT_EFFECTIVE, T.YOU_SAID, T.WE_DID, T.DECISIONS, T.REVIEW_ACTIONS,
                 T.DISCUSSION]  # fmt: skip
    found = {w for t in templates for s in strings(t) for w in re.findall(r"[A-Za-z']+", s) if w in names}
    assert found == set()


def test_counts_are_plausible(synthetic):
    complaints = Complaint.objects.filter(organisation__slug__startswith="syn-")
    upheld = complaints.filter(outcome__in=learning_services.UPHELD).count()
    records = LearningRecord.objects.count()
    assert 0.45 * upheld < records < 0.75 * upheld
    assert Theme.objects.count() >= 5 * 10
    assert ImprovementAction.objects.filter(governance_review_action__isnull=True).count() > records * 0.05
    statuses = Counter(ImprovementAction.objects.values_list("status", flat=True))
    assert set(statuses) >= {"in_progress", "done", "verified_effective"}, statuses
    assert ImprovementAction.objects.filter(status__in=OPEN_STATUSES, due_date__lt=TODAY).exists()  # some overdue
    closed = complaints.filter(status=Status.CLOSED).count()
    invited = SurveyInvitation.objects.filter(kind="complainant").count()
    assert 0.6 * closed < invited < closed
    answered = SurveyResponse.objects.filter(kind="complainant").count()
    assert 0.15 * invited < answered < 0.4 * invited
    assert SurveyResponse.objects.filter(kind="colleague").count() > 0
    assert GovernanceReview.objects.count() >= 5 * 5  # quarterly over two years, a few missed
    assert Decision.objects.count() >= GovernanceReview.objects.count()
    assert ReviewAction.objects.exists()
    assert InteractionVolume.objects.count() == 5 * 24  # every whole month of the two years
    assert GovernanceBody.objects.count() == 5


def test_every_key_points_at_a_row_in_the_new_tables_too(synthetic):
    assert dangling_keys() == {}
    tables = {model._meta.db_table for model, _columns in extras.G.EXTRA_TABLES}
    assert {"learning_learningrecord", "learning_improvementaction_complaints", "feedback_answer",
            "governance_reviewaction", "governance_interactionvolume"} <= tables  # fmt: skip


def test_learning_records_follow_the_learning_rules(synthetic):
    records = LearningRecord.objects.select_related("complaint", "root_cause", "service_area")
    for record in records.order_by("?")[:200]:
        complaint = record.complaint
        assert complaint.outcome in learning_services.UPHELD
        assert record.organisation_id == complaint.organisation_id
        assert record.root_cause.organisation_id in (None, complaint.organisation_id)
        assert record.service_area is None or record.service_area.organisation_id == complaint.organisation_id
        assert record.what_went_wrong.strip()
        assert record.created_by_id in (complaint.stage1_handler_id, complaint.stage2_handler_id)
        responded = complaint.stage2_responded_on or complaint.stage1_responded_on
        assert responded <= record.created_at.date() <= TODAY
        assert 1 <= record.themes.count() <= 3
    # Themes belong to the record's organisation.
    through = LearningRecord.themes.through.objects
    assert not through.exclude(theme__organisation_id=F("learningrecord__organisation_id")).exists()
    # No learning text names a colleague involved in the complaint (services.check_no_colleague_names).
    for record in records.select_related("complaint__stage1_handler", "complaint__stage2_handler")[:300]:
        names = learning_services.colleague_names([record.complaint])
        assert learning_services.named_colleague(record.what_went_wrong, names) is None


def test_improvement_actions_follow_their_lifecycle(synthetic):
    members = set(Membership.objects.values_list("user_id", "organisation_id"))
    for action in ImprovementAction.objects.prefetch_related("complaints", "learning_records", "themes", "status_log"):
        assert (action.senior_owner_id, action.organisation_id) in members
        assert (action.delivery_owner_id, action.organisation_id) in members
        assert action.due_date is not None
        assert action.created_at.date() <= TODAY
        if action.status in DELIVERED_STATUSES:
            assert action.evidence.strip() and action.done_on is not None and action.done_on <= TODAY
        else:
            assert action.done_on is None and action.verified_on is None and action.verified_by_id is None
        if action.status in (ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.VERIFIED_NOT_EFFECTIVE):
            assert action.done_on < action.verified_on <= TODAY
            assert action.verified_by_id and action.verified_by_id != action.delivery_owner_id
        else:
            assert action.verified_on is None and action.verified_by_id is None
        if action.publication == "approved":
            assert action.status in DELIVERED_STATUSES and action.you_said and action.we_did
            assert action.done_on <= action.published_on <= TODAY
        if action.status in OPEN_STATUSES and action.due_date < TODAY:
            assert action.times_overdue >= 1 and action.overdue_counted_for == action.due_date
        # Linked complaints are the organisation's, and the learning records are exactly theirs (services._link).
        complaint_ids = {c.pk for c in action.complaints.all()}
        assert all(c.organisation_id == action.organisation_id for c in action.complaints.all())
        assert {r.complaint_id for r in action.learning_records.all()} == complaint_ids
        assert all(t.organisation_id == action.organisation_id for t in action.themes.all())
        # The status log is a path through the state machine that ends at the action's status.
        log = sorted(action.status_log.all(), key=lambda e: (e.occurred_at, e.id))
        assert log[0].transition == "propose" and log[-1].to_status == action.status
        for entry in log[1:]:
            spec = TRANSITIONS[entry.transition]
            assert entry.from_status in spec.sources and entry.to_status == spec.target
            if spec.requires_reason:
                assert entry.reason.strip()
        assert all(a.to_status == b.from_status for a, b in zip(log[1:], log[2:], strict=False))
        assert log[-1].occurred_at.date() <= TODAY
        names = learning_services.colleague_names(
            Complaint.objects.filter(pk__in=complaint_ids).select_related("stage1_handler", "stage2_handler")
        )
        for text in (action.description, action.evidence, action.expected_impact):
            assert learning_services.named_colleague(text, names) is None


def test_governance_reviews_are_held_and_their_actions_are_improvement_actions(synthetic):
    for review in GovernanceReview.objects.prefetch_related("decisions", "actions__improvement_action"):
        assert review.period_start <= review.period_end < review.held_on <= TODAY
        assert review.attendees.strip() and review.discussion.strip()
        for decision in review.decisions.all():
            assert (decision.status == "open") == (decision.status_changed_on is None)
            if decision.status_changed_on:
                assert review.held_on <= decision.status_changed_on <= TODAY
        for action in review.actions.all():
            improvement = action.improvement_action
            assert improvement.organisation_id == review.organisation_id
            assert improvement.senior_owner_id == action.owner_id and improvement.due_date == action.due_on
            assert improvement.description == action.description
            assert Membership.objects.filter(user_id=action.owner_id, organisation_id=review.organisation_id).exists()
    assert all(v.month.day == 1 and v.count > 0 for v in InteractionVolume.objects.all())
    bodies = Organisation.objects.filter(slug__startswith="syn-", accepts_complaints=True)
    ids = list(bodies.values_list("pk", flat=True))
    rhythm = review_rhythm(ids, TODAY)
    assert set(rhythm) == set(ids) and all(state["last_held"] for state in rhythm.values())


def test_surveys_follow_the_feedback_rules(synthetic):
    invitations = SurveyInvitation.objects.select_related("complaint")
    for invitation in invitations.filter(kind="complainant").order_by("?")[:300]:
        complaint = invitation.complaint
        assert why_not_survey(complaint) is None  # closed, not anonymous, not opted out, has an e-mail address
        assert invitation.organisation_id == complaint.organisation_id and invitation.token_hash
        earliest = calendar_for(complaint.organisation).add_working_days(complaint.closed_on, 10)
        assert invitation.created_at.date() == earliest <= TODAY
        assert invitation.expires_at == invitation.created_at + datetime.timedelta(days=LINK_DAYS)
    for invitation in invitations.filter(kind="colleague").order_by("?")[:300]:
        complaint = invitation.complaint
        assert complaint.status == Status.CLOSED
        expected = {complaint.stage1_handler_id: "handler", complaint.stage2_handler_id: "investigator"}
        assert expected[invitation.colleague_id] == invitation.colleague_role
    # Surveys only for closed complaints, one complainant invitation each, one response per invitation.
    assert not SurveyInvitation.objects.exclude(complaint__status=Status.CLOSED).exists()
    assert not SurveyInvitation.objects.filter(kind="complainant").values("complaint").annotate(n=Count("id")).filter(
        n__gt=1
    )
    answered = SurveyInvitation.objects.filter(used_at__isnull=False)
    assert answered.count() == SurveyResponse.objects.count()
    for response in SurveyResponse.objects.select_related("invitation__complaint").order_by("?")[:300]:
        invitation = response.invitation
        assert response.kind == invitation.kind and response.organisation_id == invitation.organisation_id
        assert invitation.used_at == response.submitted_at
        assert invitation.created_at < response.submitted_at < invitation.expires_at
        assert response.submitted_at.date() <= TODAY
        assert (response.stage, response.outcome) == (invitation.complaint.stage, invitation.complaint.outcome)
    # Every statement of the survey answered once, with the statement's section, on the 1-5 scale.
    sections = {(kind, s.key): int(s.section) for kind, statements in STATEMENTS.items() for s in statements}
    per_response = Counter(Answer.objects.values_list("response_id", flat=True))
    kinds = dict(SurveyResponse.objects.values_list("id", "kind"))
    assert all(per_response[pk] == len(STATEMENTS[kind]) for pk, kind in kinds.items())
    for statement, section, score, kind in Answer.objects.values_list(
        "statement", "section", "score", "response__kind"
    ):
        assert sections[(kind, statement)] == section and 1 <= score <= 5
    assert not Answer.objects.filter(Q(score__lt=1) | Q(score__gt=5)).exists()


def test_dashboard_report_and_survey_sections_are_filled(synthetic):
    bodies = Organisation.objects.filter(slug__startswith="syn-", accepts_complaints=True)
    ids = list(bodies.values_list("pk", flat=True))
    start = TODAY - datetime.timedelta(days=364)
    figures = dashboard_figures(ids, start, TODAY, TODAY)
    assert figures["themes"] and figures["themes"][0]["complaints"] > 0
    assert figures["improvement_actions"]["total"] > 0 and figures["improvement_actions"]["open"] > 0
    assert figures["review_actions"]["open"] >= 0
    assert figures["interactions"] and figures["per_thousand"] is not None
    assert any(not row["suppressed"] for row in feedback_selectors.survey_results(ids, start, TODAY)["complainant"][
        "statements"
    ])
    assert figures["surveys"] and any(row["percent_agree"] is not None for row in figures["surveys"])

    year = financial_year(TODAY) - 1  # the last whole financial year
    department = bodies.get(slug="syn-dept")
    scope = report_scope(department, True)
    report = annual_report_figures(scope, year)
    assert report["learning_records"] > 0 and report["by_theme"]
    assert report["actions_completed"] > 0 and report["improvements"]
    sections = other_sections(scope, year)
    assert sections["surveys"]["rows"] and sections["governance"]["rows"]


def test_the_same_seed_gives_the_same_learning_surveys_and_reviews(db):
    def run(params):
        point = transaction.savepoint()
        generate(params)
        digests = checksum(), extras.checksum()
        transaction.savepoint_rollback(point)
        return digests

    small = Params(complaints=300, organisations=3, years=1, seed=11, today=TODAY)
    first = run(small)
    assert run(small) == first
    assert run(Params(complaints=300, organisations=3, years=1, seed=12, today=TODAY))[1] != first[1]
