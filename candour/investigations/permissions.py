"""Permissions for multi-organisation complaints, registered with `rules` (imported from AppConfig.ready).

A contributing organisation's colleagues see their own part of a complaint and the shared response draft, never
the rest of the case: `investigations.view_part` and `investigations.contribute` are checked against a
`ComplaintPartner`, on the partner organisation (not the complaint's).
"""

import rules

from candour.organisations.roles import Cap
from candour.permissions import has_capability


@rules.predicate
def views_cases_in_partner(user, partner) -> bool:
    return partner is not None and has_capability(user, Cap.VIEW_CASES, partner.organisation_id)


@rules.predicate
def handles_cases_in_partner(user, partner) -> bool:
    return partner is not None and has_capability(user, Cap.HANDLE_CASES, partner.organisation_id)


rules.add_perm("investigations.view_part", views_cases_in_partner)
rules.add_perm("investigations.contribute", handles_cases_in_partner)
