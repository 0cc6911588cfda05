"""Learning's permissions, registered with `rules` from LearningConfig.ready().

- `learning.record` (complaint): handlers and managers of the complaint's organisation write its learning.
- `learning.manage` (action or complaint; registered in candour/permissions.py): manage_learning there.
- `learning.view_action` (action): manage_learning or govern in the action's own organisation, or being one
  of its owners. A parent department's oversight sees actions only in aggregate (`view_aggregates`, through
  the selectors `action_summary`, `theme_trends`, `emerging_themes`), never one by one.
- `learning.manage_settings` (organisation): manage_learning in that organisation.
"""

import rules

from candour.organisations.roles import Cap
from candour.permissions import has_capability, has_capability_anywhere


@rules.predicate
def _may_record_learning(user, complaint) -> bool:
    if complaint is None:
        return has_capability_anywhere(user, Cap.HANDLE_CASES) or has_capability_anywhere(user, Cap.MANAGE_LEARNING)
    return has_capability(user, Cap.HANDLE_CASES, complaint.organisation_id) or has_capability(
        user, Cap.MANAGE_LEARNING, complaint.organisation_id
    )


@rules.predicate
def _may_view_action(user, action) -> bool:
    if action is None:
        return has_capability_anywhere(user, Cap.MANAGE_LEARNING) or has_capability_anywhere(user, Cap.GOVERN)
    if user.pk is not None and user.pk in (action.senior_owner_id, action.delivery_owner_id):
        return True
    return has_capability(user, Cap.MANAGE_LEARNING, action.organisation_id) or has_capability(
        user, Cap.GOVERN, action.organisation_id
    )


@rules.predicate
def _may_manage_settings(user, organisation) -> bool:
    if organisation is None:
        return has_capability_anywhere(user, Cap.MANAGE_LEARNING)
    return has_capability(user, Cap.MANAGE_LEARNING, organisation.pk)


PERMISSIONS = {
    "learning.record": _may_record_learning,
    "learning.view_action": _may_view_action,
    "learning.manage_settings": _may_manage_settings,
}


def register() -> None:
    for name, predicate in PERMISSIONS.items():
        rules.set_perm(name, predicate)
