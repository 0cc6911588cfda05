"""E-mails about complaints: to the complainant (acknowledgement, extension, the response letter) and to
colleagues (deadline reminders, from `sweeps.py`).

Each e-mail is queued with `candour.notifications.services.queue_email` inside the transaction that makes
the change, with an idempotency key, so it is stored with the change and sent once, after commit, with the
notifications app's retries. A failure to queue is logged and never blocks the complaint.

Wiring (see `apps.ComplaintsConfig.ready`):
- acknowledgement: `signals.complaint_transitioned` (sent by `services.transition`);
- extension: `services.EXTENSION_HOOKS`;
- response: `services.RESPONSE_HOOKS`.

Never e-mailed: anonymous complaints, anonymised complaints, complaints without an e-mail address.
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import logging
import re

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from candour.complaints.models import Complaint, DeliveryMethod
from candour.complaints.states import Status
from candour.notifications.services import queue_email

logger = logging.getLogger(__name__)

ACKNOWLEDGED_BY = frozenset({"acknowledge", "start_early_resolution", "escalate"})
_SUPPRESSED: contextvars.ContextVar[bool] = contextvars.ContextVar("complaint_emails_suppressed", default=False)


@contextlib.contextmanager
def suppressed():
    """No complaint e-mails inside this block (demo data and bulk imports of historical cases)."""
    token = _SUPPRESSED.set(True)
    try:
        yield
    finally:
        _SUPPRESSED.reset(token)


def _queue_email(**kwargs) -> bool:
    """Queue one e-mail; True if queued (or already queued under the key). Never raises."""
    if _SUPPRESSED.get():
        return False
    try:
        queue_email(**kwargs)
    except Exception:
        # A bad address or a rendering mistake must not undo the change to the complaint.
        logger.exception("Could not queue e-mail %s", kwargs.get("idempotency_key"))
        return False
    return True


def can_email_complainant(complaint: Complaint) -> bool:
    return bool(not complaint.is_anonymous and complaint.anonymised_at is None and complaint.complainant_email)


def _language(complaint: Complaint) -> str:
    return complaint.language if complaint.language in ("en", "cy") else "en"


def _date(value) -> str:
    """A GOV.UK-style date ("24 March 2026") in the active language ("24 Mawrth 2026")."""
    return date_format(value, "j F Y") if value else ""


def staff_url(complaint: Complaint) -> str:
    return f"{settings.CANDOUR_BASE_URL.rstrip('/')}/staff/complaints/{complaint.reference}/"


# ---- to the complainant --------------------------------------------------------------------------------


def acknowledgement(*, complaint: Complaint, **_kwargs) -> bool:
    if not can_email_complainant(complaint):
        return False
    language = _language(complaint)
    return _queue_email(
        to=complaint.complainant_email,
        template="acknowledgement",
        context={
            "reference": complaint.reference,
            "organisation_name": complaint.organisation.display_name(language),
            "due_date": complaint.response_due,
            "name": complaint.complainant_name,
        },
        language=language,
        organisation=complaint.organisation,
        obj=complaint,
        idempotency_key=f"complaint:{complaint.pk}:acknowledgement",
    )


def on_transitioned(sender=None, *, complaint: Complaint, name: str, from_status: str, **kwargs) -> None:
    """Receiver of `signals.complaint_transitioned`: acknowledge a complaint when it first moves on from
    received by acknowledging it (or by going straight to early resolution or investigation)."""
    if name in ACKNOWLEDGED_BY and from_status == Status.RECEIVED:
        acknowledgement(complaint=complaint)


def extension(*, complaint: Complaint, extension, **_kwargs) -> bool:
    """EXTENSION_HOOKS: tell the complainant the new date and why; at stage 2, that they may go to the
    Ombudsman through an MP."""
    if not can_email_complainant(complaint):
        return False
    language = _language(complaint)
    organisation_name = complaint.organisation.display_name(language)
    with translation.override(language):
        subject = _("We need more time to respond to your complaint %(reference)s") % {"reference": complaint.reference}
        paragraphs = [
            _("We need more time to respond to your complaint %(reference)s.") % {"reference": complaint.reference},
            _("We now aim to send you our response by %(date)s.") % {"date": _date(extension.new_due)},
            _("Why we need more time: %(reason)s") % {"reason": extension.reason},
        ]
        if extension.stage == 2:
            paragraphs.append(
                _(
                    "If you are unhappy with this delay, you can ask a Member of Parliament to refer your complaint "
                    "to the Parliamentary and Health Service Ombudsman. You can find out more at www.ombudsman.org.uk "
                    "or by calling 0345 015 4033."
                )
            )
        greeting = _("Dear %(name)s,") % {"name": complaint.complainant_name} if complaint.complainant_name else ""
    return _queue_email(
        to=complaint.complainant_email,
        template="generic",
        context={
            "subject": subject,
            "greeting": greeting,
            "paragraphs": paragraphs,
            "sign_off": organisation_name,
        },
        language=language,
        organisation=complaint.organisation,
        obj=complaint,
        idempotency_key=f"complaint:{complaint.pk}:extension:{extension.pk}",
    )


def letter_paragraphs(letter_html: str) -> list[str]:
    """The issued letter as plain paragraphs (the e-mail templates escape their text)."""
    # The document's head (its title and print styles) is not part of what the complainant reads.
    text = re.sub(r"(?is)<(head|style|script|title)\b.*?</\1\s*>", "", letter_html)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)</(p|div|h[1-6]|li|tr|table|ul|ol|section|address)>", "\n\n", text)
    text = html.unescape(strip_tags(text))
    return [re.sub(r"[ \t]+", " ", block).strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def response(*, complaint: Complaint, response, **_kwargs) -> bool:
    """RESPONSE_HOOKS: e-mail the issued letter when it is sent by e-mail."""
    if response.delivery_method != DeliveryMethod.EMAIL or not can_email_complainant(complaint):
        return False
    language = _language(complaint)
    with translation.override(language):
        if response.stage == 2:
            subject = _("Our final response to your complaint %(reference)s") % {"reference": complaint.reference}
        else:
            subject = _("Our response to your complaint %(reference)s") % {"reference": complaint.reference}
    return _queue_email(
        to=complaint.complainant_email,
        template="generic",
        context={
            "subject": subject,
            "greeting": " ",  # the letter carries its own greeting
            "paragraphs": letter_paragraphs(response.letter_html),
        },
        language=language,
        organisation=complaint.organisation,
        obj=complaint,
        idempotency_key=f"complaint:{complaint.pk}:response:{response.pk}",
    )


# ---- to colleagues ---------------------------------------------------------------------------------------

REMINDER_TEXT = {
    "due_soon": (
        "Complaint {reference} is due for a response soon",
        "The response to complaint {reference} is due by {date}.",
    ),
    "overdue": (
        "Complaint {reference} is overdue",
        "The response to complaint {reference} was due by {date} and has not been issued.",
    ),
    "escalation": (
        "Overdue complaint {reference} needs a complaints manager",
        "The response to complaint {reference} was due by {date} and has not been issued. Handler: {handler}.",
    ),
    "unassigned": (
        "Complaint {reference} is due soon and has no handler",
        "The response to complaint {reference} is due by {date} and no one is handling it.",
    ),
}


def staff_reminder(*, complaint: Complaint, user, kind: str, on) -> bool:
    """A deadline reminder to a colleague (English: staff pages are English). Once per case, person, kind, day."""
    if not user.email:
        return False
    subject, line = REMINDER_TEXT[kind]
    handler = complaint.current_handler
    values = {
        "reference": complaint.reference,
        "date": _date(complaint.response_due),
        "handler": handler.get_username() if handler else "nobody",
    }
    return _queue_email(
        to=user.email,
        template="generic",
        context={
            "subject": subject.format(**values),
            "paragraphs": [line.format(**values), f"Stage {complaint.stage}, {complaint.get_status_display()}."],
            "action_url": staff_url(complaint),
            "action_text": "Open the complaint",
        },
        language="en",
        organisation=complaint.organisation,
        obj=complaint,
        idempotency_key=f"complaint:{complaint.pk}:reminder:{kind}:{user.pk}:{on.isoformat()}",
    )
