"""Every e-mail and letter a complainant is sent, written to a Welsh complaint in Welsh: no English paragraph leaks
through. The same story is played for a complaint in English and one in Welsh, and each message is compared
paragraph by paragraph; only what a person typed, names and the organisation may be the same in both.

Also: "e-bost" is spelled the one way across every Welsh catalogue, and each compiled .mo matches its .po."""

import ast
import datetime
import gettext
import html
import re
from pathlib import Path

import pytest
import time_machine

from candour.complaints import letters, notify
from candour.complaints import services as complaints
from candour.complaints.models import Channel, Complaint, Response
from candour.complaints.public_services import queue_confirmation_email
from candour.complaints.services import PointInput
from candour.feedback import services as feedback
from candour.investigations import services as investigations
from candour.notifications.models import Message
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 1, 20)
CANDOUR = Path(__file__).resolve().parents[2]

# What people typed: it stays in the language they typed it in.
TYPED = {
    "understanding": "You said your licence was late.",
    "what_was_investigated": "The renewal.",
    "how_it_was_investigated": "Records and an interview.",
    "decision_reasoning": "Charter section 3.1 says 10 days; it took 90.",
    "impact": "You could not drive.",
    "what_will_happen": "We will chase forms within 2 days.",
    "apology": "We are sorry; we got this wrong.",
}
PLAN = {
    "key_issues": "Delay",
    "outcome_sought": "Apology",
    "confirmed_with_complainant_on": TODAY,
    "approach": "Read records",
    "final_response_by": "Director",
    "target_date": TODAY + datetime.timedelta(days=28),
    "update_every_days": 7,
}
SAME_IN_BOTH = {
    *TYPED.values(), "Delay", "Apology", "Read records", "Abusive calls", "Still abusive",
    "Alex Example", "Alex Example\n1 High St\nCardiff", "Agency", "Candour", "REFERENCE",
}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def people(tree, member):
    agency = tree["agency"]
    return {
        "handler": member(Role.COMPLAINT_HANDLER, agency, "handler"),
        "investigator": member(Role.INVESTIGATOR, agency, "investigator"),
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "leader": member(Role.SENIOR_LEADER, agency, "leader"),
    }


def new_complaint(tree, people, language):
    complaint, _ = complaints.create_complaint(
        actor=people["handler"],
        organisation=tree["agency"],
        channel=Channel.EMAIL,
        description="My licence was late.",
        received_on=TODAY - datetime.timedelta(days=1),
        complainant_name="Alex Example",
        complainant_email="alex@example.com",
        complainant_address="1 High St\nCardiff",
        points=[PointInput("The licence took 3 months", "An apology")],
        language=language,
    )
    return complaint


def email_response(complaint, people):
    """Draft the response and e-mail its letter, as issuing it by e-mail does (the issuing rules are tested in
    complaints; here only what the complainant reads matters)."""
    complaints.update_point(
        actor=people["handler"], point=complaint.points.get(), outcome="partly_upheld", finding="We were slow"
    )
    response = complaints.save_response(actor=people["handler"], complaint=complaint, outcome="partly_upheld", **TYPED)
    response.delivery_method = "email"
    response.letter_html = letters.render_letter_html(complaint, response)
    assert notify.response(complaint=complaint, response=response)


def play(tree, people, language) -> list[Message]:
    """Everything a complainant can be sent, in order: confirmation, acknowledgement, extensions, responses at
    both stages, the investigation plan, a contact restriction and its renewal, and the survey."""
    first = len(Message.objects.all())
    # Stage 1, then closed and surveyed.
    one = new_complaint(tree, people, language)
    queue_confirmation_email(one, "a-progress-token")
    complaints.assign(actor=people["manager"], complaint=one, user=people["handler"], stage=1)
    complaints.transition(actor=people["handler"], complaint=one, name="acknowledge")
    assert notify.acknowledgement(complaint=one)
    complaints.extend(
        actor=people["handler"], complaint=one, new_due=datetime.date(2026, 2, 6), reason="Records",
        complainant_agreed=True,
    )  # fmt: skip
    email_response(one, people)
    Complaint.objects.filter(pk=one.pk).update(status="closed", closed_on=TODAY)
    assert feedback.invite_complainant(complaint=Complaint.objects.get(pk=one.pk))
    # Stage 2: extended, investigated with a plan, a contact restriction, the final response.
    two = new_complaint(tree, people, language)
    complaints.assign(actor=people["manager"], complaint=two, user=people["handler"], stage=1)
    complaints.transition(actor=people["handler"], complaint=two, name="acknowledge")
    complaints.transition(
        actor=people["manager"], complaint=two, name="escalate", reason="x", investigator=people["investigator"],
        declaration=complaints.Declaration(has_conflict=False),
    )  # fmt: skip
    two.refresh_from_db()
    complaints.extend(
        actor=people["investigator"], complaint=two, new_due=two.stage2_due + datetime.timedelta(days=7),
        reason="Records", complainant_agreed=True,
    )  # fmt: skip
    investigations.save_plan(actor=people["investigator"], complaint=two, **PLAN)
    investigations.share_plan(actor=people["investigator"], complaint=two)
    investigations.record_incident(
        actor=people["handler"], complaint=two, type="abusive", occurred_on=TODAY, description="Shouted",
        impact_on_colleagues="Upset",
    )  # fmt: skip
    restriction = investigations.impose_restriction(
        actor=people["manager"], complaint=two, approved_by=people["leader"], reasons="Abusive calls",
        review_on=TODAY + datetime.timedelta(days=90), written_contact_only=True, contact_limit="One call a week",
    )  # fmt: skip
    investigations.renew_restriction(
        actor=people["manager"], restriction=restriction, approved_by=people["leader"], reasons="Still abusive",
        review_on=TODAY + datetime.timedelta(days=120),
    )  # fmt: skip
    two.refresh_from_db()
    email_response(two, people)
    assert Response.objects.filter(complaint=two, stage=2).exists()
    sent = list(Message.objects.filter(recipient="alex@example.com").order_by("id"))[first:]
    assert all(message.language == language for message in sent)
    return sent


def paragraphs(message: Message, references: list[str]) -> list[str]:
    """What the reader sees, a paragraph at a time, from the plain text and the HTML, references made alike."""
    found = [message.subject] + [block.strip() for block in re.split(r"\n\s*\n", message.body_text)]
    for tag in re.findall(r"<(?:h1|h2|p|li)\b[^>]*>(.*?)</(?:h1|h2|p|li)>", message.body_html, re.S):
        found.append(html.unescape(re.sub(r"<[^>]+>", "", tag)).strip())
    text = []
    for paragraph in found:
        for reference in references:
            paragraph = paragraph.replace(reference, "REFERENCE")
        paragraph = re.sub(r"https?://\S+", "LINK", paragraph)
        if paragraph.strip():
            text.append(paragraph)
    return text


def test_every_complainant_email_to_a_welsh_complaint_is_in_welsh(tree, people):
    english = play(tree, people, "en")
    welsh = play(tree, people, "cy")
    references = list(Complaint.objects.values_list("reference", flat=True))
    kinds = [re.sub(r"\d+", "N", m.idempotency_key) for m in english]
    assert kinds == [re.sub(r"\d+", "N", m.idempotency_key) for m in welsh]
    assert kinds == [
        "complaint-confirmation-N", "complaint:N:acknowledgement", "complaint:N:extension:N", "complaint:N:response:N",
        "complaint:N:survey", "complaint:N:acknowledgement", "complaint:N:extension:N", "investigation:plan:N:N-N-N",
        "investigation:restriction:N:N-N-N", "investigation:restriction:N:N-N-N", "complaint:N:response:N",
    ]  # fmt: skip
    leaks = {}
    for en, cy in zip(english, welsh, strict=True):
        same = set(paragraphs(en, references)) & set(paragraphs(cy, references))
        if same - SAME_IN_BOTH:
            leaks[en.idempotency_key] = sorted(same - SAME_IN_BOTH)
    assert leaks == {}
    # The Welsh is really there, not merely different: the headings of the letter and the Ombudsman.
    response = next(m for m in welsh if ":response:" in m.idempotency_key)
    assert "Beth y gallwch ei wneud nesaf" in response.body_text and "Ombwdsmon" in response.body_text
    assert "Cadarnhawyd yn rhannol" in response.body_text and "Tîm cwynion Agency" in response.body_text


def test_the_staff_preview_shows_a_welsh_complaints_letter_in_welsh(client, tree, people):
    complaint = new_complaint(tree, people, "cy")
    complaints.save_response(actor=people["handler"], complaint=complaint, **TYPED)
    client.force_login(people["handler"])
    page = client.get(f"/staff/complaints/{complaint.reference}/response/preview/").content.decode()
    assert 'lang="cy"' in page and "<h2>Ein hymateb i'ch cwyn</h2>" in page and "Yn gywir," in page
    assert "Preview the response letter" in page  # the staff page around it stays English


# ---- the catalogues ----------------------------------------------------------------------------------------

WELSH_CATALOGUES = sorted(CANDOUR.glob("**/locale/cy/LC_MESSAGES/django.po"))


def read_po(path: Path) -> dict[str, str]:
    catalogue, key, field = {}, None, None
    entry = {"msgid": "", "msgstr": ""}
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgid ", "msgstr ")):
            field, _, literal = line.partition(" ")
            if field == "msgid" and key is not None:
                catalogue[entry["msgid"]] = entry["msgstr"]
                entry = {"msgid": "", "msgstr": ""}
            entry[field] = ast.literal_eval(literal)
            key = entry["msgid"]
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
    if key is not None:
        catalogue[entry["msgid"]] = entry["msgstr"]
    catalogue.pop("", None)
    return catalogue


def test_the_welsh_catalogues_are_found():
    assert len(WELSH_CATALOGUES) >= 8


@pytest.mark.parametrize("path", WELSH_CATALOGUES, ids=lambda p: str(p.relative_to(CANDOUR)))
def test_e_bost_is_spelled_one_way(path):
    """Welsh Language Commissioner and GOV.UK Welsh style: "e-bost", "E-bost" only where a sentence starts."""
    wrong = {}
    for msgid, msgstr in read_po(path).items():
        for match in re.finditer(r"\b(e)[ -]?(bost|byst)\b", msgstr, re.I):
            starts_sentence = msgstr[: match.start()].strip() == "" or re.search(r"[.!?:]\s*$", msgstr[: match.start()])
            expected = ("E" if starts_sentence else "e") + "-" + match.group(2).lower()
            if match.group(0) != expected:
                wrong[msgid] = msgstr
    assert wrong == {}


@pytest.mark.parametrize("path", WELSH_CATALOGUES, ids=lambda p: str(p.relative_to(CANDOUR)))
def test_each_compiled_catalogue_matches_its_source(path):
    """A .po changed without running msgfmt would leave the site showing the old (or no) Welsh."""
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    compiled.pop("", None)
    assert compiled == {msgid: msgstr for msgid, msgstr in read_po(path).items() if msgstr}
