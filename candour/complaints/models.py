"""Complaints: intake, points of complaint, stages, deadlines, responses, remedies and escalation.

Deadlines are stored as dates computed by the organisation's working-day calendar when they change
(received, stage started, clock stopped or restarted, extension), so every list, dashboard and report
reads them with plain indexed SQL. Working days taken per stage are stored when the stage's response is
issued, for the same reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candour.audit.append_only import AppendOnlyModel
from candour.complaints.states import Status


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    MP = "mp", _("MP correspondence")
    SOCIAL_MEDIA = "social_media", _("Social media")


class ContactMethod(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")


class Triage(models.TextChoices):
    PENDING = "pending", _("Not yet triaged")
    COMPLAINT = "complaint", _("Complaint")
    SERVICE_REQUEST = "service_request", _("Service request")
    OTHER_ROUTE = "other_route", _("Another route")


class OtherRoute(models.TextChoices):
    APPEAL = "appeal", _("Appeal or review of a decision")
    TRIBUNAL = "tribunal", _("Tribunal")
    FOI_SAR = "foi_sar", _("Freedom of information or subject access request")
    LEGAL = "legal", _("Legal claim or court")
    DISCIPLINARY = "disciplinary", _("HR or disciplinary process")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


class ReferenceCounter(models.Model):
    """The last reference number issued per organisation and year (row-locked when a complaint is created)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="reference_counter_once")]


class Complaint(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="complaints")
    team = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="team_complaints"
    )
    service_area = models.ForeignKey(
        "organisations.ServiceArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    language = models.CharField(max_length=2, default="en", choices=[("en", "English"), ("cy", "Cymraeg")])
    received_on = models.DateField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Idempotency: a retried or double-clicked submission carries the same key and creates one complaint.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    # Triage
    triage = models.CharField(max_length=20, choices=Triage.choices, default=Triage.PENDING)
    other_route = models.CharField(max_length=20, choices=OtherRoute.choices, blank=True)
    signposting = models.TextField(blank=True)

    # The person complaining (personal data: removed by retention anonymisation)
    is_anonymous = models.BooleanField(default=False)
    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_email = models.EmailField(blank=True)
    complainant_phone = models.CharField(max_length=40, blank=True)
    complainant_address = models.TextField(blank=True)
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL)
    on_behalf_of_someone = models.BooleanField(default=False)
    person_affected_name = models.CharField(max_length=200, blank=True)
    representative_relationship = models.CharField(max_length=200, blank=True)
    consent_confirmed = models.BooleanField(default=False)
    reasonable_adjustments = models.TextField(blank=True)
    contact_opt_out = models.BooleanField(default=False, help_text=_("The person asked not to be surveyed."))
    anonymised_at = models.DateTimeField(null=True, blank=True)

    # What it is about
    summary = models.CharField(max_length=200, blank=True)
    description = models.TextField()
    events_date = models.DateField(null=True, blank=True)
    events_more_than_12_months_ago = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    late_decision = models.TextField(blank=True, help_text=_("The recorded decision to accept an older complaint."))
    outcome_sought = models.TextField(blank=True)
    mp_name = models.CharField(max_length=200, blank=True)

    # Lifecycle
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    stage = models.PositiveSmallIntegerField(default=1)
    stage1_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="stage1_complaints"
    )
    stage2_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="stage2_complaints"
    )
    closure_reason = models.TextField(blank=True)

    # Deadlines (working days per the organisation's calendar) and what happened
    acknowledgement_due = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    stage1_started_on = models.DateField(null=True, blank=True)
    stage1_due = models.DateField(null=True, blank=True)
    stage1_responded_on = models.DateField(null=True, blank=True)
    stage1_working_days = models.PositiveIntegerField(null=True, blank=True)
    stage1_extended = models.BooleanField(default=False)
    stage2_started_on = models.DateField(null=True, blank=True)
    stage2_due = models.DateField(null=True, blank=True)
    stage2_responded_on = models.DateField(null=True, blank=True)
    stage2_working_days = models.PositiveIntegerField(null=True, blank=True)
    stage2_extended = models.BooleanField(default=False)
    # The response date owed now (the current stage's, including extensions and stopped time); null when none is owed.
    response_due = models.DateField(null=True, blank=True, db_index=True)
    clock_stopped = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    escalated_to_stage2 = models.BooleanField(default=False)

    # The complainant's progress page (no account): an unguessable, expiring link.
    access_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)

    # Denormalised text for search (reference, names, summary, description, points), kept by the services.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "response_due"], name="complaint_queue"),
            models.Index(fields=["organisation", "received_on"], name="complaint_org_received"),
            models.Index(fields=["stage1_handler", "status"], name="complaint_stage1_handler"),
            models.Index(fields=["stage2_handler", "status"], name="complaint_stage2_handler"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=[1, 2]), name="complaint_stage_1_or_2"),
            models.CheckConstraint(
                condition=Q(stage2_handler__isnull=True)
                | Q(stage1_handler__isnull=True)
                | ~Q(stage2_handler=models.F("stage1_handler")),
                name="complaint_stage2_handler_independent",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        from candour.complaints.states import OPEN_STATES

        return self.status in OPEN_STATES

    @property
    def current_handler(self):
        return self.stage2_handler if self.stage == 2 else self.stage1_handler

    @property
    def current_handler_id(self):
        return self.stage2_handler_id if self.stage == 2 else self.stage1_handler_id


class PointOfComplaint(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    summary = models.TextField()
    outcome_sought = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # The finding: what should have happened (citing the rule), what did happen.
    should_have_happened = models.TextField(blank=True)
    what_happened = models.TextField(blank=True)
    finding = models.TextField(blank=True)

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="point_number_once")]

    def __str__(self) -> str:
        return f"{self.complaint.reference} point {self.number}"


class StageTransition(AppendOnlyModel):
    """One move through the lifecycle: appended, never updated."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    occurred_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]


class ClockStop(models.Model):
    """Stop-the-clock while waiting for the complainant. Stopped working days are added back to the due date."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="clock_stops")
    stage = models.PositiveSmallIntegerField()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(ended_on__isnull=True), name="one_running_clock_stop"
            )
        ]


class Extension(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="extensions")
    stage = models.PositiveSmallIntegerField()
    previous_due = models.DateField()
    new_due = models.DateField()
    reason = models.TextField()
    complainant_agreed = models.BooleanField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class RemedyType(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    EXPLANATION = "explanation", _("Explanation")
    REMEDIAL_ACTION = "remedial_action", _("Remedial action")
    FINANCIAL = "financial", _("Financial redress")
    SERVICE_IMPROVEMENT = "service_improvement", _("Service improvement")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting quality review")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")


class DeliveryMethod(models.TextChoices):
    EMAIL = "email", _("Sent by email")
    POST = "post", _("Posted")


class ComplaintKeys(models.Model):
    """The complaint's organisation and received date, copied onto a row when it is saved (both are fixed at
    intake). They let the dashboards' and reports' aggregates find a year's responses and remedies from an
    index instead of joining a million complaints (ADR 10)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, editable=False, on_delete=models.CASCADE, related_name="+",
        db_index=False,
    )  # fmt: skip
    complaint_received_on = models.DateField(null=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.organisation_id is None or self.complaint_received_on is None:
            self.organisation_id = self.complaint.organisation_id
            self.complaint_received_on = self.complaint.received_on
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "organisation", "complaint_received_on"}
        super().save(*args, **kwargs)


class Response(ComplaintKeys):
    """A stage's response letter. It cannot be issued until it covers the seven elements of a final response."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="responses")
    stage = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # The seven elements (domain page, "Giving fair and accountable responses").
    understanding = models.TextField(blank=True, help_text=_("The complaint and the outcome sought, as understood."))
    what_was_investigated = models.TextField(blank=True)
    how_it_was_investigated = models.TextField(blank=True)
    decision_reasoning = models.TextField(blank=True, help_text=_("How the decision on fault was reached."))
    impact = models.TextField(blank=True, help_text=_("The impact of any failing."))
    what_will_happen = models.TextField(blank=True, help_text=_("What will happen as a result, including learning."))
    next_steps = models.TextField(blank=True, help_text=_("What the person can do next (escalation rights)."))
    apology = models.TextField(blank=True)
    letter_html = models.TextField(blank=True, help_text=_("The letter as issued (frozen at issue)."))
    delivery_method = models.CharField(max_length=10, choices=DeliveryMethod.choices, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["complaint", "stage", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "stage"], condition=~Q(status="issued"), name="one_open_response_per_stage"
            )
        ]


class Remedy(ComplaintKeys):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="remedies")
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="remedies")
    type = models.CharField(max_length=30, choices=RemedyType.choices)
    description = models.TextField()
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["complaint", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(type="financial") | Q(amount__gt=0), name="financial_remedy_has_amount"
            ),
        ]


class Attachment(models.Model):
    """A file given with a complaint: stored outside the web root, served only to staff who may see the case."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_complainant = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class PhsoDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting the Ombudsman's decision")
    NOT_INVESTIGATED = "not_investigated", _("Not taken forward")
    RESOLVED_WITHOUT_INVESTIGATION = "resolved", _("Resolved without investigation")
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


class ComplianceStatus(models.TextChoices):
    NOT_APPLICABLE = "n/a", _("No recommendations")
    IN_PROGRESS = "in_progress", _("Complying")
    COMPLIED = "complied", _("Complied")
    NOT_COMPLIED = "not_complied", _("Not complied")


class OmbudsmanReferral(models.Model):
    """Escalation to the Parliamentary and Health Service Ombudsman, through an MP, after the final response."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="ombudsman_referral")
    mp_referral_date = models.DateField()
    phso_reference = models.CharField(max_length=40, blank=True)
    decision = models.CharField(max_length=20, choices=PhsoDecision.choices, default=PhsoDecision.PENDING)
    decision_date = models.DateField(null=True, blank=True)
    recommendations = models.TextField(blank=True)
    compliance = models.CharField(
        max_length=20, choices=ComplianceStatus.choices, default=ComplianceStatus.NOT_APPLICABLE
    )
    complied_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
