"""Letters this app writes to complainants: the investigation plan and a contact restriction.

Written in the complaint's language (English, or Welsh when `complaint.language == "cy"`), formatted and
delivered as the complainant's letter adjustments say (large print; e-mail, post or both).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candour.complaints import notify
from candour.complaints.letters import paragraphs
from candour.investigations.models import LetterAdjustments, LetterDelivery

SUBJECTS = {
    "plan": lambda ref: _("How we will investigate your complaint %(reference)s") % {"reference": ref},
    "restriction": lambda ref: _("How you can contact us about complaint %(reference)s") % {"reference": ref},
}


def adjustments_for(complaint) -> LetterAdjustments:
    """The complainant's letter adjustments, or the default from how they prefer to be contacted."""
    found = LetterAdjustments.objects.filter(complaint=complaint).first()
    if found is not None:
        return found
    delivery = LetterDelivery.POST if complaint.preferred_contact == "post" else LetterDelivery.EMAIL
    return LetterAdjustments(complaint=complaint, delivery=delivery)


def _language(complaint) -> str:
    return "cy" if complaint.language == "cy" else "en"


def _context(complaint, on) -> dict:
    language = _language(complaint)
    return {
        "complaint": complaint,
        "language": language,
        "organisation_name": complaint.organisation.display_name(language),
        "letter_date": on or timezone.localdate(),
        "addressee": complaint.complainant_name or (_("Sir or Madam")),
        "address_lines": [line for line in complaint.complainant_address.splitlines() if line.strip()],
        "adjustments": adjustments_for(complaint),
        "paragraphs": paragraphs,
    }


def render_plan_letter(complaint, plan, on: datetime.date | None = None) -> str:
    with translation.override(_language(complaint)):
        return render_to_string("investigations/letters/plan.html", {**_context(complaint, on), "plan": plan})


def render_restriction_letter(complaint, restriction, renewed: bool = False) -> str:
    with translation.override(_language(complaint)):
        context = {**_context(complaint, restriction.starts_on), "restriction": restriction, "renewed": renewed}
        return render_to_string("investigations/letters/restriction.html", context)


def send_letter(complaint, letter_html: str, *, subject_key: str, idempotency_key: str) -> bool:
    """E-mail the letter when the complainant's adjustments say e-mail (or both). Posted letters are printed from
    the case page. Never raises."""
    adjustments = adjustments_for(complaint)
    if adjustments.delivery not in (LetterDelivery.EMAIL, LetterDelivery.EMAIL_AND_POST):
        return False
    if not notify.can_email_complainant(complaint):
        return False
    language = _language(complaint)
    with translation.override(language):
        subject = SUBJECTS[subject_key](complaint.reference)
    return notify._queue_email(
        to=complaint.complainant_email,
        template="generic",
        context={"subject": subject, "greeting": " ", "paragraphs": notify.letter_paragraphs(letter_html)},
        language=language,
        organisation=complaint.organisation,
        obj=complaint,
        idempotency_key=idempotency_key,
    )


def remind_colleague(restriction, user) -> bool:
    if not user.email:
        return False
    complaint = restriction.complaint
    url = f"{settings.CANDOUR_BASE_URL.rstrip('/')}/staff/investigations/{complaint.reference}/#behaviour"
    return notify._queue_email(
        to=user.email,
        template="generic",
        context={
            "subject": f"Review the contact restriction on complaint {complaint.reference}",
            "paragraphs": [
                f"The contact restriction on complaint {complaint.reference} must be reviewed by "
                f"{restriction.review_on:%-d %B %Y}. If it is not renewed by then it lapses.",
            ],
            "action_url": url,
            "action_text": "Review the restriction",
        },
        language="en",
        organisation=complaint.organisation,
        obj=complaint,
        idempotency_key=f"investigation:restriction:{restriction.pk}:reminder:{restriction.review_on}:{user.pk}",
    )


def add_to_response_letter(*, complaint, response, context) -> None:
    """Registered in complaints.letters.LETTER_CONTEXT_HOOKS: contributing organisations' parts appear in
    the one response, and a large-print adjustment enlarges the letter."""
    from candour.complaints.letters import paragraphs
    from candour.investigations.models import ComplaintPartner, PartnerStatus

    for partner in ComplaintPartner.objects.filter(
        complaint=complaint, status=PartnerStatus.CONTRIBUTED
    ).select_related("organisation"):
        context["extra_sections"].append(
            {
                # Rendered inside the letter's language (letters.render_letter_html overrides it).
                "heading": _("From %(organisation)s")
                % {"organisation": partner.organisation.display_name(complaint.language)},
                "paragraphs": paragraphs(partner.part_text),
            }
        )
    context["large_print"] = adjustments_for(complaint).large_print


def response_delivery_problem(*, complaint, delivery_method: str) -> str | None:
    """Registered in complaints.services.DELIVERY_CHECKS: reasonable adjustments drive how the response is sent."""
    adjustments = LetterAdjustments.objects.filter(complaint=complaint).first()
    if adjustments is None:
        return None
    if adjustments.delivery == LetterDelivery.POST and delivery_method != "post":
        return "This person asked for letters by post (a reasonable adjustment): post the response."
    if adjustments.delivery == LetterDelivery.EMAIL and delivery_method != "email" and complaint.complainant_email:
        return "This person asked for letters by e-mail (a reasonable adjustment): send the response by e-mail."
    return None
