"""Candour's URLs plus a small public form, for the database-outage tests."""

import json

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from candour.organisations.models import Organisation
from candour.urls import handler403, handler404, handler500  # noqa: F401
from candour.urls import urlpatterns as candour_urlpatterns


def answers(request):
    """Like a page of the public journey: keeps the answers in the session and writes to the database."""
    if request.method == "POST":
        request.session["answers"] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        Organisation.objects.count()
        return HttpResponse("saved")
    return HttpResponse(escape(json.dumps(request.session.get("answers", {}), ensure_ascii=False)))


def answers_from_session_only(request):
    """A question page of the journey: answers go only into the session until the complaint is sent."""
    if request.method == "POST":
        request.session["answers"] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        return HttpResponse("kept")
    return HttpResponse(escape(json.dumps(request.session.get("answers", {}), ensure_ascii=False)))


def staff_page(request):
    Organisation.objects.count()
    return HttpResponse("staff")


urlpatterns = [
    *i18n_patterns(
        path("fault-form/", answers, name="fault-form"),
        path("fault-session/", answers_from_session_only, name="fault-session"),
        prefix_default_language=False,
    ),
    path("staff/fault-page/", staff_page),
    *candour_urlpatterns,
]
