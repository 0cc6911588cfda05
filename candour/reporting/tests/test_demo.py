import pytest

from candour.demo import data
from candour.reporting.models import PublishedReport

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_last_years_report_for_the_agency_once():
    world = data.build(complaints=40)
    data.build(complaints=40)  # again: nothing new
    reports = PublishedReport.objects.filter(organisation=world["organisations"]["vla"])
    assert reports.count() == 1
    assert "Vehicle Licensing Agency" in reports.get().html and "The board accepts the report" in reports.get().html
