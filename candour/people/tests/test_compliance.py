"""Compliance arithmetic: expiry, refresh periods and role changes, per person, team and organisation."""

import datetime

import pytest

from candour.organisations import services as org_services
from candour.organisations.roles import Role
from candour.people import selectors, services
from candour.people.selectors import compliance_summary, has_current_training

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (D(2024, 3, 15), 24, D(2026, 3, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
    ],
)
def test_expiry_is_the_same_day_after_the_refresh_period_or_the_end_of_a_shorter_month(start, months, expected):
    assert services.add_months(start, months) == expected


def test_training_is_current_until_the_day_it_expires(agency, member, complete):
    investigator = member(Role.INVESTIGATOR, agency)
    completion = complete(investigator, "investigating-complaints", D(2024, 3, 15))
    assert completion.expires_on == D(2026, 3, 15)  # the module's 24-month refresh period
    assert has_current_training(investigator, "investigating-complaints", D(2026, 3, 14))
    assert not has_current_training(investigator, "investigating-complaints", D(2026, 3, 15))
    assert not has_current_training(investigator, "investigating-complaints", D(2024, 3, 14))  # not yet done


def test_changing_the_refresh_period_moves_worked_out_expiries_but_not_dates_a_provider_gave(
    agency, member, module, complete
):
    handler, other = member(Role.COMPLAINT_HANDLER, agency), member(Role.COMPLAINT_HANDLER, agency, "other")
    worked_out = complete(handler, "early-resolution", D(2025, 1, 10))
    given = complete(other, "early-resolution", D(2025, 1, 10), expires_on=D(2025, 6, 30))
    services.update_module(actor=None, module=module("early-resolution"), refresh_months=6)
    worked_out.refresh_from_db()
    given.refresh_from_db()
    assert worked_out.expires_on == D(2025, 7, 10)
    assert given.expires_on == D(2025, 6, 30)
    services.update_module(actor=None, module=module("early-resolution"), refresh_months=None)
    worked_out.refresh_from_db()
    assert worked_out.expires_on is None
    assert has_current_training(handler, "early-resolution", D(2040, 1, 1))


def _complete_all_for(complete, user, codes, on):
    for code in codes:
        complete(user, code, on)


HANDLER_MODULES = [
    "identifying-complaints",
    "early-resolution",
    "final-responses",
    "challenging-conversations",
    "learning-from-complaints",
]


def test_a_new_role_brings_new_required_training(agency, member, complete):
    handler = member(Role.COMPLAINT_HANDLER, agency)
    _complete_all_for(complete, handler, HANDLER_MODULES, D(2026, 1, 5))
    [summary] = compliance_summary([agency.pk], D(2026, 3, 2))
    assert (summary["people_required"], summary["compliant"], summary["percent"]) == (1, 1, 100)

    org_services.add_membership(actor=None, user=handler, organisation=agency, role=Role.INVESTIGATOR)
    [summary] = compliance_summary([agency.pk], D(2026, 3, 2))
    assert (summary["people_required"], summary["compliant"], summary["percent"]) == (1, 0, 0)
    modules = {m["code"]: m for m in summary["modules"]}
    assert (modules["investigating-complaints"]["required"], modules["investigating-complaints"]["current"]) == (1, 0)
    assert (modules["early-resolution"]["required"], modules["early-resolution"]["current"]) == (1, 1)

    # Giving up a role takes its training off the list again.
    from candour.organisations.models import Membership

    org_services.remove_membership(actor=None, membership=Membership.objects.get(user=handler, role=Role.INVESTIGATOR))
    [summary] = compliance_summary([agency.pk], D(2026, 3, 2))
    assert summary["compliant"] == 1


def test_expired_training_counts_against_compliance_on_the_day(agency, member, complete):
    handler = member(Role.COMPLAINT_HANDLER, agency)
    _complete_all_for(complete, handler, HANDLER_MODULES, D(2025, 3, 2))  # challenging conversations: 12 months
    assert compliance_summary([agency.pk], D(2026, 3, 1))[0]["compliant"] == 1
    summary = compliance_summary([agency.pk], D(2026, 3, 2))[0]
    assert summary["compliant"] == 0
    assert {m["code"]: m["current"] for m in summary["modules"]}["challenging-conversations"] == 0
    # Renewing it restores compliance.
    complete(handler, "challenging-conversations", D(2026, 3, 2))
    assert compliance_summary([agency.pk], D(2026, 3, 2))[0]["compliant"] == 1


def test_compliance_is_counted_per_team_and_organisation_and_never_names_anyone(tree, agency, member, complete):
    in_team = member(Role.COMPLAINT_HANDLER, tree["team"], "in-team")
    member(Role.COMPLAINT_HANDLER, agency, "not-in-team")
    member(Role.COMPLAINT_HANDLER, tree["sibling"], "elsewhere")
    _complete_all_for(complete, in_team, HANDLER_MODULES, D(2026, 1, 5))
    on = D(2026, 3, 2)
    summary = compliance_summary([agency.pk], on)
    assert [(s["organisation"], s["people_required"], s["compliant"], s["percent"]) for s in summary] == [
        ("Agency", 2, 1, 50)
    ]
    assert "in-team" not in repr(summary)
    teams = selectors.compliance_by_team(selectors.compliance_facts([agency.pk], on))
    assert [(t["team"], t["people_required"], t["compliant"]) for t in teams] == [
        ("Not in a team", 1, 0),
        ("Team", 1, 1),
    ]


def test_training_from_another_organisations_catalogue_does_not_count(tree, agency, member, complete):
    services.ensure_defaults(tree["sibling"])
    investigator = member(Role.INVESTIGATOR, agency)
    org_services.add_membership(actor=None, user=investigator, organisation=tree["sibling"], role=Role.INVESTIGATOR)
    complete(investigator, "investigating-complaints", D(2026, 1, 5), org=tree["sibling"])
    summary = {s["organisation"]: s for s in compliance_summary([agency.pk, tree["sibling"].pk], D(2026, 3, 2))}
    modules = {m["code"]: m["current"] for m in summary["Agency"]["modules"]}
    assert modules["investigating-complaints"] == 0
    assert {m["code"]: m["current"] for m in summary["Sibling Body"]["modules"]}["investigating-complaints"] == 1


def test_defaults_are_added_once_and_never_overwrite_an_edit(agency, module):
    services.update_module(actor=None, module=module("remedies"), title="Putting things right")
    assert services.ensure_defaults(agency) is False
    assert module("remedies").title == "Putting things right"
    assert agency.training_modules.count() == 8
    assert agency.role_responsibilities.count() == 6
