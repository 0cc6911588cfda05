from io import StringIO

import pytest
from django.core.management import call_command

from candour.accounts.models import User
from candour.complaints.models import Complaint
from candour.organisations.models import Organisation
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_every_role_in_three_nations_and_is_idempotent():
    out = StringIO()
    call_command("seed_demo", "--complaints", "120", stdout=out)
    counts = (Organisation.objects.count(), User.objects.count(), Complaint.objects.count())
    call_command("seed_demo", "--complaints", "120", stdout=StringIO())
    assert (Organisation.objects.count(), User.objects.count(), Complaint.objects.count()) == counts
    assert counts[2] == 120
    # Complaints in every kind of state, across all four organisations.
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {"closed", "resolved", "not_accepted"} <= statuses
    assert set(Complaint.objects.values_list("organisation__slug", flat=True)) == {"dps", "vla", "sgb", "nirs"}
    related = Organisation.objects.filter(parent__slug="dps", accepts_complaints=True)
    assert {o.nation for o in related} == {"wales", "scotland", "northern-ireland"}
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert roles >= set(Role.values)
    assert "Password for every demo account" in out.getvalue()
