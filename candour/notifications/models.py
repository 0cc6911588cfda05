"""The outbox: every e-mail Candour sends to a complainant or a colleague is a `Message` first.

A Message is stored in the same transaction as the change that caused it and sent afterwards by a
task, so a rolled-back change sends nothing and a failed send never loses the Message. The unique
`idempotency_key` makes sure the same e-mail (an acknowledgement, a reminder) is never sent twice.
"""

from django.db import models


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Provider(models.TextChoices):
    NOTIFY = "notify", "GOV.UK Notify"
    EMAIL = "email", "E-mail (SMTP)"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg"


# Sending is given up after this many attempts.
MAX_ATTEMPTS = 5


class Message(models.Model):
    recipient = models.EmailField(max_length=254)
    template = models.CharField(max_length=100)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the e-mail is about (e.g. "complaints.complaint" and its id); blank when about nothing in particular.
    related_object_type = models.CharField(max_length=80, blank=True)
    related_object_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the retry sweep should next look at this message: the next retry after a failure, or a safety
    # net after queueing/sending in case the task was lost. Empty once sent or given up.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    provider = models.CharField(max_length=10, choices=Provider.choices, blank=True)
    # GOV.UK Notify's notification id, or the Message-ID of an e-mail sent directly.
    provider_reference = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["related_object_type", "related_object_id"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk} ({self.status})"

    @property
    def gave_up(self) -> bool:
        """Failed for good: no retry is scheduled."""
        return self.status == Status.FAILED and self.next_attempt_at is None
