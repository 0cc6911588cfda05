"""Investigations: independence, colleagues complained about, plans, evidence, initial views, quality review,
consistent remedies, multi-organisation complaints, challenging behaviour and letter adjustments.

Everything hangs off a complaint (`complaints.Complaint`) or an organisation; nothing here changes the
complaint's own lifecycle except through the hooks registered in `apps.InvestigationsConfig.ready`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


# ---- organisation settings ------------------------------------------------------------------------------


class SignOff(models.TextChoices):
    NONE = "none", _("No sign-off needed")
    INVESTIGATIONS = "investigations", _("Every stage 2 (investigation) response")
    ALL = "all", _("Every response, at either stage")
    REDRESS_ABOVE = "redress_above", _("Responses with financial redress above an amount")


class InvestigationSettings(models.Model):
    """What an organisation asks of its investigations: which responses need a quality review sign-off."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="investigation_settings"
    )
    # No sign-off until the organisation decides (so existing cases keep working when the app is installed).
    sign_off = models.CharField(max_length=20, choices=SignOff.choices, default=SignOff.NONE)
    sign_off_above = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(sign_off="redress_above") | Q(sign_off_above__gte=0), name="sign_off_above_has_amount"
            )
        ]


# ---- independence ------------------------------------------------------------------------------------------


class InvolvedColleague(models.Model):
    """A colleague involved in the events complained about. They cannot investigate or review the case."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="involved_colleagues")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    involvement = models.TextField(help_text=_("How they were involved in the events."))
    complained_about = models.BooleanField(default=False)
    told_on = models.DateField(null=True, blank=True, help_text=_("When they were told about the complaint."))
    support_offered = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["complaint", "user"], name="involved_colleague_once")]


class StatementKind(models.TextChoices):
    ACCOUNT = "account", _("Their account of events")
    RESPONSE = "response", _("Response to emerging information")


class ColleagueStatement(models.Model):
    """A colleague's account, or their response to information that emerged during the investigation."""

    involved = models.ForeignKey(InvolvedColleague, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(max_length=20, choices=StatementKind.choices)
    text = models.TextField()
    given_on = models.DateField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_on", "id"]


class CaseRole(models.TextChoices):
    HANDLER = "handler", _("Stage 1 handler")
    INVESTIGATOR = "investigator", _("Stage 2 investigator")
    REVIEWER = "reviewer", _("Quality reviewer")


class ConflictDeclaration(models.Model):
    """A colleague's declaration of any conflict of interest before taking a role on a case."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=CaseRole.choices)
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    overridden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(blank=True)
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["declared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "user", "role"], name="conflict_declared_once"),
            models.CheckConstraint(condition=Q(has_conflict=False) | ~Q(details=""), name="conflict_has_details"),
        ]

    @property
    def blocks(self) -> bool:
        return self.has_conflict and self.overridden_by_id is None


# ---- plan -----------------------------------------------------------------------------------------------------


class InvestigationPlan(models.Model):
    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="investigation_plan"
    )
    key_issues = models.TextField(help_text=_("The key issues, as confirmed with the complainant."))
    outcome_sought = models.TextField()
    confirmed_with_complainant_on = models.DateField(null=True, blank=True)
    approach = models.TextField(help_text=_("How each issue will be looked into."))
    information_needed = models.TextField(blank=True)
    people_to_speak_to = models.TextField(blank=True)
    final_response_by = models.CharField(max_length=200, help_text=_("Who will give the final response (job title)."))
    target_date = models.DateField(help_text=_("The timescale agreed with the complainant."))
    update_every_days = models.PositiveSmallIntegerField(help_text=_("How often, in days, the parties are updated."))
    next_update_due = models.DateField()
    is_complex = models.BooleanField(default=False, help_text=_("Complex cases share initial views first."))
    shared_on = models.DateField(null=True, blank=True)
    letter_html = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(update_every_days__gte=1), name="plan_update_frequency")]


class PlanUpdate(models.Model):
    """An update given to the parties. Logging one moves the next update date on."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="plan_updates")
    given_on = models.DateField()
    given_to = models.CharField(max_length=200)
    summary = models.TextField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]


# ---- evidence ---------------------------------------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document or record")
    INTERVIEW = "interview", _("Interview notes")
    RULE = "rule", _("Legislation, policy or standard relied on")


class EvidenceItem(models.Model):
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="evidence")
    point = models.ForeignKey(
        "complaints.PointOfComplaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    rule_reference = models.CharField(
        max_length=300, blank=True, help_text=_("The legislation, policy, standard or guidance, and the section.")
    )
    attachment = models.ForeignKey(
        "complaints.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(kind="rule") | ~Q(rule_reference=""), name="rule_cited")]


# ---- initial views -----------------------------------------------------------------------------------------------


class InitialView(models.Model):
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="initial_views")
    text = models.TextField()
    shared_with = models.TextField(help_text=_("The parties it was shared with."))
    shared_on = models.DateField()
    reply_by = models.DateField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(reply_by__gte=models.F("shared_on")), name="reply_after_share")
        ]


class InitialViewReply(models.Model):
    view = models.ForeignKey(InitialView, on_delete=models.CASCADE, related_name="replies")
    party = models.CharField(max_length=200)
    from_complainant = models.BooleanField(default=False)
    text = models.TextField()
    received_on = models.DateField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["received_on", "id"]


# ---- quality review ----------------------------------------------------------------------------------------------

CHECKLIST = [
    (
        "balanced_account",
        _("A balanced account comparing what happened with what should have happened, citing the rule"),
    ),
    ("every_point_answered", _("Every point of complaint is answered")),
    ("apology_meets_principles", _("Any apology meets the Principles for Remedy")),
    ("remedy_consistent", _("Any remedy is consistent with the organisation's guidance and redress bands")),
    ("learning_identified", _("The learning is identified")),
    ("escalation_rights_given", _("Escalation rights are given")),
]


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")


class QualityReview(models.Model):
    """A check of a draft response by a colleague who did not investigate it. An approval holds only for the
    draft as it was approved: `content_hash` is compared with the draft's current content."""

    response = models.ForeignKey("complaints.Response", on_delete=models.CASCADE, related_name="quality_reviews")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices, default=ReviewDecision.PENDING)
    balanced_account = models.BooleanField(default=False)
    every_point_answered = models.BooleanField(default=False)
    apology_meets_principles = models.BooleanField(default=False)
    remedy_consistent = models.BooleanField(default=False)
    learning_identified = models.BooleanField(default=False)
    escalation_rights_given = models.BooleanField(default=False)
    comments = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(comments=""), name="returned_review_has_comments"
            )
        ]


# ---- consistent remedies ------------------------------------------------------------------------------------------


class RedressCategory(models.TextChoices):
    WORRY_DISTRESS = "worry_distress", _("Worry and distress")
    POOR_HANDLING = "poor_handling", _("Poor complaint handling")
    FINANCIAL_LOSS = "financial_loss", _("Financial loss (with evidence)")


class RedressBand(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="redress_bands"
    )
    category = models.CharField(max_length=20, choices=RedressCategory.choices)
    name = models.CharField(max_length=120)
    minimum = models.DecimalField(max_digits=10, decimal_places=2)
    maximum = models.DecimalField(max_digits=10, decimal_places=2)
    guidance = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation", "category", "minimum"]
        constraints = [
            models.CheckConstraint(condition=Q(maximum__gte=models.F("minimum")), name="band_max_not_below_min"),
            models.CheckConstraint(condition=Q(minimum__gte=0), name="band_min_not_negative"),
            models.UniqueConstraint(fields=["organisation", "category", "name"], name="band_name_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.name} (£{self.minimum:,.2f} to £{self.maximum:,.2f})"

    def contains(self, amount) -> bool:
        return self.minimum <= amount <= self.maximum


class BandedRemedy(models.Model):
    """Financial redress against a band; an amount outside the band carries the reason."""

    remedy = models.OneToOneField("complaints.Remedy", on_delete=models.CASCADE, related_name="banding")
    band = models.ForeignKey(RedressBand, on_delete=models.PROTECT, related_name="remedies")
    outside_band_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")


class RemedyExtension(models.Model):
    """A remedy extended to others affected in the same way."""

    remedy = models.ForeignKey("complaints.Remedy", on_delete=models.CASCADE, related_name="extensions_to_others")
    who_is_affected = models.TextField()
    number_affected = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


# ---- multi-organisation complaints ---------------------------------------------------------------------------------


class PartnerStatus(models.TextChoices):
    INVITED = "invited", _("Asked for their part")
    CONTRIBUTED = "contributed", _("Part added to the draft")


class ComplaintPartner(models.Model):
    """A contributing organisation on a complaint led by `complaint.organisation`."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(help_text=_("What the lead organisation asks this organisation to cover."))
    part_text = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=PartnerStatus.choices, default=PartnerStatus.INVITED)
    contributed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    contributed_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["complaint", "organisation"], name="partner_once")]


# ---- challenging behaviour ------------------------------------------------------------------------------------------


class IncidentType(models.TextChoices):
    ABUSIVE = "abusive", _("Abusive or threatening language")
    PERSISTENT = "persistent", _("Unreasonably persistent contact")
    VOLUME = "volume", _("Volume of contact")
    DISCRIMINATORY = "discriminatory", _("Discriminatory behaviour")
    OTHER = "other", _("Other")


class BehaviourIncident(models.Model):
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="behaviour_incidents")
    type = models.CharField(max_length=20, choices=IncidentType.choices)
    occurred_on = models.DateField()
    description = models.TextField()
    impact_on_colleagues = models.TextField()
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]


class RestrictionStatus(models.TextChoices):
    ACTIVE = "active", _("In place")
    LAPSED = "lapsed", _("Lapsed (not renewed at review)")
    ENDED = "ended", _("Ended")


class ContactRestriction(models.Model):
    """A proportionate restriction on how a complainant contacts the organisation. It lapses unless renewed
    at its review date, and never stops a new complaint from being recorded."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="restrictions")
    single_point_of_contact = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    written_contact_only = models.BooleanField(default=False)
    contact_limit = models.CharField(max_length=200, blank=True, help_text=_("For example, one phone call a week."))
    reasons = models.TextField()
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    review_on = models.DateField()
    status = models.CharField(max_length=20, choices=RestrictionStatus.choices, default=RestrictionStatus.ACTIVE)
    letter_html = models.TextField(blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(review_on__gt=models.F("starts_on")), name="restriction_review_later"),
            models.CheckConstraint(
                condition=Q(single_point_of_contact__isnull=False)
                | Q(written_contact_only=True)
                | ~Q(contact_limit=""),
                name="restriction_restricts_something",
            ),
        ]


class SupportKind(models.TextChoices):
    SUPPORT_OFFERED = "support_offered", _("Support offered")
    DEBRIEF = "debrief", _("Debrief")


class ColleagueSupport(models.Model):
    """Support or a debrief for a colleague (complained about, or affected by challenging behaviour)."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="colleague_support")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(
        BehaviourIncident, null=True, blank=True, on_delete=models.SET_NULL, related_name="support"
    )
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]


# ---- reasonable adjustments ---------------------------------------------------------------------------------------


class LetterDelivery(models.TextChoices):
    EMAIL = "email", _("Email")
    POST = "post", _("Post")
    EMAIL_AND_POST = "both", _("Email and post")


class LetterAdjustments(models.Model):
    """How letters reach this complainant: drives the format of the letters this app writes."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="letter_adjustments"
    )
    large_print = models.BooleanField(default=False)
    easy_read = models.BooleanField(default=False)
    delivery = models.CharField(max_length=10, choices=LetterDelivery.choices, default=LetterDelivery.EMAIL)
    send_copy_to = models.CharField(max_length=200, blank=True, help_text=_("An advocate or representative."))
    updated_at = models.DateTimeField(auto_now=True)
