from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from candour.audit.selectors import search_events
from candour.organisations.roles import Cap
from candour.permissions import has_capability_anywhere


@login_required
def search(request):
    if not has_capability_anywhere(request.user, Cap.VIEW_AUDIT):
        raise PermissionDenied
    filters = {key: request.GET.get(key, "").strip()[:100] for key in ("text", "object_type", "object_id", "verb")}
    events = search_events(request.user, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/search.html", {"page_title": "Audit trail", "page": page, "filters": filters})
