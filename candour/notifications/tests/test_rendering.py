"""What the reader sees: the e-mails in English and Welsh, with anything typed by a person escaped in HTML."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import translation
from jinja2 import TemplateNotFound

from candour.notifications.services import render_email

TEMPLATES = Path(__file__).resolve().parent.parent / "jinja2" / "notifications" / "email"


def test_acknowledgement_in_english(acknowledgement_context):
    email = render_email("acknowledgement", acknowledgement_context, "en")

    assert email.subject == "We have received your complaint: reference CMP-2025-000123"
    assert email.text.startswith("Dear Siân Jones,\n")
    assert "given it the reference CMP-2025-000123" in email.text
    assert "What happens next" in email.text
    assert "send you our response by 7 March 2025." in email.text
    assert "will not affect how you are treated" in email.text
    assert '<html lang="en">' in email.html
    assert "<h1" in email.html and "We have received your complaint</h1>" in email.html
    assert "CMP-2025-000123" in email.html
    assert "7 March 2025" in email.html


def test_acknowledgement_in_welsh(acknowledgement_context):
    email = render_email("acknowledgement", acknowledgement_context, "cy")

    assert email.subject == "Rydym wedi cael eich cwyn: cyfeirnod CMP-2025-000123"
    assert email.text.startswith("Annwyl Siân Jones,\n")
    assert "Beth sy'n digwydd nesaf" in email.text
    assert "erbyn 7 Mawrth 2025." in email.text
    assert "What happens next" not in email.text
    assert '<html lang="cy">' in email.html
    assert "Rydym wedi cael eich cwyn</h1>" in email.html
    assert "Anfonwyd yr e-bost hwn yn awtomatig" in email.html


def test_acknowledgement_without_a_name_greets_politely(acknowledgement_context):
    del acknowledgement_context["name"]
    assert render_email("acknowledgement", acknowledgement_context, "en").text.startswith("Hello,\n")
    assert render_email("acknowledgement", acknowledgement_context, "cy").text.startswith("Helo,\n")


def test_generic_email_has_heading_paragraphs_and_action_link():
    context = {
        "subject": "Your complaint has been updated",
        "heading": "An update on your complaint",
        "paragraphs": ["We have asked the team for their records.", "We will write again by Friday."],
        "action_url": "https://candour.example/complaints/ABC?x=1&y=2",
        "action_text": "See your complaint",
        "sign_off": "The complaints team",
    }
    email = render_email("generic", context, "en")

    assert email.subject == "Your complaint has been updated"
    assert email.text == (
        "Hello,\n\n"
        "We have asked the team for their records.\n\n"
        "We will write again by Friday.\n\n"
        "See your complaint: https://candour.example/complaints/ABC?x=1&y=2\n\n"
        "The complaints team\n\n"
        "This e-mail was sent automatically. Please do not reply to it directly.\n"
    )
    assert "An update on your complaint</h1>" in email.html
    assert "<title>An update on your complaint</title>" in email.html
    assert '<a href="https://candour.example/complaints/ABC?x=1&amp;y=2"' in email.html
    assert ">See your complaint</a>" in email.html
    assert email.html.count('<p style="margin:0 0 20px;">We ') == 2


def test_generic_email_in_welsh_translates_its_own_words():
    email = render_email(
        "generic", {"subject": "Diweddariad", "paragraphs": ["Testun"], "action_url": "https://x"}, "cy"
    )
    assert email.text.startswith("Helo,\n")
    assert "Agor Candour: https://x" in email.text
    assert ">Agor Candour</a>" in email.html


def test_html_in_the_context_is_escaped_in_the_html_part_only():
    context = {
        "subject": "Tom & Jerry's <b>complaint</b>",
        "paragraphs": ['<script>alert("x")</script>', "Fish & chips"],
    }
    email = render_email("generic", context, "en")

    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in email.html
    assert "Fish &amp; chips" in email.html
    assert "Tom &amp; Jerry&#39;s &lt;b&gt;complaint&lt;/b&gt;</h1>" in email.html
    # The plain-text part and the subject show exactly what was written.
    assert email.subject == "Tom & Jerry's <b>complaint</b>"
    assert '<script>alert("x")</script>' in email.text
    assert "Fish & chips" in email.text


def test_html_in_an_acknowledgement_is_escaped(acknowledgement_context):
    acknowledgement_context["name"] = "<img src=x onerror=alert(1)>"
    acknowledgement_context["organisation_name"] = "Smith & Sons"
    email = render_email("acknowledgement", acknowledgement_context, "en")
    assert "<img" not in email.html
    assert "Dear &lt;img src=x onerror=alert(1)&gt;," in email.html
    assert "complaint to Smith &amp; Sons." in email.html
    assert "complaint to Smith & Sons." in email.text


def test_subject_is_always_one_line():
    email = render_email("generic", {"subject": "Line one\r\nBcc: someone@example.com", "paragraphs": []}, "en")
    assert email.subject == "Line one Bcc: someone@example.com"


def test_unknown_template_or_language_is_refused():
    with pytest.raises(TemplateNotFound):
        render_email("no-such-template", {}, "en")
    with pytest.raises(ValueError, match="language"):
        render_email("generic", {"subject": "x"}, "fr")


def test_every_string_in_the_email_templates_has_a_welsh_translation():
    msgids = set()
    for path in TEMPLATES.iterdir():
        msgids.update(re.findall(r'_\("((?:[^"\\]|\\.)*)"', path.read_text()))
    assert len(msgids) >= 10
    with translation.override("cy"):
        untranslated = sorted(msgid for msgid in msgids if translation.gettext(msgid) == msgid)
    assert untranslated == []


def test_due_dates_are_formatted_in_the_language_of_the_email(acknowledgement_context):
    acknowledgement_context["due_date"] = datetime.date(2025, 12, 1)
    assert "1 December 2025" in render_email("acknowledgement", acknowledgement_context, "en").text
    assert "1 Rhagfyr 2025" in render_email("acknowledgement", acknowledgement_context, "cy").text
