"""The staff area's navigation: each entry shows only to those with the capability it needs."""

from django.urls import reverse

from candour.organisations.roles import Cap
from candour.permissions import has_capability_anywhere

# (label, url name, capability or None for every colleague)
STAFF_NAVIGATION: list[tuple[str, str, str | None]] = [
    ("Home", "staff:home", None),
    ("Complaints", "staff_complaints:queue", Cap.VIEW_CASES),
    ("Investigations", "investigations:home", Cap.VIEW_CASES),
    ("Governance", "governance:index", Cap.VIEW_AGGREGATES),
    ("Audit trail", "audit:search", Cap.VIEW_AUDIT),
    ("Learning", "learning:dashboard", Cap.VIEW_AGGREGATES),
    ("Survey results", "staff_feedback:results", Cap.VIEW_AGGREGATES),
    ("Reports", "reporting:index", Cap.VIEW_AGGREGATES),
    ("People", "people:my-role", None),
]


def staff_navigation(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for label, url_name, capability in STAFF_NAVIGATION:
        if capability is None or has_capability_anywhere(user, capability):
            href = reverse(url_name)
            items.append({"href": href, "text": label, "active": request.path.startswith(href) and href != "/staff/"})
    items.append({"href": reverse("accounts:sign-out"), "text": "Sign out"})
    return items
