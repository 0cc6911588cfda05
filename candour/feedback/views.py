"""The public complainant survey (no sign-in): English at /survey/<token>/, Welsh at /cy/survey/<token>/.

The page shows nothing about the complaint but its reference. An unknown, expired or used link gets a clear
page of its own; answers are recorded once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from candour.feedback import selectors, services
from candour.feedback.forms import SurveyForm
from candour.feedback.statements import SCALE, Kind

UNAVAILABLE_STATUS = {"unknown": 404, "expired": 410, "used": 410}


def _unavailable(request, reason: str):
    titles = {
        "unknown": _("This survey link is not valid"),
        "expired": _("This survey link has expired"),
        "used": _("You have already answered this survey"),
    }
    return render(
        request,
        "feedback/survey_unavailable.html",
        {"page_title": titles[reason], "reason": reason},
        status=UNAVAILABLE_STATUS[reason],
    )


@never_cache
def survey(request, token: str):
    try:
        invitation = selectors.invitation_for_token(token)
    except services.SurveyUnavailable as problem:
        return _unavailable(request, problem.reason)
    form = SurveyForm(request.POST if request.method == "POST" else None, kind=Kind.COMPLAINANT)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_complainant_response(
                token=token, answers=form.answers(), comments=form.cleaned_data["comments"]
            )
        except services.SurveyUnavailable as problem:
            return _unavailable(request, problem.reason)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("feedback:survey-done")
    context = {
        "page_title": _("Tell us about your experience of complaining"),
        "form": form,
        "reference": invitation.complaint.reference,
        "scale": SCALE,
    }
    return render(request, "feedback/survey.html", context)


def survey_done(request):
    return render(request, "feedback/survey_done.html", {"page_title": _("Thank you for your answers")})
