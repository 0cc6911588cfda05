"""Feedback: surveys of complainants and colleagues after a complaint closes, and the organisation's
self-assessment against the Complaint Standards.

An invitation is made once per complainant per complaint (and once per colleague per complaint); a response
belongs to exactly one invitation, so a repeated submission is recorded once. The complainant's link is an
unguessable token of which only the hash is stored. Each answer carries its statement's section so results
per section are one GROUP BY.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candour.feedback.statements import ColleagueRole, Kind, Section

DEFAULT_SURVEY_DELAY_DAYS = 10


class FeedbackSettings(models.Model):
    """Per organisation: how many working days after closure the complainant is invited."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="feedback_settings"
    )
    survey_delay_days = models.PositiveSmallIntegerField(
        default=DEFAULT_SURVEY_DELAY_DAYS, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )


class SurveyInvitation(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="survey_invitations")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    # Colleague invitations: who, and their part in the complaint.
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    colleague_role = models.CharField(max_length=20, choices=ColleagueRole.choices, blank=True)
    # Complainant invitations: the sha256 of the link's token (the token itself is never stored).
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(kind="complainant"), name="one_complainant_invitation"
            ),
            models.UniqueConstraint(
                fields=["complaint", "colleague"], condition=Q(kind="colleague"), name="one_colleague_invitation"
            ),
            models.CheckConstraint(
                condition=Q(kind="complainant", colleague__isnull=True, token_hash__isnull=False)
                | Q(kind="colleague", colleague__isnull=False),
                name="invitation_has_its_recipient",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "created_at"], name="invitation_org_kind")]


class SurveyResponse(models.Model):
    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.CASCADE, related_name="response")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    # Copied from the complaint when answered, for breakdowns without joins.
    stage = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organisation", "kind", "submitted_at"], name="response_org_kind")]


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    statement = models.CharField(max_length=30)
    section = models.PositiveSmallIntegerField(choices=Section.choices)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    # The response's kind, organisation and time, copied when answered (responses never change), so a
    # year's answers are read from an index without joining their responses (ADR 10).
    kind = models.CharField(max_length=20, choices=Kind.choices, editable=False, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, editable=False, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )  # fmt: skip
    submitted_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "statement"], name="answer_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="answer_score_1_to_5"),
        ]


# ---- self-assessment against the Standards ------------------------------------------------------------


class Expectation(models.Model):
    """One expectation of the Complaint Standards (editable wording; retired ones are kept for old versions).

    Rows without an organisation are the Standards' own wording, shared by every organisation that has not
    changed it. The first change an organisation's system administrator makes copies the shared list to that
    organisation (`services.own_expectations`), so one organisation's wording never changes another's.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    section = models.PositiveSmallIntegerField(choices=Section.choices)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"], condition=Q(organisation__isnull=True), name="expectation_number_once"
            ),
            models.UniqueConstraint(
                fields=["organisation", "section", "number"], name="expectation_number_once_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section}.{self.number} {self.text[:60]}"


class Rating(models.TextChoices):
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class SelfAssessment(models.Model):
    """A dated version of an organisation's self-assessment. Versions are never changed once saved."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="self_assessments"
    )
    version = models.PositiveIntegerField()
    assessed_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The live evidence the system held when this version was saved (figures only, no personal data).
    evidence = models.JSONField(default=dict)

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [models.UniqueConstraint(fields=["organisation", "version"], name="self_assessment_version")]


class ExpectationRating(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    expectation = models.ForeignKey(Expectation, on_delete=models.PROTECT, related_name="+")
    # The wording rated, as it was then.
    section = models.PositiveSmallIntegerField(choices=Section.choices)
    expectation_text = models.TextField()
    rating = models.CharField(max_length=20, choices=Rating.choices)
    evidence = models.TextField(blank=True)
    improvement_plan = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "section", "expectation__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "expectation"], name="rating_once")]
