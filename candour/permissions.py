"""Every permission decision in Candour, in one module.

Decisions are made over memberships (user, organisation, role) and the organisation tree, using the
role table in `candour.organisations.roles`. Selectors call `organisation_ids_with(user, cap)` to scope
querysets; views and services call the `rules` predicates (`user.has_perm("complaints.view", obj)`).
"""

from __future__ import annotations

import rules
from django.db.models import Q

from candour.organisations.models import BODY_KINDS, Membership, Organisation
from candour.organisations.roles import ROLE_SPECS, Cap

_CACHE_ATTR = "_candour_scope_cache"


def _memberships(user):
    return list(user.memberships.select_related("organisation"))


def _body_path(org: Organisation, kinds: dict[int, bool]) -> str:
    """The path of the nearest organisation-in-its-own-right at or above `org`."""
    ids = [int(p) for p in org.path.strip("/").split("/") if p]
    for index in range(len(ids) - 1, -1, -1):
        if kinds.get(ids[index]):
            return "/" + "/".join(str(i) for i in ids[: index + 1]) + "/"
    return org.path


BODY_KIND_VALUES = frozenset(k.value for k in BODY_KINDS)


def _nearest_body(path: str, body_paths: set[str]) -> str | None:
    """The longest of `body_paths` that `path` starts with: its prefixes, longest first (the depth of the tree,
    not the number of bodies: a department's scope has hundreds)."""
    end = len(path)
    while end > 0:
        prefix = path[:end]
        if prefix in body_paths:
            return prefix
        end = path.rfind("/", 0, end - 1) + 1
    return None


def organisation_ids_with(user, capability: str) -> frozenset[int]:
    """The ids of organisations (bodies and their parts) in which `user` holds `capability`.

    Cached on the user object for the life of the request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if capability in cache:
        return cache[capability]

    memberships = [m for m in _memberships(user) if capability in ROLE_SPECS[m.role].capabilities]
    if not memberships:
        cache[capability] = frozenset()
        return cache[capability]
    # Work out each membership's reach as path prefixes, then resolve them in one query.
    ancestor_ids = {int(p) for m in memberships for p in m.organisation.path.strip("/").split("/") if p}
    kinds = {
        pk: kind in BODY_KIND_VALUES
        for pk, kind in Organisation.objects.filter(pk__in=ancestor_ids).values_list("pk", "kind")
    }
    exact_bodies: set[str] = set()
    subtrees: set[str] = set()
    for membership in memberships:
        body_path = _body_path(membership.organisation, kinds)
        if ROLE_SPECS[membership.role].reaches_subtree:
            subtrees.add(membership.organisation.path)
        # A membership always reaches its own body and that body's directorates and teams.
        exact_bodies.add(body_path)
    condition = Q(pk__in=[])
    for path in subtrees | exact_bodies:
        condition |= Q(path__startswith=path)
    candidates = list(Organisation.objects.filter(condition).values_list("pk", "path", "kind"))
    body_paths = {path for _pk, path, kind in candidates if kind in BODY_KIND_VALUES}
    ids = set()
    for pk, path, _kind in candidates:
        if any(path.startswith(prefix) for prefix in subtrees):
            ids.add(pk)
        elif _nearest_body(path, body_paths) in exact_bodies:
            # A body's own directorates and teams, not the related organisations beneath it.
            ids.add(pk)
    ids = frozenset(ids)
    cache[capability] = ids
    return ids


def forget_scope(user) -> None:
    """Drop the per-request cache (after memberships change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_capability(user, capability: str, organisation_id: int | None) -> bool:
    return organisation_id is not None and organisation_id in organisation_ids_with(user, capability)


def has_capability_anywhere(user, capability: str) -> bool:
    return bool(organisation_ids_with(user, capability))


def is_staff_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.memberships.exists())


# ---- rules predicates -----------------------------------------------------------------------------


def _cap_on_org(capability: str):
    @rules.predicate(name=f"{capability}_on_organisation")
    def predicate(user, organisation) -> bool:
        if organisation is None:
            return has_capability_anywhere(user, capability)
        return has_capability(user, capability, getattr(organisation, "pk", organisation))

    return predicate


def _cap_on_object(capability: str):
    """For any object with an `organisation_id` (a complaint, an action, an event)."""

    @rules.predicate(name=f"{capability}_on_object")
    def predicate(user, obj) -> bool:
        if obj is None:
            return has_capability_anywhere(user, capability)
        return has_capability(user, capability, obj.organisation_id)

    return predicate


@rules.predicate
def can_manage_person(user, person) -> bool:
    """Set or clear a colleague's line manager: holding `manage_people` in an organisation the colleague has a
    role in, and never for oneself. With `person` None: holding it anywhere."""
    if person is None:
        return has_capability_anywhere(user, Cap.MANAGE_PEOPLE)
    if not user.is_authenticated or person.pk == user.pk:
        return False
    ids = organisation_ids_with(user, Cap.MANAGE_PEOPLE)
    return bool(ids) and Membership.objects.filter(user=person, organisation_id__in=ids).exists()


can_view_aggregates = _cap_on_org(Cap.VIEW_AGGREGATES)
can_manage_organisation = _cap_on_org(Cap.MANAGE_ORGANISATION)
can_view_audit = _cap_on_org(Cap.VIEW_AUDIT)
can_manage_training = _cap_on_org(Cap.MANAGE_TRAINING)
can_govern = _cap_on_org(Cap.GOVERN)

rules.add_perm("organisations.view_dashboard", can_view_aggregates)
rules.add_perm("organisations.manage", can_manage_organisation)
rules.add_perm("audit.view_events", can_view_audit)
rules.add_perm("people.manage_training", can_manage_training)
rules.add_perm("governance.govern", can_govern)
rules.add_perm("people.manage_people", can_manage_person)  # checked against a colleague (a User)

# Case-level permissions, checked against the object's organisation.
rules.add_perm("complaints.view", _cap_on_object(Cap.VIEW_CASES))
rules.add_perm("complaints.handle", _cap_on_object(Cap.HANDLE_CASES))
rules.add_perm("complaints.manage", _cap_on_object(Cap.MANAGE_CASES))
rules.add_perm("complaints.investigate", _cap_on_object(Cap.INVESTIGATE))
rules.add_perm("learning.manage", _cap_on_object(Cap.MANAGE_LEARNING))
