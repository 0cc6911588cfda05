"""People: what each role is expected to do under the Complaint Standards, training, practical examples of a
fair and learning culture, and the support colleagues get after challenging interactions.

Records about a colleague (their training, examples and debriefs) are seen only by that colleague, their
managers and (for training and examples) trainers: see `candour.people.permissions`.

Links to complaints, improvement actions and behaviour records are optional plain fields for now
(`related_complaint_reference`, `related_action_id`, `behaviour_incident_id`): the complaints, learning
and investigations apps are being built alongside this one, and these become foreign keys when they land.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from candour.organisations.models import Organisation
from candour.organisations.roles import Role


class GateMode(models.TextChoices):
    OFF = "off", "Do not check training"
    WARN = "warn", "Warn, but allow the assignment"
    REFUSE = "refuse", "Refuse the assignment"


class PeopleSettings(models.Model):
    """One organisation's choices about training."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="people_settings")
    investigator_training_gate = models.CharField(max_length=10, choices=GateMode.choices, default=GateMode.WARN)
    reminder_days = models.PositiveSmallIntegerField(
        default=30, help_text="Remind colleagues this many days before their training expires."
    )

    def __str__(self) -> str:
        return f"People settings for {self.organisation}"


class RoleResponsibility(models.Model):
    """What the Standards expect of one role in one organisation. Editing it raises `version`, and colleagues
    are asked to acknowledge it again."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="role_responsibilities")
    role = models.CharField(max_length=30, choices=Role.choices)
    summary = models.CharField(max_length=300)
    expectations = models.TextField(help_text="One expectation a line.")
    examples = models.TextField(blank=True, help_text="Practical examples of the role, one a line.")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [models.UniqueConstraint(fields=["organisation", "role"], name="responsibility_once_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.organisation}"

    @property
    def expectation_lines(self) -> list[str]:
        return [line.strip() for line in self.expectations.splitlines() if line.strip()]

    @property
    def example_lines(self) -> list[str]:
        return [line.strip() for line in self.examples.splitlines() if line.strip()]


class Acknowledgement(models.Model):
    """A colleague confirms they have read and understood one version of their role's responsibilities."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements")
    responsibility = models.ForeignKey(RoleResponsibility, on_delete=models.CASCADE, related_name="acknowledgements")
    version = models.PositiveIntegerField()
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "responsibility", "version"], name="acknowledge_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.responsibility} v{self.version}"


class TrainingModule(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="training_modules")
    code = models.SlugField(max_length=60, help_text="Used in imports, e.g. investigating-complaints.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Role values (`Role`) for which this module is required.
    required_for_roles = models.JSONField(default=list, blank=True)
    refresh_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months before the training must be taken again; empty if it never expires."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "title"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="module_code_once")]

    def __str__(self) -> str:
        return self.title

    def required_role_labels(self) -> list[str]:
        return [Role(role).label for role in self.required_for_roles if role in Role.values]


class CompletionSource(models.TextChoices):
    MANUAL = "manual", "Recorded by a trainer"
    IMPORT = "import", "Imported from an e-learning export"


class TrainingCompletion(models.Model):
    """A colleague completed a module. Current on a date when completed on or before it and expiring after it.

    `expires_on` is worked out from the module's refresh period unless a date was given (`expiry_given`); when
    the refresh period changes, the worked-out expiries are worked out again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="completions")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    expiry_given = models.BooleanField(default=False)
    provider = models.CharField(max_length=200, blank=True)
    evidence = models.CharField(max_length=500, blank=True, help_text="Certificate number or link.")
    source = models.CharField(max_length=10, choices=CompletionSource.choices, default=CompletionSource.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module", "completed_on"], name="completion_once_a_day"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="completion_expires_after_completed",
            ),
        ]
        indexes = [models.Index(fields=["module", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.module} ({self.completed_on})"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked, waiting for a decision"
    IMPORTED = "imported", "Imported"
    CANCELLED = "cancelled", "Cancelled"


class TrainingImport(models.Model):
    """A CSV export from an e-learning platform, kept between checking it and importing it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="training_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.TextField()
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    imported_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class ReminderKind(models.TextChoices):
    EXPIRING = "expiring", "Expires soon"
    OVERDUE = "overdue", "Overdue"
    MISSING = "missing", "Not completed"


class TrainingReminder(models.Model):
    """One reminder per person, module, due date and kind: the daily sweep never repeats itself.

    For training that expires (`expiring`, `overdue`), `due_on` is the expiry date. For required training never
    completed (`missing`) there is no expiry, so `due_on` is the day the reminder was sent; the sweep sends
    another only once the organisation's reminder period has passed since the last one.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_reminders")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "module", "due_on", "kind"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.module} for {self.user} ({self.due_on})"


class PracticalExample(models.Model):
    """How a colleague or senior leader contributed to a fair and learning culture.

    Visible to its author, their managers and trainers. A reviewer (complaints manager or senior leader) may
    write an anonymised version and approve it for reports; only that version ever leaves the profile.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practical_examples")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="practical_examples")
    title = models.CharField(max_length=200)
    what_happened = models.TextField()
    what_i_did = models.TextField()
    difference_made = models.TextField(blank=True)
    occurred_on = models.DateField()
    # Optional links, plain fields until the complaints and learning apps land.
    related_complaint_reference = models.CharField(max_length=40, blank=True)
    related_action_id = models.PositiveIntegerField(null=True, blank=True)
    anonymised_text = models.TextField(blank=True)
    approved_for_reports = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_for_reports=False) | ~Q(anonymised_text=""),
                name="example_approved_only_when_anonymised",
            )
        ]

    def __str__(self) -> str:
        return self.title


class InteractionKind(models.TextChoices):
    CHALLENGING_CONVERSATION = "challenging_conversation", "Challenging conversation"
    UNACCEPTABLE_BEHAVIOUR = "unacceptable_behaviour", "Unacceptable behaviour towards the colleague"
    DISTRESSING_CONTENT = "distressing_content", "Distressing content in a complaint"
    COMPLAINED_ABOUT = "complained_about", "Being complained about"
    OTHER = "other", "Something else"


class SupportOffered(models.TextChoices):
    DEBRIEF = "debrief", "Debrief conversation"
    TIME_AWAY = "time_away", "Time away from the desk"
    CASELOAD = "caseload", "Change to caseload"
    EMPLOYEE_ASSISTANCE = "employee_assistance", "Employee assistance programme"
    TRAINING = "training", "Further training or coaching"
    PEER_SUPPORT = "peer_support", "Peer support"
    OTHER = "other", "Other support"


class SupportRecord(models.Model):
    """A manager's debrief with a colleague after a challenging interaction, and the support offered.

    Seen by the colleague and their managers only. Governance sees counts, never names.
    """

    colleague = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_records")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="support_records")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="support_records_made"
    )
    interaction_on = models.DateField()
    debriefed_on = models.DateField()
    interaction_kind = models.CharField(max_length=30, choices=InteractionKind.choices)
    notes = models.TextField(help_text="What was discussed. Factual and neutral.")
    support_offered = models.JSONField(default=list)
    support_detail = models.CharField(max_length=300, blank=True)
    # Optional link to a behaviour record in the investigations app, a plain id until that app lands.
    behaviour_incident_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-debriefed_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "debriefed_on"])]

    def __str__(self) -> str:
        return f"Debrief for {self.colleague} on {self.debriefed_on}"

    def support_labels(self) -> list[str]:
        return [SupportOffered(s).label for s in self.support_offered if s in SupportOffered.values]
