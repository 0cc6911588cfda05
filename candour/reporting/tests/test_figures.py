"""Every figure in the annual report against a small hand-computed fixture (financial year 2024: 1 April 2024
to 31 March 2025), and the fixed query count."""

import datetime
from decimal import Decimal

import pytest

from candour.complaints import services as complaint_services
from candour.complaints.models import Complaint, OmbudsmanReferral, Remedy, Response
from candour.learning.models import ImprovementAction, LearningRecord, LearningRecordTheme, RootCause, Theme
from candour.reporting import selectors
from candour.reporting.models import ReportDetails

pytestmark = pytest.mark.django_db
D = datetime.date


def complaint(org, received, **fields):
    c, _ = complaint_services.create_complaint(
        actor=None, organisation=org, channel=fields.pop("channel", "online"), description="It went wrong.",
        received_on=received, complainant_name="Ann Example",
    )  # fmt: skip
    Complaint.objects.filter(pk=c.pk).update(triage="complaint", **fields)
    c.refresh_from_db()
    return c


@pytest.fixture
def year_of_complaints(tree):
    agency, sibling = tree["agency"], tree["sibling"]
    area = agency.service_areas.create(name="Licences")
    # A: on time everywhere, stage 1 took 8 days; upheld; apology and £50 redress; learning "Delays".
    a = complaint(agency, D(2024, 4, 2), channel="email", service_area=area, acknowledgement_due=D(2024, 4, 8),
                  acknowledged_on=D(2024, 4, 3), stage1_due=D(2024, 5, 1), stage1_responded_on=D(2024, 4, 15),
                  stage1_working_days=8, outcome="upheld", closed_on=D(2024, 4, 20))  # fmt: skip
    # B: acknowledged late, stage 1 late (22 days, extended), escalated; stage 2 on time (30 days); not upheld.
    b = complaint(agency, D(2024, 6, 3), channel="online", acknowledgement_due=D(2024, 6, 7),
                  acknowledged_on=D(2024, 6, 10), stage1_due=D(2024, 7, 1), stage1_responded_on=D(2024, 7, 3),
                  stage1_working_days=22, stage1_extended=True, escalated_to_stage2=True, stage2_due=D(2024, 9, 1),
                  stage2_responded_on=D(2024, 8, 20), stage2_working_days=30, outcome="not_upheld")  # fmt: skip
    # C: received March 2025, not yet acknowledged; phone.
    complaint(agency, D(2025, 3, 31), channel="phone", acknowledgement_due=D(2025, 4, 4))
    # D: received in the previous year (2023), stage 1 responded in 2024 on time (12 days); partly upheld.
    d = complaint(agency, D(2024, 3, 20), channel="letter", acknowledgement_due=D(2024, 3, 25),
                  acknowledged_on=D(2024, 3, 21), stage1_due=D(2024, 4, 20), stage1_responded_on=D(2024, 4, 5),
                  stage1_working_days=12, outcome="partly_upheld")  # fmt: skip
    # E: a service request, never counted.
    e = complaint(agency, D(2024, 5, 1), acknowledgement_due=D(2024, 5, 3))
    Complaint.objects.filter(pk=e.pk).update(triage="service_request")
    # F: the sibling's: outside an agency report, inside the department's consolidated one.
    complaint(
        sibling, D(2024, 9, 9), channel="email", acknowledgement_due=D(2024, 9, 13), acknowledged_on=D(2024, 9, 10)
    )
    # Responses issued in the year, by stage and outcome.
    for c, stage, outcome, issued in (
        (a, 1, "upheld", D(2024, 4, 15)),
        (b, 1, "not_upheld", D(2024, 7, 3)),
        (b, 2, "not_upheld", D(2024, 8, 20)),
        (d, 1, "partly_upheld", D(2024, 4, 5)),
    ):
        Response.objects.create(complaint=c, stage=stage, status="issued", outcome=outcome, issued_on=issued)
    Remedy.objects.create(complaint=a, type="apology", description="Sorry")
    Remedy.objects.create(complaint=a, type="financial", description="Costs", amount=Decimal("50.00"))
    Remedy.objects.create(complaint=d, type="financial", description="Costs", amount=Decimal("20.00"))  # last year
    OmbudsmanReferral.objects.create(complaint=b, mp_referral_date=D(2024, 10, 1), decision="not_upheld")
    cause = RootCause.objects.filter(organisation__isnull=True).first()
    theme = Theme.objects.create(organisation=agency, name="Delays")
    record = LearningRecord.objects.create(complaint=a, organisation=agency, what_went_wrong="Queue", root_cause=cause)
    record.themes.add(theme, through_defaults=LearningRecordTheme.keys_of(record))
    ImprovementAction.objects.create(
        organisation=agency, description="Daily queue check by Mr Hughes", evidence="Checklist in use",
        status="verified_effective", done_on=D(2024, 11, 1),
    )  # fmt: skip
    ImprovementAction.objects.create(organisation=agency, description="Later", status="done", done_on=D(2025, 5, 1))
    ReportDetails.objects.create(organisation=agency, year=2024, interactions=4000)
    return tree


def test_every_figure_for_one_body(year_of_complaints):
    agency = year_of_complaints["agency"]
    f = selectors.annual_report_figures(selectors.report_scope(agency, False), 2024)
    assert f["received"] == 3  # A, B, C (D was received last year, E is a service request)
    assert f["interactions"] == 4000 and f["per_thousand_interactions"] == 0.75
    assert {c["key"]: c["count"] for c in f["by_channel"] if c["count"]} == {"email": 1, "online": 1, "phone": 1}
    assert f["by_service_area"] == [{"name": "Not recorded", "count": 2}, {"name": "Licences", "count": 1}]
    assert f["by_theme"] == [{"name": "Delays", "count": 1}]
    assert f["acknowledgement"] == {"acknowledged": 2, "on_time": 1, "percent_on_time": 33.3}
    # Stage 1 responses issued in the year: A (on time, 8), B (late, 22, extended), D (on time, 12).
    assert f["stage1"] == {"responded": 3, "on_time": 2, "percent_on_time": 66.7, "average_days": 14.0,
                           "extended": 1, "percent_extended": 33.3}  # fmt: skip
    assert f["stage2"] == {"responded": 1, "on_time": 1, "percent_on_time": 100.0, "average_days": 30.0,
                           "extended": 0, "percent_extended": 0.0}  # fmt: skip
    assert f["escalated_to_stage2"] == 1 and f["percent_escalated_to_stage2"] == 33.3
    outcomes = {(o["stage"], o["outcome"]): o["count"] for o in f["outcomes"] if o["count"]}
    assert outcomes == {(1, "upheld"): 1, (1, "not_upheld"): 1, (1, "partly_upheld"): 1, (2, "not_upheld"): 1}
    remedies = {r["type"]: (r["count"], r["amount"]) for r in f["remedies"] if r["count"]}
    assert remedies == {"apology": (1, Decimal("0")), "financial": (1, Decimal("50.00"))}
    assert f["redress_paid"] == Decimal("50.00")
    assert f["ombudsman"]["referred"] == 1
    assert {d["decision"]: d["count"] for d in f["ombudsman"]["decisions"] if d["count"]} == {"not_upheld": 1}
    assert f["learning_records"] == 1 and f["actions_completed"] == 1 and f["actions_verified_effective"] == 1
    # Improvement text in a public report is anonymised too.
    assert f["improvements"][0]["description"] == "Daily queue check by [name]"
    # The previous year: D only (received March 2024), its £20 redress.
    p = f["previous"]
    assert p["received"] == 1 and p["redress_paid"] == Decimal("20.00") and p["stage1"]["responded"] == 0
    assert p["label"] == "April 2023 to March 2024"


def test_consolidated_covers_the_subtree_with_a_table_per_organisation(year_of_complaints):
    dept = year_of_complaints["dept"]
    f = selectors.annual_report_figures(selectors.report_scope(dept, True), 2024)
    assert f["received"] == 4
    assert [(r["organisation"], r["received"]) for r in f["by_organisation"]] == [("Agency", 3), ("Sibling Body", 1)]
    assert f["per_thousand_interactions"] == 1.0  # only the agency's volume is known: 4 / 4000 * 1000
    assert selectors.annual_report_figures(selectors.report_scope(dept, False), 2024)["received"] == 0


def test_the_figures_take_a_fixed_number_of_queries(year_of_complaints, django_assert_num_queries):
    ids = selectors.report_scope(year_of_complaints["dept"], True)
    with django_assert_num_queries(13):
        selectors.annual_report_figures(ids, 2024)
    for n in range(5):
        complaint(year_of_complaints["agency"], D(2024, 7, n + 1), acknowledgement_due=D(2024, 7, 9))
    with django_assert_num_queries(13):
        selectors.annual_report_figures(ids, 2024)
