"""Learning from complaints: learning records, root causes, themes, improvement actions and their evidence.

Learning describes what went wrong in the *system* (process, policy, communication, tools, resourcing),
never who is at fault: the services refuse free text that names the complaint's handlers or
investigators (see `services.check_no_colleague_names`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from candour.audit.append_only import AppendOnlyModel
from candour.learning.states import ActionStatus

DEFAULT_ROOT_CAUSES = [
    "Policy",
    "Process",
    "Communication",
    "Staff knowledge or training",
    "IT system",
    "Resourcing",
    "Third-party provider",
    "Other",
]


class LearningSettings(models.Model):
    """An organisation's learning settings (one row per organisation, created on first change)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="learning_settings"
    )
    # When set, an upheld or partly upheld complaint cannot be closed without a learning record.
    learning_required_before_closure = models.BooleanField(default=False)


class RootCause(models.Model):
    """The root-cause taxonomy. Rows without an organisation are the defaults every organisation has."""

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="root_causes"
    )
    name = models.CharField(max_length=120)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation_id", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="root_cause_once")]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A tag an organisation uses to group what complaints are about (for trends and impact)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="theme_once")]

    def __str__(self) -> str:
        return self.name


class LearningRecord(models.Model):
    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE, related_name="learning_record")
    # The complaint's organisation, copied so scoping and trends need no join.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="learning_records"
    )
    what_went_wrong = models.TextField()
    root_cause = models.ForeignKey(RootCause, on_delete=models.PROTECT, related_name="learning_records")
    service_area = models.ForeignKey(
        "organisations.ServiceArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_records"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="learning_records", through="LearningRecordTheme")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The complaint's received date, copied when the record is saved (fixed at intake, ADR 10), so trends by
    # month received find a year's records from an index instead of joining a million complaints.
    complaint_received_on = models.DateField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "root_cause"], name="learning_org_root_cause")]

    def __str__(self) -> str:
        return f"Learning from {self.complaint_id}"

    def save(self, *args, **kwargs):
        if self.complaint_received_on is None:
            self.complaint_received_on = self.complaint.received_on
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "complaint_received_on"}
        super().save(*args, **kwargs)


class LearningRecordTheme(models.Model):
    """A theme given to a learning record. It carries the record's organisation and complaint received date (fixed
    at intake, ADR 10), so complaints per theme per month are read from one index instead of joining every link
    to its record (the parent-department view and the annual report). Add themes with
    `record.themes.set(..., through_defaults=LearningRecordTheme.keys_of(record))`."""

    learningrecord = models.ForeignKey(LearningRecord, on_delete=models.CASCADE)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )  # the covering index on PostgreSQL leads with it (learning/0004)
    complaint_received_on = models.DateField()

    class Meta:
        db_table = "learning_learningrecord_themes"  # the table Django made for the plain many-to-many
        unique_together = [("learningrecord", "theme")]

    @staticmethod
    def keys_of(record: LearningRecord) -> dict:
        return {"organisation_id": record.organisation_id, "complaint_received_on": record.complaint_received_on}


class Publication(models.TextChoices):
    NOT_PUBLISHED = "not_published", "Not published"
    APPROVED = "approved", "Approved and published"


class ImprovementAction(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="improvement_actions"
    )
    description = models.TextField()
    complaints = models.ManyToManyField("complaints.Complaint", blank=True, related_name="improvement_actions")
    learning_records = models.ManyToManyField(LearningRecord, blank=True, related_name="actions")
    # What the action is meant to change, for its before/after impact figures.
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions")
    service_area = models.ForeignKey(
        "organisations.ServiceArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    senior_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=ActionStatus.choices, default=ActionStatus.PROPOSED)
    expected_impact = models.TextField(blank=True)
    how_measured = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True)
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Overdue escalation: how many due dates this action has missed, and the last one counted.
    times_overdue = models.PositiveSmallIntegerField(default=0)
    overdue_counted_for = models.DateField(null=True, blank=True)
    # "You said, we did": an anonymised public summary, published once approved.
    you_said = models.TextField(blank=True)
    we_did = models.TextField(blank=True)
    you_said_cy = models.TextField(blank=True)
    we_did_cy = models.TextField(blank=True)
    publication = models.CharField(max_length=20, choices=Publication.choices, default=Publication.NOT_PUBLISHED)
    published_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"], name="action_org_status_due"),
            models.Index(fields=["organisation", "publication"], name="action_org_publication"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=models.F("delivery_owner")),
                name="action_verified_independently",
            ),
            models.CheckConstraint(
                condition=Q(publication="not_published") | (~Q(you_said="") & ~Q(we_did="")),
                name="action_published_has_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}"


class ActionStatusLog(AppendOnlyModel):
    """One move through an action's lifecycle: appended, never updated."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="status_log")
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=ActionStatus.choices)
    to_status = models.CharField(max_length=30, choices=ActionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    occurred_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]


class EvidenceFile(models.Model):
    """A file showing an action was completed: stored under MEDIA_ROOT, served only to those who may see it."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="evidence_files")
    stored_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
