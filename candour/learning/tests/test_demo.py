from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from candour.learning import selectors, trends
from candour.learning.models import ImprovementAction, LearningRecord
from candour.learning.states import ActionStatus
from candour.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_learning_has_actions_in_every_status_and_a_spiking_theme():
    call_command("seed_demo", "--complaints", "300", stdout=StringIO())
    counts = (LearningRecord.objects.count(), ImprovementAction.objects.count())
    call_command("seed_demo", "--complaints", "300", stdout=StringIO())
    assert (LearningRecord.objects.count(), ImprovementAction.objects.count()) == counts  # idempotent
    assert counts[0] > 50
    assert set(ImprovementAction.objects.values_list("status", flat=True)) == set(ActionStatus.values)
    assert ImprovementAction.objects.filter(publication="approved").exclude(we_did_cy="").exists()
    vla = Organisation.objects.get(slug="vla")
    last_month = trends.add_months(trends.month_start(timezone.localdate()), -1)
    emerging = selectors.emerging_themes([vla.pk], last_month, dimensions=("theme",))
    assert "Payment page failures" in [e["name"] for e in emerging]
    assert selectors.overdue_actions([vla.pk], timezone.localdate()).exists()
    # No colleague is named in any learning.
    for username in ("Hughes", "Jones", "Evans", "Morgan"):
        assert not LearningRecord.objects.filter(what_went_wrong__contains=username).exists()
