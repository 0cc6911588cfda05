"""Sending e-mail to complainants and colleagues.

Other apps call `queue_email(...)` inside the transaction that makes the change the e-mail is about. The
Message is stored in that transaction, and only once it commits is the `send_message` task enqueued; the
task sends through GOV.UK Notify when `GOVUK_NOTIFY_API_KEY` is set and through Django's e-mail backend
otherwise. A failed send is recorded on the Message and retried with backoff (the `notifications.retry`
sweep re-enqueues retries that are due), up to `MAX_ATTEMPTS`; it never raises into the caller.
"""

from __future__ import annotations

import datetime
import logging
import re
from functools import cache, partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.validators import validate_email
from django.db import models, transaction
from django.template import engines
from django.utils import timezone, translation
from jinja2 import Environment, TemplateNotFound
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from candour.audit import services as audit
from candour.notifications.models import MAX_ATTEMPTS, Language, Message, Provider, Status

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "notifications/email"
# Wait this long after each failed attempt before the next one (attempt 1 failed -> 1 minute, ...).
BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
]
# If a message is still queued or sending this long after its task should have run, the task was lost
# (a worker died, the queue was down): the retry sweep enqueues it again.
STALE_AFTER = datetime.timedelta(minutes=15)
SYSTEM = "system"


class RenderedEmail:
    def __init__(self, subject: str, text: str, html: str):
        self.subject, self.text, self.html = subject, text, html


@cache
def _environments() -> tuple[Environment, Environment]:
    """Candour's Jinja2 environment (autoescaping, for HTML) and an overlay without autoescaping for the
    subject line and the plain-text body, where escaping would show `&amp;` to the reader."""
    html_env = engines["jinja2"].env
    return html_env, html_env.overlay(autoescape=False)


def render_email(template: str, context: dict, language: str = Language.ENGLISH) -> RenderedEmail:
    """Render `<template>.subject`, `.txt` and (if present) `.html` in `language`."""
    if language not in Language.values:
        raise ValueError(f"Unknown language {language!r}")
    html_env, text_env = _environments()
    full_context = {
        "language": language,
        "service_name": "Candour",
        "base_url": settings.CANDOUR_BASE_URL,
        **context,
    }
    with translation.override(language):
        subject = text_env.get_template(f"{TEMPLATE_DIR}/{template}.subject").render(full_context)
        text = text_env.get_template(f"{TEMPLATE_DIR}/{template}.txt").render(full_context)
        try:
            html_template = html_env.get_template(f"{TEMPLATE_DIR}/{template}.html")
        except TemplateNotFound:
            html = ""
        else:
            html = html_template.render(full_context)
    # A subject is one line: newlines would be refused as header injection.
    subject = re.sub(r"\s+", " ", subject).strip()[:255]
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return RenderedEmail(subject, text, html.strip() + "\n" if html else "")


def _summary(message: Message, what: str) -> str:
    # Template name and message id only: never the address or the content.
    return f"{what} e-mail '{message.template}' (message {message.pk})"


@transaction.atomic
def queue_email(
    *,
    to: str,
    template: str,
    context: dict,
    language: str = Language.ENGLISH,
    organisation=None,
    obj: models.Model | None = None,
    idempotency_key: str,
    actor=None,
) -> Message:
    """Store an e-mail in the outbox and send it once the caller's transaction commits.

    Repeating a call with the same `idempotency_key` returns the Message already stored and sends nothing
    more, so callers use keys such as f"complaint:{pk}:acknowledgement". Raises ValidationError for an
    invalid address, ValueError for an unknown language or missing key, TemplateNotFound for an unknown
    template: these are mistakes in the caller, not failures to send.
    """
    if not idempotency_key:
        raise ValueError("queue_email needs an idempotency_key")
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    validate_email(to)
    rendered = render_email(template, context, language)
    message, created = Message.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "recipient": to,
            "template": template,
            "language": language,
            "subject": rendered.subject,
            "body_text": rendered.text,
            "body_html": rendered.html,
            "organisation": organisation,
            "related_object_type": obj._meta.label_lower if obj is not None else "",
            "related_object_id": str(obj.pk) if obj is not None else "",
            "next_attempt_at": timezone.now() + STALE_AFTER,
        },
    )
    if not created:
        return message
    audit.record(
        actor=actor,
        actor_label=None if actor is not None else SYSTEM,
        verb="notification queued",
        obj=message,
        summary=_summary(message, "Queued"),
    )
    transaction.on_commit(partial(enqueue_send, message.pk))
    return message


def enqueue_send(message_id: int, run_after: datetime.datetime | None = None) -> None:
    """Enqueue the send task. Never raises: if the queue is unavailable the retry sweep catches up."""
    from candour.notifications.tasks import send_message

    try:
        task = send_message
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # the retry sweep will enqueue it when it is due
            task = task.using(run_after=run_after)
        task.enqueue(message_id)
    except Exception:
        logger.exception("Could not enqueue message %s; the retry sweep will pick it up", message_id)


def _claim(message_id: int) -> Message | None:
    """Lock the message and mark it as sending, or return None if it is sent, given up or not yet due."""
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == Status.SENT:
            return None
        if message.status != Status.QUEUED and (message.next_attempt_at is None or message.next_attempt_at > now):
            return None
        if message.attempts >= MAX_ATTEMPTS:
            return None
        # A message claimed while 'sending' is one whose last attempt died part-way (its lease expired): the
        # provider may already have accepted it, so send_message asks before sending again.
        message.outcome_unknown = message.status == Status.SENDING
        message.status = Status.SENDING
        message.attempts += 1
        message.next_attempt_at = now + STALE_AFTER
        message.provider = Provider.NOTIFY if settings.GOVUK_NOTIFY_API_KEY else Provider.EMAIL
        message.save(update_fields=["status", "attempts", "next_attempt_at", "provider"])
        return message


# GOV.UK Notify runs its Markdown over the template *after* filling in personalisation, so text in the body
# (a complainant's name, a reason a colleague typed) could otherwise become a heading, a list, inset text, a
# horizontal rule or a link. Candour's e-mails use no Markdown themselves: everything in the body is plain text.
ZERO_WIDTH_SPACE = "\u200b"
# A line Notify's Markdown would read as a block: # heading, ^ inset, * - • + bullets, 1. numbers, --- ***
# ___ === rules and setext underlines, > quotes, | : tables, ``` ~~~ code, [x]: link definitions.
_NOTIFY_BLOCK = re.compile(r"^([ \t]*)(?=[#^*\-•+=_>|:`~\[]|\d+[.)])", re.MULTILINE)
# [text](url), ![alt](src), >>[action](url) and [text][ref]: break the "](" / "][" join.
_NOTIFY_LINK = re.compile(r"\]([ \t]*)(?=[(\[])")


def notify_plain_text(text: str) -> str:
    """`text` as Notify will show it, character for character: an invisible zero-width space before anything
    its Markdown would treat as formatting, so what a person typed stays text. Notify escapes HTML itself."""
    text = _NOTIFY_BLOCK.sub(lambda m: m.group(1) + ZERO_WIDTH_SPACE, text)
    return _NOTIFY_LINK.sub(lambda m: "]" + ZERO_WIDTH_SPACE + m.group(1), text)


def _send_via_notify(message: Message) -> str:
    client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY, base_url=settings.GOVUK_NOTIFY_BASE_URL)
    response = client.send_email_notification(
        email_address=message.recipient,
        template_id=settings.GOVUK_NOTIFY_EMAIL_TEMPLATE_ID,
        personalisation={"subject": message.subject, "body": notify_plain_text(message.body_text)},
        reference=message.idempotency_key,
    )
    return str(response["id"])


def _already_accepted_by_notify(message: Message) -> str | None:
    """Notify's id for this message if Notify already accepted it (looked up by the reference we send, the
    idempotency key), else None. Notify keeps notifications for 7 days, far longer than a send's lease."""
    client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY, base_url=settings.GOVUK_NOTIFY_BASE_URL)
    found = client.get_all_notifications(reference=message.idempotency_key)
    for notification in found.get("notifications", []):
        if notification.get("reference") == message.idempotency_key:
            return str(notification["id"])
    return None


def _send_via_email(message: Message) -> str:
    message_id = make_msgid(domain="candour")
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message_id, "Content-Language": message.language},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send(fail_silently=False)
    return message_id


def is_permanent(error: Exception) -> bool:
    """Notify refused the request itself (a 4xx other than rate limiting): sending it again cannot work."""
    return isinstance(error, HTTPError) and 400 <= (error.status_code or 0) < 500 and error.status_code != 429


def send_message(message_id: int) -> str:
    """Send one queued message. Safe to call more than once: a sent message is never sent again."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    try:
        if message.provider == Provider.NOTIFY:
            # After a worker died mid-send, ask Notify first so the complainant does not get the e-mail twice.
            # (SMTP has no such look-up: there a death between handing over and recording can still resend.)
            reference = getattr(message, "outcome_unknown", False) and _already_accepted_by_notify(message)
            reference = reference or _send_via_notify(message)
        else:
            reference = _send_via_email(message)
    except Exception as error:
        logger.warning("Sending message %s failed (attempt %s): %s", message.pk, message.attempts, error)
        return _record_failure(message, error)
    _record_success(message, reference)
    return "sent"


@transaction.atomic
def _record_success(message: Message, reference: str) -> None:
    message.status = Status.SENT
    message.sent_at = timezone.now()
    message.provider_reference = reference[:255]
    message.next_attempt_at = None
    message.save(update_fields=["status", "sent_at", "provider_reference", "next_attempt_at"])
    audit.record(
        actor=None,
        actor_label=SYSTEM,
        verb="notification sent",
        obj=message,
        summary=_summary(message, f"Sent via {message.get_provider_display()}"),
        changes={"fields": ["provider_reference", "sent_at", "status"]},
    )


@transaction.atomic
def _record_failure(message: Message, error: Exception) -> str:
    message.status = Status.FAILED
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    retry = message.attempts < MAX_ATTEMPTS and not is_permanent(error)
    message.next_attempt_at = timezone.now() + BACKOFF[min(message.attempts, len(BACKOFF)) - 1] if retry else None
    message.save(update_fields=["status", "last_error", "next_attempt_at"])
    audit.record(
        actor=None,
        actor_label=SYSTEM,
        verb="notification failed",
        obj=message,
        summary=_summary(message, f"Attempt {message.attempts} to send")
        + (" failed; will retry" if retry else " failed; gave up"),
        changes={"fields": ["attempts", "last_error", "status"]},
    )
    if retry:
        transaction.on_commit(partial(enqueue_send, message.pk, run_after=message.next_attempt_at))
        return "failed, will retry"
    return "failed, gave up"


def retry_failed_messages(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Enqueue every message whose retry is due, and any whose task was lost. Returns how many."""
    now = now or timezone.now()
    due = list(
        Message.objects.filter(
            status__in=[Status.QUEUED, Status.SENDING, Status.FAILED],
            next_attempt_at__lte=now,
            attempts__lt=MAX_ATTEMPTS,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        enqueue_send(pk)
    return len(due)
