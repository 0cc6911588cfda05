"""Every write for the annual report: case studies, the report's details, publishing a frozen version."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from candour.audit import services as audit
from candour.complaints.models import Complaint
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap
from candour.permissions import has_capability, organisation_ids_with
from candour.reporting import render, selectors
from candour.reporting.anonymise import anonymise
from candour.reporting.models import CaseStudy, CaseStudyStatus, PublishedReport, ReportDetails


def _known_names(complaint: Complaint) -> list[str]:
    names = [complaint.complainant_name, complaint.person_affected_name, complaint.mp_name]
    for user in (complaint.stage1_handler, complaint.stage2_handler):
        if user is not None:
            names += [user.get_full_name(), user.first_name, user.last_name]
    return [n for n in names if n]


def anonymised(complaint: Complaint, text: str) -> str:
    return anonymise(text, known_names=_known_names(complaint), references=[complaint.reference])


def _may_manage(actor, organisation_id) -> bool:
    return actor is None or has_capability(actor, Cap.MANAGE_CASES, organisation_id)


@transaction.atomic
def create_case_study(*, actor, complaint: Complaint, title: str, text: str) -> CaseStudy:
    """A complaints manager chooses a closed complaint and writes it up; the anonymised text is made now."""
    if not _may_manage(actor, complaint.organisation_id):
        raise PermissionDenied
    if complaint.closed_on is None:
        raise ValidationError({"reference": "Choose a complaint that is closed."})
    study = CaseStudy(
        organisation=complaint.organisation,
        complaint=complaint,
        year=selectors.financial_year(complaint.closed_on),
        title=title,
        text=text,
        anonymised_text=anonymised(complaint, text),
        created_by=actor,
    )
    study.full_clean()
    study.save()
    audit.record(actor=actor, verb="case_study_created", obj=study, organisation=complaint.organisation,
                 summary="Case study drafted", changes={"fields": ["title", "text"]})  # fmt: skip
    return study


@transaction.atomic
def update_case_study(*, actor, study: CaseStudy, title: str, text: str) -> CaseStudy:
    """Edit a case study. Any change sends an approved one back to draft: the new text needs approving."""
    study = CaseStudy.objects.select_for_update().select_related("complaint").get(pk=study.pk)
    if not _may_manage(actor, study.organisation_id):
        raise PermissionDenied
    before = {"title": study.title, "text": study.text}
    study.title, study.text = title, text
    study.anonymised_text = anonymised(study.complaint, text)
    study.status, study.approved_by, study.approved_at = CaseStudyStatus.DRAFT, None, None
    study.full_clean()
    study.save()
    audit.record(actor=actor, verb="case_study_updated", obj=study,
                 summary="Case study edited (back to draft)",
                 changes=audit.changed_fields(before, {"title": title, "text": text}))  # fmt: skip
    return study


@transaction.atomic
def approve_case_study(*, actor, study: CaseStudy) -> CaseStudy:
    """A second person (not its author) with manage-cases or govern approves it for use in reports."""
    study = CaseStudy.objects.select_for_update().get(pk=study.pk)
    if not (has_capability(actor, Cap.MANAGE_CASES, study.organisation_id)
            or has_capability(actor, Cap.GOVERN, study.organisation_id)):  # fmt: skip
        raise PermissionDenied
    if study.created_by_id == actor.pk:
        raise ValidationError("Someone other than its author must approve a case study.")
    if study.status == CaseStudyStatus.APPROVED:
        return study
    study.status, study.approved_by, study.approved_at = CaseStudyStatus.APPROVED, actor, timezone.now()
    study.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(actor=actor, verb="case_study_approved", obj=study,
                 summary="Case study approved for reports")  # fmt: skip
    return study


@transaction.atomic
def save_details(*, actor, organisation: Organisation, year: int, interactions, governing_body_response: str):
    if actor is not None and not has_capability(actor, Cap.GOVERN, organisation.pk):
        raise PermissionDenied
    details = ReportDetails.objects.select_for_update().filter(organisation=organisation, year=year).first()
    details = details or ReportDetails(organisation=organisation, year=year)
    before = {"interactions": details.interactions, "governing_body_response": details.governing_body_response}
    after = {"interactions": interactions, "governing_body_response": governing_body_response}
    details.interactions, details.governing_body_response = interactions, governing_body_response
    details.full_clean()
    details.save()
    audit.record(actor=actor, verb="report_details_updated", obj=organisation,
                 summary=f"Annual report details for {selectors.year_label(year)}",
                 changes=audit.changed_fields(before, after))  # fmt: skip
    return details


@transaction.atomic
def publish_report(*, actor, organisation: Organisation, year: int, consolidated: bool = False) -> PublishedReport:
    """Freeze the report as it is now: HTML, PDF, CSV and ODS with their SHA-256, as a new version."""
    ids = selectors.report_scope(organisation, consolidated)
    if actor is not None and not (
        has_capability(actor, Cap.GOVERN, organisation.pk)
        and set(ids) <= organisation_ids_with(actor, Cap.VIEW_AGGREGATES)
    ):
        raise PermissionDenied
    Organisation.objects.select_for_update().get(pk=organisation.pk)  # one publisher at a time
    details = selectors.details_for(organisation, year)
    if not details.governing_body_response.strip():
        raise ValidationError("Add the governing body's response before publishing.")
    report = render.build_report(organisation, ids, year, consolidated, details.governing_body_response,
                                 today=timezone.localdate())  # fmt: skip
    html = render.render_html(report, draft=False)
    files = {"html": html, "pdf": render.render_pdf(html), "csv": render.render_csv(report),
             "ods": render.render_ods(report)}  # fmt: skip
    last = selectors.published_versions(organisation, year, consolidated).aggregate(v=Max("version"))["v"] or 0
    published = PublishedReport.objects.create(
        organisation=organisation,
        year=year,
        consolidated=consolidated,
        version=last + 1,
        governing_body_response=details.governing_body_response,
        published_by=actor,
        **files,
        **{f"{name}_sha256": render.sha256(data) for name, data in files.items()},
    )
    audit.record(actor=actor, actor_label=None if actor else "system", verb="report_published", obj=published,
                 organisation=organisation, summary=f"Published {report.title}, version {published.version}",
                 changes={"sha256": published.pdf_sha256})  # fmt: skip
    return published
