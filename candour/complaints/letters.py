"""The response letter, drafted from the record: an accessible HTML letter and the same as a tagged PDF.

Every piece of free text is escaped by the template (Jinja2 autoescaping): what a complainant or a
colleague typed appears in the letter as text, never as markup.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from markupsafe import Markup

from candour.complaints.models import Complaint, Response
from candour.complaints.services import SEVEN_ELEMENTS, escalation_rights_text, today

# The headings of the seven elements in the letter, in the complainant's terms (and language).
LETTER_HEADINGS = {
    "understanding": _("Your complaint and what you would like to happen"),
    "what_was_investigated": _("What we looked into"),
    "how_it_was_investigated": _("How we looked into it"),
    "decision_reasoning": _("What we found and how we reached our decision"),
    "impact": _("The impact on you"),
    "what_will_happen": _("What will happen now, and what we will learn"),
    "next_steps": _("What you can do next"),
}
assert set(LETTER_HEADINGS) == {name for name, _message in SEVEN_ELEMENTS}


def letter_language(complaint: Complaint) -> str:
    """Letters are written in the complaint's language: Welsh when the complainant chose it, English otherwise."""
    return "cy" if complaint.language == "cy" else "en"


def paragraphs(text: str) -> list[str]:
    """Free text split into paragraphs on blank lines (each escaped by the template)."""
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


def letter_context(complaint: Complaint, response: Response, on: datetime.date | None = None) -> dict:
    """What the letter templates need; its words resolve in the language active when the letter is rendered."""
    next_steps = response.next_steps
    if not any(word in next_steps.lower() for word in ("ombudsman", "ombwdsmon")):
        next_steps = (next_steps + "\n\n" + escalation_rights_text(complaint)).strip()
    sections = []
    for name, _message in SEVEN_ELEMENTS:
        text = next_steps if name == "next_steps" else getattr(response, name)
        sections.append({"name": name, "heading": LETTER_HEADINGS[name], "paragraphs": paragraphs(text)})
    organisation = complaint.organisation
    context = {
        "complaint": complaint,
        "response": response,
        "organisation_name": organisation.display_name(complaint.language),
        "letter_date": on or response.issued_on or today(),
        "addressee": complaint.complainant_name or _("Sir or Madam"),
        "address_lines": [line for line in complaint.complainant_address.splitlines() if line.strip()],
        "sections": sections,
        # The "what will happen" section is placed after the points, remedies and apology.
        "before": [
            s
            for s in sections
            if s["name"]
            in ("understanding", "what_was_investigated", "how_it_was_investigated", "decision_reasoning", "impact")
        ],
        "after": [s for s in sections if s["name"] in ("what_will_happen", "next_steps")],
        "points": list(complaint.points.all()),
        "remedies": list(complaint.remedies.filter(Q(response__isnull=True) | Q(response_id=response.pk))),
        "apology": paragraphs(response.apology),
        "paragraphs": paragraphs,
        "extra_sections": [],
        "large_print": False,
    }
    for hook in LETTER_CONTEXT_HOOKS:
        hook(complaint=complaint, response=response, context=context)
    return context


# Other capabilities add to a letter: contributing organisations' parts (extra_sections), large print.
LETTER_CONTEXT_HOOKS: list = []


def render_letter_html(complaint: Complaint, response: Response, on: datetime.date | None = None) -> str:
    """The letter as a complete, accessible HTML document in the complaint's language."""
    with translation.override(letter_language(complaint)):
        return render_to_string("complaints/staff/letter.html", letter_context(complaint, response, on))


def render_letter_body(complaint: Complaint, response: Response, top: int = 2) -> Markup:
    """The letter without its document wrapper, for the staff preview (still in the complaint's language)."""
    with translation.override(letter_language(complaint)):
        context = {**letter_context(complaint, response), "top": top}
        return Markup(render_to_string("complaints/staff/letter_body.html", context))  # noqa: S704 (autoescaped)


def render_letter_pdf(letter_html: str) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1 where WeasyPrint supports it) with the document's language."""
    from weasyprint import HTML
    from weasyprint.pdf import VARIANTS

    options = {"pdf_tags": True}
    if "pdf/ua-1" in VARIANTS:
        options["pdf_variant"] = "pdf/ua-1"
    return HTML(string=letter_html, base_url=str(settings.BASE_DIR)).write_pdf(**options)
