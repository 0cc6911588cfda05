"""Governance: the figures senior leaders review, the body that reviews them and on what rhythm, each review
held (attendees, discussion, decisions, accountable actions), interaction volumes for rates per 1,000, and
the thresholds a parent department sets for its related organisations.

Colleagues' names appear only as attendees and accountable owners of a review, never beside a case: packs
report on the system, not on individuals (the Standards' fair and learning culture).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InteractionVolume(models.Model):
    """How many interactions (applications, calls, transactions) an organisation had in a month."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text=_("The first day of the month."))
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["organisation", "month"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "month"], name="interaction_volume_once"),
        ]
        # No database check on the day: on SQLite `month__day=1` compiles to Django's own SQL function, which
        # a plain sqlite3 connection (backup and restore) cannot evaluate. `clean` and the service enforce it.

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}: {self.count}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Record the month as its first day."})


class Rhythm(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTHLY = "six_monthly", _("Every six months")
    ANNUAL = "annual", _("Annually")


RHYTHM_MONTHS = {Rhythm.MONTHLY: 1, Rhythm.QUARTERLY: 3, Rhythm.SIX_MONTHLY: 6, Rhythm.ANNUAL: 12}
# A review is missed when none has been held for the rhythm's interval plus this grace.
GRACE = datetime.timedelta(days=14)


class GovernanceBody(models.Model):
    """The board or committee that reviews an organisation's complaint information, and how often."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="governance_body"
    )
    name = models.CharField(max_length=200)
    rhythm = models.CharField(max_length=20, choices=Rhythm.choices, default=Rhythm.QUARTERLY)
    accountable_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The senior leader accountable for complaints, told when a review is missed."),
    )
    # When the rhythm started (a body with no reviews yet is missed one interval after this).
    since = models.DateField()

    def __str__(self) -> str:
        return self.name

    @property
    def interval_months(self) -> int:
        return RHYTHM_MONTHS[self.rhythm]


class GovernanceReview(models.Model):
    """One meeting of the governance body reviewing a period's complaint information."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    held_on = models.DateField()
    attendees = models.TextField(help_text=_("Who attended, one per line (names and roles)."))
    discussion = models.TextField(help_text=_("A summary of the discussion."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "held_on"], name="review_org_held")]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="review_period_order")
        ]

    def __str__(self) -> str:
        return f"Review held {self.held_on:%d %B %Y}"


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("No longer needed")


class Decision(models.Model):
    """A decision the governance body made. Every later pack shows its current status."""

    review = models.ForeignKey(GovernanceReview, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    status_note = models.TextField(blank=True)
    status_changed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ReviewAction(models.Model):
    """An action agreed at a review, with a named accountable owner and a date, as the review recorded it.

    Each is a learning `ImprovementAction` (issue 6: "these are improvement actions"), created through
    `candour.learning.services.create_action` when the review is recorded and linked here. Its status is the
    improvement action's, moved through learning's status machine: this record holds no status of its own, so
    an action is never tracked, or counted, twice.
    """

    review = models.ForeignKey(GovernanceReview, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    improvement_action = models.OneToOneField(
        "learning.ImprovementAction", on_delete=models.PROTECT, related_name="governance_review_action"
    )

    class Meta:
        ordering = ["due_on", "id"]


class Indicator(models.TextChoices):
    """Indicators a department can set a threshold on (percentages; higher is better unless noted).

    Each value is the key of the figure in `selectors.dashboard_figures` and `organisation_comparison`.
    """

    ACK_ON_TIME = "ack_pct_on_time", _("Acknowledged on time (%)")
    STAGE1_ON_TIME = "stage1_pct_on_time", _("Stage 1 responses on time (%)")
    STAGE2_ON_TIME = "stage2_pct_on_time", _("Stage 2 responses on time (%)")
    STAGE1_EXTENDED = "stage1_pct_extended", _("Stage 1 extended (%) — lower is better")
    ESCALATED = "escalated_pct", _("Escalated to stage 2 (%) — lower is better")


LOWER_IS_BETTER = {Indicator.STAGE1_EXTENDED, Indicator.ESCALATED}


class Threshold(models.Model):
    """A department's expectation of its related organisations, e.g. stage 1 on time at least 80 %."""

    department = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=30, choices=Indicator.choices)
    value = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["department", "indicator"]
        constraints = [models.UniqueConstraint(fields=["department", "indicator"], name="threshold_once")]

    @property
    def lower_is_better(self) -> bool:
        return self.indicator in LOWER_IS_BETTER

    def falls_short(self, figure) -> bool:
        if figure is None:
            return False
        return figure > self.value if self.lower_is_better else figure < self.value
