import pytest

from candour.demo import data
from candour.investigations.models import ContactRestriction, InvestigationPlan, QualityReview, RedressBand

pytestmark = pytest.mark.django_db


def test_demo_investigations_are_built_once():
    data.build(complaints=60)
    data.build(complaints=60)
    assert InvestigationPlan.objects.count() == 2
    assert list(QualityReview.objects.values_list("decision", flat=True)) == ["returned", "approved"]
    assert ContactRestriction.objects.count() == 1
    assert RedressBand.objects.filter(organisation__slug="vla").count() == 5
