"""Roles and what each may do, declared as data. `candour.permissions` is the one place that reads it.

A capability is a kind of work. Each role grants capabilities within the organisation of the membership
(the body a directorate or team belongs to), and — only where `reaches_subtree` says so — within every
organisation beneath it (a department's related organisations).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMPLAINT_HANDLER = "complaint_handler", _("Complaint handler")
    INVESTIGATOR = "investigator", _("Investigator")
    COMPLAINTS_MANAGER = "complaints_manager", _("Complaints manager")
    SENIOR_LEADER = "senior_leader", _("Senior leader (accountable for complaints)")
    GOVERNANCE_MEMBER = "governance_member", _("Governance board member")
    TRAINER = "trainer", _("Trainer")
    PARENT_OVERSIGHT = "parent_oversight", _("Parent-department oversight")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Cap:
    """Capabilities: the verbs permissions are written in."""

    VIEW_CASES = "view_cases"  # open a complaint and see the complainant's personal data
    HANDLE_CASES = "handle_cases"  # record, triage, move through stages, respond
    INVESTIGATE = "investigate"  # investigation work on assigned cases
    MANAGE_CASES = "manage_cases"  # assign, reassign, override, approve
    VIEW_AGGREGATES = "view_aggregates"  # dashboards and reports, no personal data
    VIEW_AUDIT = "view_audit"
    MANAGE_LEARNING = "manage_learning"
    MANAGE_TRAINING = "manage_training"
    MANAGE_ORGANISATION = "manage_organisation"  # timescales, closure days, settings, people
    MANAGE_PEOPLE = "manage_people"  # colleagues' reporting lines (who line manages whom)
    GOVERN = "govern"  # governance reviews, decisions, accountable actions


@dataclass(frozen=True)
class RoleSpec:
    capabilities: frozenset[str]
    reaches_subtree: bool = False
    requires_two_factor: bool = False


ROLE_SPECS: dict[str, RoleSpec] = {
    Role.COMPLAINT_HANDLER: RoleSpec(frozenset({Cap.VIEW_CASES, Cap.HANDLE_CASES})),
    Role.INVESTIGATOR: RoleSpec(frozenset({Cap.VIEW_CASES, Cap.HANDLE_CASES, Cap.INVESTIGATE})),
    Role.COMPLAINTS_MANAGER: RoleSpec(
        frozenset(
            {
                Cap.VIEW_CASES,
                Cap.HANDLE_CASES,
                Cap.INVESTIGATE,
                Cap.MANAGE_CASES,
                Cap.VIEW_AGGREGATES,
                Cap.VIEW_AUDIT,
                Cap.MANAGE_LEARNING,
                Cap.MANAGE_PEOPLE,
            }
        )
    ),
    Role.SENIOR_LEADER: RoleSpec(
        frozenset(
            {
                Cap.VIEW_CASES,
                Cap.MANAGE_CASES,
                Cap.VIEW_AGGREGATES,
                Cap.VIEW_AUDIT,
                Cap.MANAGE_LEARNING,
                Cap.GOVERN,
                Cap.MANAGE_PEOPLE,
            }
        )
    ),
    Role.GOVERNANCE_MEMBER: RoleSpec(frozenset({Cap.VIEW_AGGREGATES, Cap.GOVERN})),
    Role.TRAINER: RoleSpec(frozenset({Cap.MANAGE_TRAINING})),
    # A parent department's oversight reaches every related organisation beneath it, in aggregate only.
    Role.PARENT_OVERSIGHT: RoleSpec(frozenset({Cap.VIEW_AGGREGATES}), reaches_subtree=True),
    Role.SYSTEM_ADMIN: RoleSpec(
        frozenset({Cap.MANAGE_ORGANISATION, Cap.VIEW_AUDIT}), reaches_subtree=True, requires_two_factor=True
    ),
}
