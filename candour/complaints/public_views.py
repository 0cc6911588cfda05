"""The public pages: the "Make a complaint" journey for each organisation, and the complainant's progress page.

The journey follows the GOV.UK question-page pattern: one thing per page, a back link, "Continue", then
"Check your answers" with a Change link for every answer, then a confirmation. Answers are kept in the
session, keyed by the organisation's slug, until the complaint is submitted. The check-answers form carries a
one-time submission key, so a double click or a retry records one complaint and shows the same confirmation.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from candour.complaints import public_forms as pf
from candour.complaints import public_services, uploads
from candour.complaints.states import Status
from candour.organisations.models import Organisation

NS = "complaints_public"


# ---- the session ------------------------------------------------------------------------------------------


def _organisation(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug, accepts_complaints=True).first()
    if organisation is None:
        raise Http404
    return organisation


def _key(organisation) -> str:
    return f"complaint:{organisation.slug}"


def _answers(request, organisation) -> dict:
    return request.session.get(_key(organisation), {})


def _save(request, organisation, answers: dict) -> None:
    request.session[_key(organisation)] = answers
    request.session.modified = True


# ---- the questions -----------------------------------------------------------------------------------------


@dataclass
class Step:
    slug: str
    form_class: type
    title: object  # lazy text
    fields: list[str] = field(default_factory=list)
    applies: Callable[[dict, Organisation], bool] = lambda answers, organisation: True
    answered: Callable[[dict], bool] | None = None

    def is_answered(self, answers: dict) -> bool:
        if self.answered is not None:
            return self.answered(answers)
        return all(name in answers for name in self.fields)


def _named(answers, organisation) -> bool:
    return not (organisation.allows_anonymous_complaints and answers.get("anonymous") == "yes")


def _late(answers, organisation) -> bool:
    return bool(answers.get("late_reason_needed"))


STEPS = [
    Step(
        "anonymous",
        pf.AnonymousForm,
        gettext_lazy("Do you want to give your name and contact details?"),
        ["anonymous"],
        applies=lambda answers, organisation: organisation.allows_anonymous_complaints,
    ),
    Step("who", pf.WhoForm, gettext_lazy("Who is the complaint for?"), ["who"], applies=_named),
    Step(
        "someone-else",
        pf.RepresentativeForm,
        gettext_lazy("About the person you are complaining for"),
        ["person_name", "relationship", "consent"],
        applies=lambda answers, organisation: _named(answers, organisation) and answers.get("who") == "someone_else",
    ),
    Step(
        "contact",
        pf.ContactForm,
        gettext_lazy("Your contact details"),
        ["name", "email", "phone", "address", "preferred_contact"],
        applies=_named,
    ),
    Step("what-happened", pf.DescriptionForm, gettext_lazy("What happened?"), ["description"]),
    Step(
        "points",
        pf.PointForm,
        gettext_lazy("Do you want to list the things that went wrong separately?"),
        answered=lambda answers: answers.get("points_done", False),
    ),
    Step("when", pf.DateForm, gettext_lazy("When did it happen?"), ["events_date"]),
    Step("why-now", pf.LateReasonForm, gettext_lazy("Why are you complaining now?"), ["late_reason"], applies=_late),
    Step("outcome", pf.OutcomeForm, gettext_lazy("What would you like to happen?"), ["outcome_sought"]),
    Step(
        "adjustments",
        pf.AdjustmentsForm,
        gettext_lazy("Do you need us to make any changes so that you can take part?"),
        ["adjustments", "adjustments_details"],
    ),
    Step(
        "files",
        pf.FileForm,
        gettext_lazy("Do you want to send us any documents or photos?"),
        answered=lambda answers: answers.get("files_done", False),
    ),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def _applicable(answers, organisation) -> list[Step]:
    return [step for step in STEPS if step.applies(answers, organisation)]


def _first_unanswered(answers, organisation) -> Step | None:
    return next((s for s in _applicable(answers, organisation) if not s.is_answered(answers)), None)


def _step_url(organisation, step: Step | None, change: bool = False) -> str:
    if step is None:
        return reverse(f"{NS}:check", args=[organisation.slug])
    url = reverse(f"{NS}:question", args=[organisation.slug, step.slug])
    return url + ("?change=1" if change else "")


def _next_url(answers, organisation, step: Step, change: bool) -> str:
    steps = _applicable(answers, organisation)
    if change:
        # After a change, ask only what the change makes necessary, then go back to check the answers.
        return _step_url(organisation, _first_unanswered(answers, organisation), change=True)
    later = steps[steps.index(step) + 1 :] if step in steps else []
    return _step_url(organisation, later[0] if later else None)


def _back_url(answers, organisation, step: Step, change: bool) -> str:
    if change:
        return reverse(f"{NS}:check", args=[organisation.slug])
    steps = _applicable(answers, organisation)
    earlier = steps[: steps.index(step)] if step in steps else []
    return _step_url(organisation, earlier[-1]) if earlier else reverse(f"{NS}:start", args=[organisation.slug])


# What each page puts into the session, and what it shows again when revisited.


def _initial(step: Step, answers: dict) -> dict:
    if step.slug == "when" and answers.get("events_date"):
        day = datetime.date.fromisoformat(answers["events_date"])
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    if step.slug == "points":
        return {}
    return {name: answers[name] for name in step.fields if name in answers}


def _store(step: Step, answers: dict, data: dict) -> None:
    if step.slug == "when":
        day = data["date"]
        answers["events_date"] = day.isoformat()
        answers["late_reason_needed"] = public_services.more_than_12_months_ago(day, timezone.localdate())
        if not answers["late_reason_needed"]:
            answers.pop("late_reason", None)
        return
    if step.slug == "adjustments" and data["adjustments"] == "no":
        data = {**data, "adjustments_details": ""}
    for name in step.fields:
        answers[name] = data.get(name, "")


def _render(request, organisation, template, title, context, status=200):
    context = {
        "organisation": organisation,
        "organisation_name": organisation.display_name(translation.get_language()),
        "page_title": str(title),
        "service_name": _("Make a complaint"),
        **context,
    }
    return render(request, f"complaints/public/{template}", context, status=status)


# ---- the pages ----------------------------------------------------------------------------------------------


def start(request, org):
    organisation = _organisation(org)
    return _render(
        request,
        organisation,
        "start.html",
        _("Make a complaint to %(organisation)s")
        % {"organisation": organisation.display_name(translation.get_language())},
        {
            "start_url": _step_url(organisation, _applicable({}, organisation)[0]),
            "acknowledge_days": organisation.acknowledge_days,
            "respond_days": organisation.stage1_response_days,
        },
    )


@require_http_methods(["GET", "POST"])
def question(request, org, step):
    organisation = _organisation(org)
    step = STEP_BY_SLUG.get(step)
    if step is None:
        raise Http404
    answers = _answers(request, organisation)
    change = request.GET.get("change") == "1"
    if not step.applies(answers, organisation):
        return HttpResponseRedirect(_step_url(organisation, _first_unanswered(answers, organisation), change))
    if step.slug == "points":
        return _points(request, organisation, answers, step, change)
    if step.slug == "files":
        return _files(request, organisation, answers, step, change)
    if request.method == "POST":
        form = step.form_class(request.POST)
        if form.is_valid():
            _store(step, answers, form.cleaned_data)
            _save(request, organisation, answers)
            return HttpResponseRedirect(_next_url(answers, organisation, step, change))
    else:
        form = step.form_class(initial=_initial(step, answers))
    return _render(
        request,
        organisation,
        f"{step.slug}.html",
        step.title,
        {"form": form, "back_url": _back_url(answers, organisation, step, change), "step": step},
    )


def _points(request, organisation, answers, step, change):
    points = answers.setdefault("points", [])
    action = request.POST.get("action", "")
    form = pf.PointForm(initial={}, existing=len(points))
    if request.method == "POST":
        if action.startswith("remove-"):
            index = action.removeprefix("remove-")
            if index.isdigit() and int(index) < len(points):
                points.pop(int(index))
            answers["points_done"] = False
            _save(request, organisation, answers)
            return HttpResponseRedirect(_step_url(organisation, step, change))
        form = pf.PointForm(request.POST, adding=action == "add", existing=len(points))
        if form.is_valid():
            if form.cleaned_data.get("summary"):
                points.append(
                    {"summary": form.cleaned_data["summary"], "outcome_sought": form.cleaned_data["point_outcome"]}
                )
            answers["points_done"] = action != "add"
            _save(request, organisation, answers)
            if action == "add":
                return HttpResponseRedirect(_step_url(organisation, step, change))
            return HttpResponseRedirect(_next_url(answers, organisation, step, change))
    return _render(
        request,
        organisation,
        "points.html",
        step.title,
        {
            "form": form,
            "points": points,
            "max_points": pf.MAX_POINTS,
            "back_url": _back_url(answers, organisation, step, change),
        },
    )


def _files(request, organisation, answers, step, change):
    files = answers.setdefault("files", [])
    form = pf.FileForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action.startswith("remove-"):
            index = action.removeprefix("remove-")
            if index.isdigit() and int(index) < len(files):
                uploads.discard_staged(files.pop(int(index)))
            _save(request, organisation, answers)
            return HttpResponseRedirect(_step_url(organisation, step, change))
        form = pf.FileForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data.get("file")
            if uploaded is not None:
                if len(files) >= uploads.MAX_FILES_PER_COMPLAINT:
                    form.add_error(
                        "file",
                        _("%(name)s was not added: a complaint can have up to %(max)s files.")
                        % {"name": uploads.sanitise_name(uploaded.name), "max": uploads.MAX_FILES_PER_COMPLAINT},
                    )
                else:
                    try:
                        files.append(uploads.stage_upload(uploaded))
                    except uploads.UploadRefused as refused:
                        form.add_error("file", refused.messages[0])
            elif action == "add":
                form.add_error("file", _("Choose a file to upload"))
            if form.is_valid():
                answers["files_done"] = action != "add"
                _save(request, organisation, answers)
                if action == "add":
                    return HttpResponseRedirect(_step_url(organisation, step, change))
                return HttpResponseRedirect(_next_url(answers, organisation, step, change))
    return _render(
        request,
        organisation,
        "files.html",
        step.title,
        {
            "form": form,
            "files": files,
            "max_files": uploads.MAX_FILES_PER_COMPLAINT,
            "back_url": _back_url(answers, organisation, step, change),
        },
    )


@require_http_methods(["GET", "POST"])
def check_answers(request, org):
    organisation = _organisation(org)
    answers = _answers(request, organisation)
    if request.method == "POST":
        form = pf.SubmitForm(request.POST)
        key = request.POST.get("submission_key", "")
        existing = public_services.complaint_by_submission_key(key)
        if existing is not None and existing.organisation_id == organisation.pk:
            # A double click or a retry: the complaint is already recorded; show its confirmation again.
            return HttpResponseRedirect(reverse(f"{NS}:confirmation", args=[organisation.slug]))
        missing = _first_unanswered(answers, organisation)
        if missing is not None:
            return HttpResponseRedirect(_step_url(organisation, missing))
        if form.is_valid() and key == answers.get("submission_key"):
            return _submit(request, organisation, answers, key)
        return HttpResponseRedirect(reverse(f"{NS}:check", args=[organisation.slug]))
    missing = _first_unanswered(answers, organisation)
    if missing is not None:
        return HttpResponseRedirect(_step_url(organisation, missing))
    if not answers.get("submission_key"):
        answers["submission_key"] = uuid.uuid4().hex
        _save(request, organisation, answers)
    return _render(
        request,
        organisation,
        "check_answers.html",
        _("Check your answers before sending your complaint"),
        {
            "answers": answers,
            "named": _named(answers, organisation),
            "events_date": datetime.date.fromisoformat(answers["events_date"]) if answers.get("events_date") else None,
            "change": lambda slug: _step_url(organisation, STEP_BY_SLUG[slug], change=True),
            "back_url": _step_url(organisation, _applicable(answers, organisation)[-1]),
            "anonymous_offered": organisation.allows_anonymous_complaints,
        },
    )


def _submit(request, organisation, answers, key):
    try:
        submitted = public_services.submit_complaint(
            organisation=organisation,
            answers=answers,
            language=translation.get_language(),
            submission_key=key,
            files=answers.get("files", []),
        )
    except ValidationError:
        return HttpResponseRedirect(_step_url(organisation, STEPS[0]))
    complaint = submitted.complaint
    if submitted.created:
        request.session[_key(organisation)] = {
            "confirmation": {"pk": complaint.pk, "key": key, "token": submitted.access_token}
        }
    return HttpResponseRedirect(reverse(f"{NS}:confirmation", args=[organisation.slug]))


def confirmation(request, org):
    organisation = _organisation(org)
    confirmed = _answers(request, organisation).get("confirmation")
    complaint = None
    if confirmed:
        complaint = public_services.complaint_by_submission_key(confirmed.get("key", ""))
    if complaint is None or complaint.pk != confirmed.get("pk"):
        return HttpResponseRedirect(reverse(f"{NS}:start", args=[organisation.slug]))
    token = confirmed.get("token")
    return _render(
        request,
        organisation,
        "confirmation.html",
        _("Complaint sent"),
        {
            "complaint": complaint,
            "progress_link": reverse(f"{NS}:progress", args=[token]) if token else "",
            "acknowledge_days": organisation.acknowledge_days,
            "respond_days": organisation.stage1_response_days,
        },
    )


# ---- the progress page ------------------------------------------------------------------------------------

STATUS_TEXT = {
    Status.RECEIVED: gettext_lazy("We have received your complaint"),
    Status.ACKNOWLEDGED: gettext_lazy("We have acknowledged your complaint and will look into it"),
    Status.EARLY_RESOLUTION: gettext_lazy("We are looking into your complaint"),
    Status.INVESTIGATION: gettext_lazy("Your complaint is being investigated"),
    Status.RESOLVED: gettext_lazy("We have sent you our response"),
    Status.RESPONSE_ISSUED: gettext_lazy("We have sent you our final response"),
    Status.CLOSED: gettext_lazy("Your complaint is closed"),
    Status.WITHDRAWN: gettext_lazy("You withdrew your complaint"),
    Status.NOT_ACCEPTED: gettext_lazy("We could not take your complaint forward"),
}
STAGE_TEXT = {1: gettext_lazy("Stage 1: early resolution"), 2: gettext_lazy("Stage 2: investigation")}


def _progress_complaint(request, token):
    try:
        complaint = public_services.complaint_for_token(token)
    except public_services.LinkExpired as expired:
        organisation = expired.complaint.organisation
        response = _render(request, organisation, "link_expired.html", _("This link has expired"), {}, status=410)
        return None, response
    if complaint is None:
        raise Http404
    return complaint, None


def progress(request, token):
    complaint, refused = _progress_complaint(request, token)
    if refused:
        return refused
    public_services.record_progress_view(complaint)
    return _render(
        request,
        complaint.organisation,
        "progress.html",
        _("Your complaint"),
        {
            "complaint": complaint,
            "status_text": STATUS_TEXT.get(complaint.status, ""),
            "stage_text": STAGE_TEXT.get(complaint.stage, ""),
            "can_change": public_services.can_change(complaint),
            "token": token,
            "notice": request.session.pop("progress_notice", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def add_information(request, token):
    complaint, refused = _progress_complaint(request, token)
    if refused:
        return refused
    if not public_services.can_change(complaint):
        return HttpResponseRedirect(reverse(f"{NS}:progress", args=[token]))
    if request.method == "POST":
        form = pf.AddInformationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                public_services.add_information(
                    complaint=complaint,
                    text=form.cleaned_data.get("information", ""),
                    uploaded_file=form.cleaned_data.get("file"),
                )
            except uploads.UploadRefused as refused_file:
                form.add_error("file", refused_file.messages[0])
            except ValidationError as problem:
                form.add_error("information", problem.messages[0])
            else:
                request.session["progress_notice"] = "added"
                return HttpResponseRedirect(reverse(f"{NS}:progress", args=[token]))
    else:
        form = pf.AddInformationForm()
    return _render(
        request,
        complaint.organisation,
        "add_information.html",
        _("Add information to your complaint"),
        {"form": form, "complaint": complaint, "back_url": reverse(f"{NS}:progress", args=[token])},
    )


@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    complaint, refused = _progress_complaint(request, token)
    if refused:
        return refused
    if not public_services.can_change(complaint):
        return HttpResponseRedirect(reverse(f"{NS}:progress", args=[token]))
    if request.method == "POST":
        form = pf.WithdrawForm(request.POST)
        if form.is_valid():
            public_services.withdraw(complaint=complaint, reason=form.cleaned_data.get("reason", ""))
            request.session["progress_notice"] = "withdrawn"
            return HttpResponseRedirect(reverse(f"{NS}:progress", args=[token]))
    else:
        form = pf.WithdrawForm()
    return _render(
        request,
        complaint.organisation,
        "withdraw.html",
        _("Are you sure you want to withdraw your complaint?"),
        {"form": form, "complaint": complaint, "back_url": reverse(f"{NS}:progress", args=[token])},
    )
