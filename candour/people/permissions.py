"""Who may see and record what about a colleague. Kept here, beside the app, until the lead folds it into
`candour.permissions`; registered from `PeopleConfig.ready()`.

- A colleague's training and practical examples: the colleague, their managers and trainers.
- Their debriefs and support records: the colleague and their managers only (wellbeing is need-to-know).
- "Managers" of a colleague: their line manager, and the complaints managers and senior leaders of an
  organisation the colleague works in (those roles hold `Cap.MANAGE_CASES`).
- Trainers hold `Cap.MANAGE_TRAINING` in an organisation the colleague works in.
"""

from __future__ import annotations

import rules

from candour.organisations.models import Membership
from candour.organisations.roles import Cap
from candour.permissions import has_capability, has_capability_anywhere, organisation_ids_with

MANAGER_CAP = Cap.MANAGE_CASES
TRAINER_CAP = Cap.MANAGE_TRAINING


def _membership_org_ids(person) -> set[int]:
    cache = getattr(person, "_people_membership_orgs", None)
    if cache is None:
        cache = set(Membership.objects.filter(user=person).values_list("organisation_id", flat=True))
        person._people_membership_orgs = cache
    return cache


def _holds_cap_over(viewer, person, capability: str) -> bool:
    ids = organisation_ids_with(viewer, capability)
    return bool(ids and ids & _membership_org_ids(person))


@rules.predicate
def is_self(viewer, person) -> bool:
    return person is not None and viewer.is_authenticated and viewer.pk == person.pk


@rules.predicate
def is_line_manager(viewer, person) -> bool:
    return person is not None and viewer.is_authenticated and person.line_manager_id == viewer.pk


@rules.predicate
def manages_where_they_work(viewer, person) -> bool:
    return person is not None and _holds_cap_over(viewer, person, MANAGER_CAP)


@rules.predicate
def trains_where_they_work(viewer, person) -> bool:
    return person is not None and _holds_cap_over(viewer, person, TRAINER_CAP)


is_manager_of = is_line_manager | manages_where_they_work
can_view_training = is_self | is_manager_of | trains_where_they_work
can_view_examples = is_self | is_manager_of | trains_where_they_work
can_view_support = is_self | is_manager_of
can_record_support = ~is_self & is_manager_of


@rules.predicate
def can_manage_policy(viewer, organisation) -> bool:
    """Role responsibilities and the training gate: senior leaders (GOVERN) and system administrators."""
    if organisation is None:
        return has_capability_anywhere(viewer, Cap.GOVERN) or has_capability_anywhere(viewer, Cap.MANAGE_ORGANISATION)
    org_id = getattr(organisation, "pk", organisation)
    return has_capability(viewer, Cap.GOVERN, org_id) or has_capability(viewer, Cap.MANAGE_ORGANISATION, org_id)


@rules.predicate
def can_review_examples(viewer, organisation) -> bool:
    """Approving anonymised practical examples for reports: complaints managers and senior leaders."""
    if organisation is None:
        return has_capability_anywhere(viewer, Cap.MANAGE_LEARNING)
    return has_capability(viewer, Cap.MANAGE_LEARNING, getattr(organisation, "pk", organisation))


PERMISSIONS = {
    "people.view_training": can_view_training,
    "people.view_examples": can_view_examples,
    "people.view_support": can_view_support,
    "people.record_support": can_record_support,
    "people.manage_policy": can_manage_policy,
    "people.review_examples": can_review_examples,
}

for _name, _predicate in PERMISSIONS.items():
    if not rules.perm_exists(_name):
        rules.add_perm(_name, _predicate)
