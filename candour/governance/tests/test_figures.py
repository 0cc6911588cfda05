"""Every dashboard indicator against the hand-computed fixture (see conftest.py for the arithmetic)."""

from decimal import Decimal

import pytest

from candour.governance.selectors import dashboard_figures, organisation_comparison

from .conftest import Q3

pytestmark = pytest.mark.django_db


def test_every_indicator_matches_the_hand_computed_figures(world):
    f = dashboard_figures([world["agency"].pk], *Q3)
    assert f["received"] == 5
    assert (f["interactions"], f["per_thousand"]) == (4000, Decimal("1.25"))
    # Acknowledged on time: A and B (B's deadline skips Christmas and Boxing Day); late: C, and D never done.
    assert (f["ack_on_time"], f["ack_late"], f["ack_pct_on_time"]) == (2, 2, Decimal("50.0"))
    # Stage 1 on time: B, and C within its extension; late: A (after the bank holidays), D overdue.
    assert (f["stage1_on_time"], f["stage1_late"], f["stage1_pct_on_time"]) == (2, 2, Decimal("50.0"))
    assert f["stage1_overdue"] == 1
    assert f["stage1_avg_days"] == Decimal("8.7")  # (11 + 5 + 10) / 3
    assert (f["stage1_extended"], f["stage1_started"], f["stage1_pct_extended"]) == (1, 5, Decimal("20.0"))
    assert (f["stage2_on_time"], f["stage2_late"], f["stage2_pct_on_time"]) == (1, 0, Decimal("100.0"))
    assert f["stage2_avg_days"] == Decimal("10.0")
    assert f["stage2_pct_extended"] == Decimal("0.0")
    assert (f["escalated"], f["escalated_pct"]) == (1, Decimal("20.0"))
    assert (f["ombudsman_referred"], f["ombudsman_pct"]) == (1, Decimal("20.0"))
    assert {r["decision"]: r["count"] for r in f["ombudsman_decisions"]}["pending"] == 1
    assert (f["open"], f["overdue"]) == (1, 1)


def test_breakdowns_by_channel_service_area_month_outcome_and_remedy(world):
    f = dashboard_figures([world["agency"].pk], *Q3)
    assert {r["channel"]: r["count"] for r in f["by_channel"]} == {"email": 2, "phone": 1, "online": 1, "letter": 1}
    assert {r["label"]: r["count"] for r in f["by_service_area"]} == {"Licences": 2, "Refunds": 1, "Not recorded": 2}
    assert [(r["month"].month, r["received"]) for r in f["by_month"]] == [(10, 0), (11, 0), (12, 5)]
    stage1 = {r["outcome"]: r["count"] for r in f["outcomes"][1]}
    stage2 = {r["outcome"]: r["count"] for r in f["outcomes"][2]}
    assert stage1 == {"upheld": 1, "partly_upheld": 1, "not_upheld": 1}
    assert stage2 == {"upheld": 0, "partly_upheld": 1, "not_upheld": 0}
    remedies = {r["type"]: (r["count"], r["amount"]) for r in f["remedies"]}
    assert remedies["financial"] == (1, Decimal("150.00")) and remedies["apology"][0] == 1
    assert f["redress_total"] == Decimal("150.00")


def test_an_empty_period_has_no_percentages_rather_than_zero(world):
    import datetime

    f = dashboard_figures([world["agency"].pk], datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert f["received"] == 0 and f["ack_pct_on_time"] is None and f["stage1_avg_days"] is None
    assert f["per_thousand"] is None


def test_the_side_by_side_view_matches_each_organisations_own_figures(world):
    rows = organisation_comparison([world["agency"], world["sibling"]], *Q3)
    agency, sibling = rows
    assert (agency["received"], agency["stage1_pct_on_time"], agency["per_thousand"]) == (
        5,
        Decimal("50.0"),
        Decimal("1.25"),
    )
    assert sibling["received"] == 1 and sibling["per_thousand"] is None
    consolidated = dashboard_figures([world["agency"].pk, world["sibling"].pk], *Q3)
    assert consolidated["received"] == 6
    # Per 1,000 only over the organisations that record volumes.
    assert consolidated["per_thousand"] == Decimal("1.25")


# 11 queries for the complaint and action figures, 1 for the survey statements (feedback) and 5 for training
# compliance (people). The point is that the number does not grow with the number of complaints.
DASHBOARD_QUERIES = 17


def test_a_dashboard_over_many_complaints_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    ids = [world["agency"].pk]
    with django_assert_num_queries(DASHBOARD_QUERIES):
        dashboard_figures(ids, *Q3)
    # Ten times the complaints: the same queries.
    from candour.complaints.models import Complaint

    template = Complaint.objects.get(pk=world["d"].pk)
    clones = []
    for i in range(200):
        template.pk = None
        template.reference = f"BULK-{i}"
        template.submission_key = None
        clones.append(Complaint(**{f.attname: getattr(template, f.attname) for f in Complaint._meta.concrete_fields}))
    Complaint.objects.bulk_create(clones)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert dashboard_figures(ids, *Q3)["received"] == 205


def test_every_threshold_indicator_names_a_figure_the_side_by_side_view_computes(world):
    from candour.governance.models import Indicator

    row = organisation_comparison([world["agency"]], *Q3)[0]
    assert all(indicator in row for indicator in Indicator.values)


def test_the_parent_view_totals_each_organisations_counts_and_agrees_with_a_recount(world, tree):
    from candour.governance.selectors import monthly_by_organisation, oversight_figures

    # The department received nothing in the period: its row is empty and its averages are absent, not zero.
    bodies = [tree["dept"], world["agency"], world["sibling"]]
    ids = [b.pk for b in bodies]
    rows, consolidated, trend = oversight_figures(bodies, *Q3)
    recount = dashboard_figures(ids, *Q3)
    assert consolidated["received"] == 6
    for key, value in recount.items():
        assert consolidated[key] == value, key
    assert consolidated["stage1_avg_days"] == recount["stage1_avg_days"] is not None
    assert rows == organisation_comparison(bodies, *Q3)
    assert rows[0]["received"] == 0 and rows[0]["stage1_avg_days"] is None
    assert trend == monthly_by_organisation(bodies, *Q3)
    assert sum(sum(series) for series in trend["series"].values()) == 6


def test_the_parent_view_counts_the_cohort_once(world, tree, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from candour.governance.selectors import monthly_by_organisation, oversight_figures

    bodies = [tree["dept"], world["agency"], world["sibling"]]
    with CaptureQueriesContext(connection) as separately:
        organisation_comparison(bodies, *Q3)
        dashboard_figures([b.pk for b in bodies], *Q3)
        monthly_by_organisation(bodies, *Q3)
    # The consolidated scalar figures and months come from the per-organisation counts: two queries fewer.
    with django_assert_max_num_queries(len(separately) - 2):
        oversight_figures(bodies, *Q3)
