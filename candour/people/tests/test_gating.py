"""An organisation can require current investigation training before someone is assigned as investigator."""

import datetime

import pytest

from candour.organisations.roles import Role
from candour.people import services
from candour.people.models import GateMode

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 2)


@pytest.fixture
def investigator(agency, member):
    return member(Role.INVESTIGATOR, agency)


def gate(agency, user, mode):
    services.update_settings(actor=None, organisation=agency, investigator_training_gate=mode)
    return services.check_investigator_training(organisation=agency, user=user, on_date=ON)


def test_warn_mode_allows_the_assignment_with_a_warning(agency, investigator):
    result = gate(agency, investigator, GateMode.WARN)
    assert result.allowed is True
    assert result.warning == (
        f"{investigator} does not have current training in “Investigating complaints”. You can still assign the work."
    )


def test_refuse_mode_refuses_without_current_training(agency, investigator):
    result = gate(agency, investigator, GateMode.REFUSE)
    assert result.allowed is False
    assert "Agency requires it before this work can be assigned" in result.warning


def test_refuse_mode_refuses_when_the_training_has_expired(agency, investigator, complete):
    complete(investigator, "investigating-complaints", datetime.date(2024, 3, 1))  # expired 1 March 2026
    assert gate(agency, investigator, GateMode.REFUSE).allowed is False


@pytest.mark.parametrize("mode", [GateMode.WARN, GateMode.REFUSE])
def test_current_training_passes_silently_in_either_mode(agency, investigator, complete, mode):
    complete(investigator, "investigating-complaints", datetime.date(2025, 6, 1))
    assert gate(agency, investigator, mode) == services.GateResult(True, None)


def test_off_mode_never_checks(agency, investigator):
    assert gate(agency, investigator, GateMode.OFF) == services.GateResult(True, None)


def test_a_team_uses_its_organisations_setting(tree, agency, investigator):
    services.update_settings(actor=None, organisation=agency, investigator_training_gate=GateMode.REFUSE)
    result = services.check_investigator_training(organisation=tree["team"], user=investigator, on_date=ON)
    assert result.allowed is False


def test_a_senior_leader_chooses_the_mode_on_the_settings_page(client, agency, member):
    client.force_login(member(Role.SENIOR_LEADER, agency))
    response = client.post("/staff/people/settings/", {"investigator_training_gate": "refuse", "reminder_days": "45"})
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.people_settings.investigator_training_gate == "refuse"
    response = client.post("/staff/people/settings/", {"investigator_training_gate": "refuse", "reminder_days": "x"})
    assert "The number of days must be a whole number" in response.content.decode()
    assert 'value="x"' in response.content.decode()


def test_colleagues_cannot_change_the_mode(client, agency, member):
    client.force_login(member(Role.COMPLAINTS_MANAGER, agency))
    assert client.get("/staff/people/settings/").status_code == 403
