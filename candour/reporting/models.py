"""The annual complaints performance and service-improvement report: its draft details, case studies and
published versions.

A published version is frozen: the HTML, PDF, CSV and ODS exactly as published, each with its SHA-256. The
model and its queryset refuse to change or delete one, like the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportDetails(models.Model):
    """What the figures cannot supply for one organisation's report for one financial year."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The financial year starting 1 April of this year.")
    interactions = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contacts with the public in the year, where known (for the rate per 1,000)."
    )
    governing_body_response = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="report_details_once")]


class CaseStudyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class CaseStudy(models.Model):
    """A closed complaint told as an anonymised story. Usable in reports only once a second person approves."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="case_studies")
    year = models.PositiveSmallIntegerField(help_text="The financial year of the report it belongs to.")
    title = models.CharField(max_length=200)
    # What the manager wrote, and the anonymised text that is all a report ever shows.
    text = models.TextField()
    anonymised_text = models.TextField()
    status = models.CharField(max_length=20, choices=CaseStudyStatus.choices, default=CaseStudyStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "title", "id"]
        indexes = [models.Index(fields=["organisation", "year", "status"], name="case_study_org_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("created_by")),
                name="case_study_approved_by_someone_else",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_by__isnull=False), name="case_study_approved_has_approver"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("A published report cannot be changed.")

    def delete(self):
        raise PermissionError("A published report cannot be deleted.")


class PublishedReport(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    consolidated = models.BooleanField(default=False, help_text="The department and every body beneath it.")
    version = models.PositiveSmallIntegerField()
    html = models.TextField()
    pdf = models.BinaryField()
    csv = models.BinaryField()
    ods = models.BinaryField()
    html_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    csv_sha256 = models.CharField(max_length=64)
    ods_sha256 = models.CharField(max_length=64)
    governing_body_response = models.TextField(blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_id", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "consolidated", "version"], name="published_report_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("A published report cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A published report cannot be deleted.")
