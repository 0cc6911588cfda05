"""Staff pages for feedback: survey results, free text (complaints managers only), the colleague survey,
the survey delay, the Standards' expectations and self-assessments (with parents' side-by-side view)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from candour.complaints.models import Complaint
from candour.feedback import selectors, services
from candour.feedback.forms import ExpectationForm, SelfAssessmentForm, SurveyDelayForm, SurveyForm
from candour.feedback.models import Rating
from candour.feedback.permissions import assessing_organisation_ids, complaints_manager_organisation_ids
from candour.feedback.statements import SCALE, Kind, Section
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap
from candour.permissions import organisation_ids_with


def _page(request, template: str, title: str, context: dict | None = None, status: int = 200):
    return render(request, template, {"page_title": title, **(context or {})}, status=status)


def financial_year(today: datetime.date, year: int | None = None) -> tuple[datetime.date, datetime.date, int]:
    start_year = year if year else (today.year if today.month >= 4 else today.year - 1)
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31), start_year


def _year_param(request) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "message_dict"):
        for field, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# ---- results -----------------------------------------------------------------------------------------------


@login_required
def results(request):
    visible = organisation_ids_with(request.user, Cap.VIEW_AGGREGATES)
    if not visible:
        raise PermissionDenied
    bodies = list(selectors.bodies_among(visible))
    chosen = request.GET.get("organisation", "")
    ids = visible
    if chosen:
        body = next((b for b in bodies if b.slug == chosen), None)
        if body is None:
            raise Http404
        ids = selectors.parts_of(body)
    start, end, year = financial_year(timezone.localdate(), _year_param(request))
    context = {
        "results": selectors.survey_results(ids, start, end),
        "bodies": bodies,
        "chosen": chosen,
        "start": start,
        "end": end,
        "year": year,
        "can_read_comments": bool(complaints_manager_organisation_ids(request.user)),
        "sections": dict(Section.choices),
    }
    return _page(request, "feedback/staff/results.html", "Survey results", context)


@login_required
def comments(request):
    ids = complaints_manager_organisation_ids(request.user)
    if not request.user.has_perm("feedback.read_comments") or not ids:
        raise PermissionDenied
    start, end, year = financial_year(timezone.localdate(), _year_param(request))
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    rows = list(selectors.comments_for(ids, start, end, kind)[:500])
    context = {"rows": rows, "start": start, "end": end, "year": year, "kind": kind}
    return _page(request, "feedback/staff/comments.html", "Survey comments", context)


# ---- the colleague survey ---------------------------------------------------------------------------------


@login_required
def colleague_surveys(request):
    invitations = list(selectors.colleague_invitations_for(request.user)[:100])
    now = timezone.now()
    return _page(
        request,
        "feedback/staff/colleague_list.html",
        "Your colleague surveys",
        {"invitations": invitations, "now": now},
    )


@login_required
def colleague_survey(request, reference: str):
    invitation = selectors.colleague_invitations_for(request.user).filter(complaint__reference=reference).first()
    if invitation is None:
        raise Http404
    if invitation.used_at is not None or invitation.expires_at <= timezone.now():
        reason = "used" if invitation.used_at else "expired"
        return _page(
            request,
            "feedback/staff/colleague_closed.html",
            "This survey is closed",
            {"reason": reason, "invitation": invitation},
            status=410,
        )
    form = SurveyForm(request.POST if request.method == "POST" else None, kind=Kind.COLLEAGUE)
    if request.method == "POST" and form.is_valid():
        complaint = Complaint.objects.get(pk=invitation.complaint_id)
        try:
            services.submit_colleague_response(
                actor=request.user, complaint=complaint, answers=form.answers(), comments=form.cleaned_data["comments"]
            )
        except services.SurveyUnavailable:
            messages.info(request, "Your answers for this complaint were already recorded.")
            return redirect("staff_feedback:colleague-list")
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Thank you: your answers about {reference} are recorded.")
            return redirect("staff_feedback:colleague-list")
    context = {"form": form, "invitation": invitation, "scale": SCALE}
    return _page(request, "feedback/staff/colleague_survey.html", "Colleague survey", context)


# ---- settings: the survey delay and the expectations ---------------------------------------------------------


@login_required
def survey_settings(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not organisation.is_body or not request.user.has_perm("feedback.manage_settings", organisation):
        raise PermissionDenied
    form = SurveyDelayForm(
        request.POST or None, initial={"survey_delay_days": services.survey_delay_days(organisation)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_survey_delay(
                actor=request.user, organisation=organisation, days=form.cleaned_data["survey_delay_days"]
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Survey delay saved.")
            return redirect("staff_feedback:settings", slug=slug)
    return _page(
        request,
        "feedback/staff/settings.html",
        f"Survey settings: {organisation.name}",
        {"form": form, "organisation": organisation},
    )


def _managed_body(request, slug: str) -> Organisation:
    """An organisation in its own right whose settings the user may manage (their own organisations only)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not organisation.is_body or not request.user.has_perm("feedback.manage_settings", organisation):
        raise PermissionDenied
    return organisation


@login_required
def expectations_index(request):
    """The organisations whose expectations the user may change."""
    if not request.user.has_perm("feedback.manage_settings"):
        raise PermissionDenied
    bodies = list(selectors.bodies_among(organisation_ids_with(request.user, Cap.MANAGE_ORGANISATION)))
    if len(bodies) == 1:
        return redirect("staff_feedback:expectations", slug=bodies[0].slug)
    return _page(request, "feedback/staff/expectations_index.html", "The Complaint Standards' expectations",
                 {"bodies": bodies})  # fmt: skip


@login_required
def expectations(request, slug: str):
    organisation = _managed_body(request, slug)
    rows = list(selectors.expectations_for(organisation))
    return _page(
        request,
        "feedback/staff/expectations.html",
        f"The Complaint Standards' expectations: {organisation.name}",
        {"rows": rows, "sections": dict(Section.choices), "organisation": organisation},
    )


@login_required
def expectation_edit(request, slug: str, pk: int | None = None, section: int | None = None):
    organisation = _managed_body(request, slug)
    expectation = get_object_or_404(selectors.expectations_for(organisation), pk=pk) if pk is not None else None
    if expectation is None and section not in Section.values:
        raise Http404
    form = ExpectationForm(
        request.POST if request.method == "POST" else None, initial={"text": expectation.text if expectation else ""}
    )
    if request.method == "POST" and request.POST.get("retire") and expectation is not None:
        services.retire_expectation(actor=request.user, organisation=organisation, expectation=expectation)
        messages.success(request, "Expectation retired. Earlier self-assessments keep it.")
        return redirect("staff_feedback:expectations", slug=slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_expectation(
                actor=request.user,
                organisation=organisation,
                section=expectation.section if expectation else section,
                text=form.cleaned_data["text"],
                expectation=expectation,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Expectation saved.")
            return redirect("staff_feedback:expectations", slug=slug)
    title = "Change an expectation" if expectation else "Add an expectation"
    context = {"form": form, "expectation": expectation, "organisation": organisation}
    return _page(request, "feedback/staff/expectation_edit.html", f"{title}: {organisation.name}", context)


# ---- self-assessments ---------------------------------------------------------------------------------------


def _assessable_bodies(user):
    visible = organisation_ids_with(user, Cap.VIEW_AGGREGATES) | assessing_organisation_ids(user)
    return list(selectors.bodies_among(visible))


def _body_for(request, slug: str) -> Organisation:
    body = next((b for b in _assessable_bodies(request.user) if b.slug == slug), None)
    if body is None:
        raise PermissionDenied
    return body


@login_required
def assessments(request):
    bodies = _assessable_bodies(request.user)
    if not bodies:
        raise PermissionDenied
    versions = selectors.latest_self_assessments([b.pk for b in bodies])
    rows = [{"body": b, "latest": versions.get(b.pk)} for b in bodies]
    can_compare = len(bodies) > 1
    return _page(
        request,
        "feedback/staff/assessments.html",
        "Self-assessment against the Complaint Standards",
        {"rows": rows, "can_compare": can_compare},
    )


def _evidence_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=365), today


@login_required
def assessment_history(request, slug: str):
    body = _body_for(request, slug)
    start, end = _evidence_period(timezone.localdate())
    context = {
        "body": body,
        "versions": list(selectors.assessments_for(body)),
        "evidence": selectors.live_evidence(body, start, end),
        "can_assess": request.user.has_perm("feedback.assess", body),
    }
    return _page(request, "feedback/staff/assessment_history.html", f"Self-assessment: {body.name}", context)


@login_required
def assessment_new(request, slug: str):
    body = _body_for(request, slug)
    if not request.user.has_perm("feedback.assess", body):
        raise PermissionDenied
    rows = list(selectors.expectations_for(body))
    start, end = _evidence_period(timezone.localdate())
    evidence = selectors.live_evidence(body, start, end)
    initial = {}
    latest = selectors.latest_self_assessments([body.pk]).get(body.pk)
    if latest:  # start from the last version's ratings (matched by number: the wording may have been copied)
        current = {(e.section, e.number): e.pk for e in rows}
        for rating in latest["ratings"]:
            pk = current.get((rating["section"], rating["number"]))
            if pk is None:
                continue
            initial.update(
                {
                    f"rating_{pk}": rating["rating"],
                    f"evidence_{pk}": rating["evidence"],
                    f"plan_{pk}": rating["improvement_plan"],
                }
            )
    form = SelfAssessmentForm(request.POST if request.method == "POST" else None, expectations=rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_self_assessment(
                actor=request.user,
                organisation=body,
                assessed_on=timezone.localdate(),
                ratings=form.ratings(),
                evidence=evidence,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Version {assessment.version} saved.")
            return redirect("staff_feedback:assessment", slug=slug, version=assessment.version)
    context = {
        "body": body,
        "form": form,
        "rows": rows,
        "evidence": evidence,
        "ratings": Rating.choices,
        "sections": dict(Section.choices),
    }
    return _page(request, "feedback/staff/assessment_form.html", f"New self-assessment: {body.name}", context)


@login_required
def assessment(request, slug: str, version: int):
    body = _body_for(request, slug)
    found = selectors.assessments_for(body).filter(version=version).first()
    if found is None:
        raise Http404
    ratings = list(found.ratings.all())
    context = {
        "body": body,
        "assessment": found,
        "ratings": ratings,
        "evidence": found.evidence,
        "sections": dict(Section.choices),
    }
    return _page(request, "feedback/staff/assessment.html", f"Self-assessment version {version}: {body.name}", context)


@login_required
def compare(request):
    """Side by side: each organisation's latest assessment, for parent oversight and aggregate viewers."""
    visible = organisation_ids_with(request.user, Cap.VIEW_AGGREGATES)
    bodies = list(selectors.bodies_among(visible))
    if not bodies:
        raise PermissionDenied
    latest = selectors.latest_self_assessments([b.pk for b in bodies])
    rows = []
    for expectation in selectors.expectations():
        key = (expectation.section, expectation.number)  # each organisation may have its own copy of the wording
        cells = []
        for body in bodies:
            entry = latest.get(body.pk)
            rating = next((r for r in entry["ratings"] if (r["section"], r["number"]) == key), None) if entry else None
            cells.append(rating)
        rows.append({"expectation": expectation, "cells": cells})
    context = {
        "bodies": bodies,
        "latest": latest,
        "rows": rows,
        "labels": dict(Rating.choices),
        "sections": dict(Section.choices),
    }
    return _page(request, "feedback/staff/compare.html", "Self-assessments side by side", context)


def results_url(slug: str = "") -> str:
    return reverse("staff_feedback:results") + (f"?organisation={slug}" if slug else "")
