from io import StringIO

import pytest
from django.core.management import call_command

from candour.accounts.models import User
from candour.governance.models import GovernanceBody, GovernanceReview, InteractionVolume, Threshold
from candour.governance.selectors import review_rhythm

pytestmark = pytest.mark.django_db


def test_demo_governance_is_seeded_once_and_the_pages_render(client):
    call_command("seed_demo", "--complaints", "60", stdout=StringIO())
    counts = (GovernanceBody.objects.count(), GovernanceReview.objects.count(), InteractionVolume.objects.count())
    call_command("seed_demo", "--complaints", "60", stdout=StringIO())
    assert (
        GovernanceBody.objects.count(),
        GovernanceReview.objects.count(),
        InteractionVolume.objects.count(),
    ) == counts
    assert counts[0] == 4 and counts[1] == 6 and Threshold.objects.count() == 2
    rhythm = review_rhythm(list(GovernanceBody.objects.values_list("organisation_id", flat=True)))
    assert any(state["missed"] for state in rhythm.values())  # the records service has held none
    client.force_login(User.objects.get(username="oversight"))
    page = client.get("/staff/governance/dps/oversight/?preset=year")
    assert page.status_code == 200 and "Vehicle Licensing Agency" in page.content.decode()
    client.force_login(User.objects.get(username="vla.leader"))
    assert client.get("/staff/governance/vla/?preset=year").status_code == 200
    assert client.get("/staff/governance/vla/reviews/").status_code == 200
