"""Permission predicates for feedback, registered with `rules` when the app is ready (imported from
`FeedbackConfig.ready`). They build on `candour.permissions` and the role table; nothing here checks a role.

- `feedback.view_results`: survey scores and self-assessments (aggregates) for an organisation.
- `feedback.read_comments`: survey free text. Only a complaints manager, meaning someone who holds both
  `manage_cases` and `view_audit` for the organisation.
- `feedback.assess`: record a self-assessment against the Standards (`manage_cases` or `govern`).
- `feedback.manage_settings`: the survey delay and the expectations' wording (`manage_organisation`).
"""

from __future__ import annotations

import rules

from candour.organisations.roles import Cap
from candour.permissions import has_capability, organisation_ids_with


def _org_id(organisation):
    return getattr(organisation, "pk", organisation)


def complaints_manager_organisation_ids(user) -> frozenset[int]:
    """Organisations in which `user` is a complaints manager (manage_cases and view_audit both held)."""
    return organisation_ids_with(user, Cap.MANAGE_CASES) & organisation_ids_with(user, Cap.VIEW_AUDIT)


def assessing_organisation_ids(user) -> frozenset[int]:
    return organisation_ids_with(user, Cap.MANAGE_CASES) | organisation_ids_with(user, Cap.GOVERN)


def _anywhere_or(ids_for):
    def check(user, organisation) -> bool:
        ids = ids_for(user)
        return bool(ids) if organisation is None else _org_id(organisation) in ids

    return check


@rules.predicate
def is_complaints_manager(user, organisation=None) -> bool:
    return _anywhere_or(complaints_manager_organisation_ids)(user, organisation)


@rules.predicate
def can_assess(user, organisation=None) -> bool:
    return _anywhere_or(assessing_organisation_ids)(user, organisation)


@rules.predicate
def can_view_results(user, organisation=None) -> bool:
    if organisation is None:
        return bool(organisation_ids_with(user, Cap.VIEW_AGGREGATES))
    return has_capability(user, Cap.VIEW_AGGREGATES, _org_id(organisation))


@rules.predicate
def can_manage_settings(user, organisation=None) -> bool:
    if organisation is None:
        return bool(organisation_ids_with(user, Cap.MANAGE_ORGANISATION))
    return has_capability(user, Cap.MANAGE_ORGANISATION, _org_id(organisation))


rules.add_perm("feedback.view_results", can_view_results)
rules.add_perm("feedback.read_comments", is_complaints_manager)
rules.add_perm("feedback.assess", can_assess)
rules.add_perm("feedback.manage_settings", can_manage_settings)
