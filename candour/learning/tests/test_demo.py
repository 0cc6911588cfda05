"""The demo's learning: realistic records, actions in every status, a theme that spikes. Uses the small
demo (120 complaints); the spike is checked by giving the agency last month's complaints first, as the
full 2,000-complaint demo does."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from candour.complaints import services as complaint_services
from candour.complaints.models import Channel
from candour.learning import demo, selectors, trends
from candour.learning.models import ImprovementAction, LearningRecord, RootCause
from candour.learning.states import ActionStatus
from candour.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_learning_has_actions_in_every_status_and_is_idempotent():
    call_command("seed_demo", "--complaints", "120", stdout=StringIO())
    counts = (LearningRecord.objects.count(), ImprovementAction.objects.count())
    call_command("seed_demo", "--complaints", "120", stdout=StringIO())
    assert (LearningRecord.objects.count(), ImprovementAction.objects.count()) == counts
    assert counts[0] > 5
    assert set(ImprovementAction.objects.values_list("status", flat=True)) == set(ActionStatus.values)
    assert ImprovementAction.objects.filter(publication="approved").exclude(we_did_cy="").exists()
    vla = Organisation.objects.get(slug="vla")
    assert selectors.overdue_actions([vla.pk], timezone.localdate()).exists()
    for surname in ("Hughes", "Jones", "Evans", "Morgan"):  # no colleague is named in any learning
        assert not LearningRecord.objects.filter(what_went_wrong__contains=surname).exists()


def test_demo_spike_makes_an_emerging_theme():
    call_command("seed_demo", "--complaints", "0", stdout=StringIO())
    vla = Organisation.objects.get(slug="vla")
    today = timezone.localdate()
    last_month = trends.add_months(trends.month_start(today), -1)
    for n in range(9):
        complaint_services.create_complaint(
            actor=None, organisation=vla, channel=Channel.ONLINE, description="My card payment failed.",
            received_on=last_month + datetime.timedelta(days=n),
        )  # fmt: skip
    causes = {c.name: c for c in RootCause.objects.filter(organisation__isnull=True)}
    assert demo._spike(vla, today, causes) == 9
    emerging = selectors.emerging_themes([vla.pk], last_month, dimensions=("theme",))
    assert [e["name"] for e in emerging] == [demo.SPIKE_THEME]
