"""The generator makes data the rest of Candour can rely on: the same rules as real intake, every time."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from candour.complaints import selectors, services
from candour.complaints.models import Complaint, OmbudsmanReferral, ReferenceCounter, StageTransition
from candour.complaints.states import OPEN_STATES
from candour.core.calendar import WorkingCalendar
from candour.organisations.models import Nation, Organisation
from candour.organisations.selectors import _holidays, calendar_for
from candour.synthetic.generator import COMPLAINT_COLUMNS, DayTable, Params, checksum, dangling_keys, generate

TODAY = datetime.date(2025, 3, 14)
PARAMS = Params(complaints=800, organisations=5, years=2, seed=7, today=TODAY)


@pytest.fixture
def synthetic(db):
    return generate(PARAMS)


def test_a_row_that_does_not_fit_its_table_is_refused(db):
    # A column added to Complaint without a value here fails loudly rather than shifting every value after it.
    from candour.synthetic.generator import sink_for_connection

    with pytest.raises(ValueError, match="columns"):
        sink_for_connection().write(Complaint, COMPLAINT_COLUMNS, [(1, "REF")])


def test_day_table_agrees_with_the_working_day_calendar(db):
    first = datetime.date(2023, 1, 1)
    for nation in Nation.values:
        table = DayTable(nation, first, datetime.date(2026, 12, 31))
        calendar = WorkingCalendar(nation, holidays=_holidays())
        for offset in range(0, 900, 7):
            start = first + datetime.timedelta(days=offset)
            for n in (1, 3, 5, 20):
                assert first + datetime.timedelta(days=table.add(offset, n)) == calendar.add_working_days(start, n)


def test_a_department_with_related_organisations_in_all_four_nations(synthetic):
    bodies = Organisation.objects.filter(slug__startswith="syn-", accepts_complaints=True)
    assert bodies.count() == 5
    dept = bodies.get(slug="syn-dept")
    assert all(o.parent_id == dept.id for o in bodies.exclude(pk=dept.pk))
    assert set(bodies.values_list("nation", flat=True)) == set(Nation.values)
    assert all(o.service_areas.count() == 5 and o.children.filter(kind="team").count() == 3 for o in bodies)


def test_complaints_look_like_a_real_caseload(synthetic):
    complaints = Complaint.objects.filter(organisation__slug__startswith="syn-")
    assert complaints.count() == 800
    statuses = Counter(complaints.values_list("status", flat=True))
    open_count = sum(statuses[s] for s in OPEN_STATES)
    assert statuses["closed"] > 800 * 0.6, statuses
    assert 0 < open_count < 800 * 0.2, statuses
    assert complaints.filter(status__in=OPEN_STATES, response_due__lt=TODAY).exists()  # some overdue
    escalated = complaints.filter(escalated_to_stage2=True).count()
    assert 800 * 0.05 < escalated < 800 * 0.15
    assert OmbudsmanReferral.objects.filter(complaint__in=complaints).count() <= escalated
    assert complaints.filter(received_on__gt=TODAY).count() == 0
    assert complaints.filter(received_on__lt=TODAY - datetime.timedelta(days=365)).exists()
    assert len(set(complaints.values_list("description", flat=True))) > 500  # varied free text
    assert all(1 <= c.points.count() <= 3 for c in complaints[:100])


def test_deadlines_follow_each_organisations_calendar(synthetic):
    for complaint in Complaint.objects.select_related("organisation").order_by("?")[:150]:
        org = complaint.organisation
        calendar = calendar_for(org)
        assert complaint.acknowledgement_due == calendar.add_working_days(complaint.received_on, org.acknowledge_days)
        assert complaint.stage1_due == calendar.add_working_days(complaint.received_on, org.stage1_response_days)
        if complaint.stage1_responded_on:
            assert complaint.stage1_working_days == calendar.working_days_between(
                complaint.received_on, complaint.stage1_responded_on
            )
        if complaint.is_open:
            assert complaint.response_due == (complaint.stage2_due if complaint.stage == 2 else complaint.stage1_due)
        else:
            assert complaint.response_due is None
        if complaint.stage == 2:
            assert complaint.stage2_handler_id != complaint.stage1_handler_id


def test_every_key_points_at_a_row(synthetic):
    assert dangling_keys() == {}


def test_responses_and_remedies_carry_their_complaints_organisation_and_date(synthetic):
    from django.db.models import F, Q

    from candour.complaints.models import Remedy, Response

    for model in (Response, Remedy):
        assert model.objects.exists()
        wrong = model.objects.filter(
            Q(organisation_id__isnull=True)
            | ~Q(organisation_id=F("complaint__organisation_id"))
            | ~Q(complaint_received_on=F("complaint__received_on"))
        )
        assert not wrong.exists(), model.__name__


def test_transitions_tell_the_complaints_story(synthetic):
    for complaint in Complaint.objects.order_by("?")[:100]:
        log = list(StageTransition.objects.filter(complaint=complaint).order_by("occurred_at", "id"))
        assert log[0].transition == "receive"
        assert log[-1].to_status == complaint.status
        assert all(a.to_status == b.from_status for a, b in zip(log[1:], log[2:], strict=False))


def test_real_intake_continues_each_reference_sequence(synthetic):
    org = Organisation.objects.get(slug="syn-001")
    year = TODAY.year
    last = ReferenceCounter.objects.get(organisation=org, year=year).last
    assert Complaint.objects.filter(organisation=org, received_on__year=year).count() == last
    complaint, _ = services.create_complaint(
        actor=None, organisation=org, channel="online", description="A new one", received_on=TODAY
    )
    assert complaint.reference == f"SYN-001-{year}-{last + 1:06d}"


def test_staff_see_their_organisations_complaints(synthetic, django_user_model):
    manager = django_user_model.objects.get(username="syn-001-complaints-manager-1")
    visible = selectors.complaints_visible_to(manager)
    assert visible.exists()
    assert set(visible.values_list("organisation__slug", flat=True)) == {"syn-001"}
    assert manager.check_password("synthetic-staff-password-2024")


def test_the_same_seed_gives_the_same_complaints(db):
    def run(params):
        point = transaction.savepoint()
        generate(params)
        digest = checksum()
        transaction.savepoint_rollback(point)
        return digest

    small = Params(complaints=300, organisations=3, years=1, seed=11, today=TODAY)
    first = run(small)
    assert run(small) == first
    assert run(Params(complaints=300, organisations=3, years=1, seed=12, today=TODAY)) != first


def test_the_command_refuses_to_generate_twice_with_one_prefix(db, capsys):
    call_command("generate_synthetic", complaints=50, organisations=2, years=1, today=TODAY)
    assert "50 rows" in capsys.readouterr().out
    with pytest.raises(Exception, match="already exists"):
        call_command("generate_synthetic", complaints=50, organisations=2, years=1, today=TODAY)
