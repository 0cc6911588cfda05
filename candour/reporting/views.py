"""Staff pages for the annual report and case studies; public pages serving published reports exactly."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from candour.complaints.models import Complaint
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap
from candour.permissions import has_capability, has_capability_anywhere, organisation_ids_with
from candour.reporting import render as report_render
from candour.reporting import selectors, services
from candour.reporting.forms import CaseStudyEditForm, CaseStudyForm, DetailsForm, PublishForm
from candour.reporting.models import CaseStudy, CaseStudyStatus, PublishedReport

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def index(request):
    if not has_capability_anywhere(request.user, Cap.VIEW_AGGREGATES):
        raise PermissionDenied
    this_year = selectors.financial_year(timezone.localdate())
    years = [this_year - 1, this_year]
    organisations = list(selectors.reportable_organisations(request.user))
    return render(request, "reporting/staff_index.html", {
        "page_title": "Annual reports", "organisations": organisations, "years": years,
        "label": selectors.year_label, "may_manage_cases": has_capability_anywhere(request.user, Cap.MANAGE_CASES),
    })  # fmt: skip


def _report_page(request, organisation: str, year: int, consolidated: bool):
    org, ids = selectors.organisation_for_report(request.user, organisation, consolidated)
    details = selectors.details_for(org, year)
    report = report_render.build_report(org, ids, year, consolidated, details.governing_body_response,
                                        today=timezone.localdate())  # fmt: skip
    return render(request, "reporting/staff_report.html", {
        "page_title": report.title, "report": report, "tables": {t["id"]: t for t in report.tables},
        "paragraphs": report_render.paragraphs, "draft": True, "organisation": org, "year": year,
        "consolidated": consolidated, "may_govern": has_capability(request.user, Cap.GOVERN, org.pk),
        "versions": list(selectors.published_versions(org, year, consolidated).defer("html", "pdf", "csv", "ods")),
        "has_subtree": len(selectors.report_scope(org, True)) > len(ids) or consolidated,
    })  # fmt: skip


@login_required
def report(request, organisation: str, year: int):
    return _report_page(request, organisation, year, consolidated=False)


@login_required
def consolidated(request, organisation: str, year: int):
    return _report_page(request, organisation, year, consolidated=True)


@login_required
def download(request, organisation: str, year: int, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    consolidated = request.GET.get("consolidated") == "1"
    org, ids = selectors.organisation_for_report(request.user, organisation, consolidated)
    details = selectors.details_for(org, year)
    report = report_render.build_report(org, ids, year, consolidated, details.governing_body_response,
                                        today=timezone.localdate())  # fmt: skip
    if fmt in ("html", "pdf"):
        html = report_render.render_html(report, draft=True)
        body = html if fmt == "html" else report_render.render_pdf(html)
    else:
        body = report_render.render_csv(report) if fmt == "csv" else report_render.render_ods(report)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{org.slug}-{year}-draft.{fmt}"'
    return response


def _governed(request, organisation: str) -> Organisation:
    org = get_object_or_404(Organisation, slug=organisation)
    if not has_capability(request.user, Cap.GOVERN, org.pk):
        raise PermissionDenied
    return org


@login_required
def details(request, organisation: str, year: int):
    org = _governed(request, organisation)
    current = selectors.details_for(org, year)
    form = DetailsForm(request.POST or None, initial={
        "interactions": current.interactions, "governing_body_response": current.governing_body_response})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        services.save_details(actor=request.user, organisation=org, year=year, **form.cleaned_data)
        messages.success(request, "Report details saved")
        return redirect("reporting:report", organisation=org.slug, year=year)
    return render(request, "reporting/staff_details.html", {
        "page_title": "Report details", "form": form, "organisation": org, "year": year,
        "label": selectors.year_label(year)})  # fmt: skip


@login_required
def publish(request, organisation: str, year: int):
    org = _governed(request, organisation)
    consolidated = (request.POST.get("consolidated") or request.GET.get("consolidated")) == "1"
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.publish_report(
                actor=request.user, organisation=org, year=year, consolidated=consolidated
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"Version {published.version} published")
            return redirect("reporting:report", organisation=org.slug, year=year)
    return render(request, "reporting/staff_publish.html", {
        "page_title": "Publish the report", "form": form, "organisation": org, "year": year,
        "consolidated": consolidated, "label": selectors.year_label(year)})  # fmt: skip


# ---- case studies ------------------------------------------------------------------------------------


def _may_use_case_studies(user) -> bool:
    return has_capability_anywhere(user, Cap.MANAGE_CASES) or has_capability_anywhere(user, Cap.GOVERN)


@login_required
def case_studies(request):
    if not _may_use_case_studies(request.user):
        raise PermissionDenied
    studies = list(selectors.case_studies_visible_to(request.user).order_by("-year", "title"))
    return render(request, "reporting/staff_case_studies.html", {
        "page_title": "Case studies", "studies": studies,
        "may_create": has_capability_anywhere(request.user, Cap.MANAGE_CASES)})  # fmt: skip


@login_required
def case_study_new(request):
    ids = organisation_ids_with(request.user, Cap.MANAGE_CASES)
    if not ids:
        raise PermissionDenied
    form = CaseStudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        complaint = Complaint.objects.filter(
            reference__iexact=form.cleaned_data["reference"].strip(), organisation_id__in=ids
        ).first()
        if complaint is None:
            form.add_error("reference", "Enter the reference of a complaint in your organisation")
        else:
            try:
                data = form.cleaned_data
                study = services.create_case_study(
                    actor=request.user, complaint=complaint, title=data["title"], text=data["text"]
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(
                    request, "Case study drafted: check the anonymised text, then ask a colleague to approve it"
                )
                return redirect("reporting:case-study", pk=study.pk)
    return render(request, "reporting/staff_case_study_new.html", {"page_title": "New case study", "form": form})


def _study(request, pk: int) -> CaseStudy:
    study = (
        CaseStudy.objects.select_related("organisation", "complaint", "created_by", "approved_by").filter(pk=pk).first()
    )
    if study is None or not (has_capability(request.user, Cap.MANAGE_CASES, study.organisation_id)
                             or has_capability(request.user, Cap.GOVERN, study.organisation_id)):  # fmt: skip
        raise PermissionDenied
    return study


@login_required
def case_study(request, pk: int):
    study = _study(request, pk)
    may_edit = has_capability(request.user, Cap.MANAGE_CASES, study.organisation_id)
    form = CaseStudyEditForm(request.POST or None, initial={"title": study.title, "text": study.text})
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            services.update_case_study(actor=request.user, study=study, **form.cleaned_data)
            messages.success(request, "Case study saved")
            return redirect("reporting:case-study", pk=study.pk)
    return render(request, "reporting/staff_case_study.html", {
        "page_title": study.title, "study": study, "form": form, "may_edit": may_edit,
        "may_approve": study.status == CaseStudyStatus.DRAFT and study.created_by_id != request.user.pk,
        "approved": study.status == CaseStudyStatus.APPROVED, "paragraphs": report_render.paragraphs})  # fmt: skip


@login_required
def case_study_approve(request, pk: int):
    study = _study(request, pk)
    if request.method == "POST":
        try:
            services.approve_case_study(actor=request.user, study=study)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Case study approved: it can now appear in reports")
    return redirect("reporting:case-study", pk=study.pk)


# ---- public ------------------------------------------------------------------------------------------


def public_reports(request):
    reports = list(selectors.public_reports().order_by("organisation__name", "-year", "consolidated", "-version"))
    latest = {}
    for item in reports:
        latest.setdefault((item.organisation_id, item.year, item.consolidated), item)
    return render(request, "reporting/public_reports.html", {"reports": list(latest.values())})


def _stored(request, published: PublishedReport, fmt: str) -> HttpResponse:
    data = getattr(published, fmt)
    body = data if fmt == "html" else bytes(data)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["ETag"] = '"' + getattr(published, f"{fmt}_sha256") + '"'
    response["X-Content-SHA256"] = getattr(published, f"{fmt}_sha256")
    if fmt == "html":
        # The stored document carries its own stylesheet: allow exactly that one, by its hash.
        import base64
        import hashlib

        hashes = [
            "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"
            for style in re.findall(r"<style>(.*?)</style>", body, flags=re.S)
        ]
        response._csp_update = {"style-src": hashes}
    else:
        response["Content-Disposition"] = (
            f'attachment; filename="{published.organisation.slug}-{published.year}-v{published.version}.{fmt}"'
        )
    return response


def _published(organisation: str, year: int, version: int | None, consolidated: bool) -> PublishedReport:
    qs = PublishedReport.objects.select_related("organisation").filter(
        organisation__slug=organisation, year=year, consolidated=consolidated
    )
    published = (qs.filter(version=version) if version else qs.order_by("-version")).first()
    if published is None:
        raise Http404
    return published


def public_report(request, organisation: str, year: int):
    consolidated = request.GET.get("consolidated") == "1"
    return _stored(request, _published(organisation, year, None, consolidated), "html")


def public_file(request, organisation: str, year: int, version: int, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    consolidated = request.GET.get("consolidated") == "1"
    return _stored(request, _published(organisation, year, version, consolidated), fmt)


def public_link(published: PublishedReport, fmt: str) -> str:
    return reverse("reporting_public:file", kwargs={"organisation": published.organisation.slug,
                   "year": published.year, "version": published.version, "fmt": fmt})  # fmt: skip
