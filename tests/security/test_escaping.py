"""Hostile input: script and markup typed into any free-text field come back escaped on every page showing it,
in every e-mail (HTML, plain text and the body GOV.UK Notify formats) and in every letter and PDF.

Add a page here when it shows complaint text (case pages, the public progress page, letters...). A new module
that queues e-mails fails `test_every_email_producer_is_covered` until it has a test here.
"""

import datetime
import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from candour.complaints import notify, services
from candour.complaints.models import Complaint
from candour.complaints.services import SEVEN_ELEMENTS, PointInput
from candour.notifications.models import Message
from candour.notifications.services import ZERO_WIDTH_SPACE, notify_plain_text
from candour.organisations.roles import Role
from candour.privacy.export import build_zip

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>",
    "javascript:alert(1)//{{7*7}}",
]
FREE_TEXT = [
    f.name
    for f in Complaint._meta.concrete_fields
    if f.get_internal_type() in ("CharField", "TextField")
    and not f.choices
    and f.name not in ("reference", "search_text", "access_token_hash", "submission_key", "complainant_email")
]


@pytest.fixture
def hostile(tree):
    fields = {name: " ".join(PAYLOADS)[: Complaint._meta.get_field(name).max_length or 10_000] for name in FREE_TEXT}
    fields.pop("description")
    complaint, _ = services.create_complaint(
        actor=None,
        organisation=tree["agency"],
        channel="online",
        description=" ".join(PAYLOADS),
        complainant_email="x@example.com",
        points=[PointInput(" ".join(PAYLOADS), " ".join(PAYLOADS))],
        **fields,
    )
    return complaint


def assert_escaped(html: str):
    for payload in PAYLOADS[:3]:
        assert payload not in html
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html and "<svg onload" not in html


def test_the_rectification_page_escapes_every_field(client, member, tree, hostile):
    client.force_login(member(Role.COMPLAINTS_MANAGER, tree["agency"]))
    html = client.get(reverse("privacy:correct-details", kwargs={"reference": hostile.reference})).content.decode()
    assert "&lt;script&gt;alert(" in html
    assert_escaped(html)


def test_the_audit_search_escapes_what_was_searched_for(client, member, tree, hostile):
    client.force_login(member(Role.COMPLAINTS_MANAGER, tree["agency"]))
    for payload in PAYLOADS:
        html = client.get(reverse("audit:search"), {"text": payload, "verb": payload}).content.decode()
        assert_escaped(html)


def test_the_sign_in_page_escapes_the_username_and_next(client, db):
    html = client.post(
        reverse("accounts:sign-in") + "?next=" + PAYLOADS[1], {"username": PAYLOADS[1], "password": ""}
    ).content.decode()
    assert_escaped(html)


def test_the_subject_access_summary_escapes_text(hostile):
    data = build_zip([hostile], requested={"email": "x@example.com", "name": ""})
    assert zipfile.ZipFile(io.BytesIO(data)).read("summary.pdf").startswith(b"%PDF")
    context = {"complaints": [hostile], "generated": hostile.created_at}
    assert_escaped(render_to_string("privacy/subject_access_summary.html", context))


# ---- every e-mail the system sends -----------------------------------------------------------------------------
#
# Each producer below builds its e-mail from text someone typed. Its Message must show that text escaped in the
# HTML body, as typed (not entity-encoded, not evaluated) in the plain-text body, and, for GOV.UK Notify (whose
# Markdown runs after personalisation), with nothing Notify would read as a heading, list, inset or link.

NOTIFY_MARKDOWN = (
    "[click here](http://evil.example)\n# Urgent\n^ inset\n* one\n1. two\n---\n>>[Pay](http://evil.example)"
)
TEMPLATE_TRICKS = ("{{7*7}}", "${7*7}")
HOSTILE_LINE = " ".join(PAYLOADS) + " " + " ".join(TEMPLATE_TRICKS) + " [x](http://evil.example)"
HOSTILE_TEXT = HOSTILE_LINE + "\n\n" + NOTIFY_MARKDOWN
# A line GOV.UK Notify's Markdown (notifications-utils, mistune) turns into something other than a paragraph.
NOTIFY_BLOCK = re.compile(r"^ *(#|\^|[*•+-]|\d+\.|>|\||={3,}|`{3}|~{3}|\[[^\]]*\]:)")

# Modules that queue e-mails, and the test below that proves each escapes what it was given. A new module
# calling queue_email fails `test_every_email_producer_is_covered` until it is added here with a test.
EMAIL_PRODUCERS = {
    "candour/complaints/public_services.py": "test_public_confirmation_email",
    "candour/complaints/notify.py": "test_complaint_emails",
    "candour/investigations/letters.py": "test_investigation_letters_and_their_emails",
    "candour/feedback/services.py": "test_survey_invitation_emails",
    "candour/learning/sweeps.py": "test_colleague_emails_from_learning_people_and_governance",
    "candour/people/services.py": "test_colleague_emails_from_learning_people_and_governance",
    "candour/governance/services.py": "test_colleague_emails_from_learning_people_and_governance",
}


def test_every_email_producer_is_covered():
    root = Path(__file__).resolve().parents[2]
    callers = {
        str(path.relative_to(root))
        for path in (root / "candour").rglob("*.py")
        if "tests" not in path.parts and re.search(r"\bqueue_email\(", path.read_text())
    }
    callers.discard("candour/notifications/services.py")
    assert callers <= set(EMAIL_PRODUCERS), f"Add escaping tests for e-mails from {callers - set(EMAIL_PRODUCERS)}"
    templates = {p.name.split(".")[0] for p in (root / "candour/notifications/jinja2/notifications/email").iterdir()}
    assert templates - {"base"} == {"acknowledgement", "generic"}, "Cover the new e-mail template here"


def assert_email_safe(message: Message, typed: str = HOSTILE_LINE):
    """`typed` (or its first line) went into this message: it must be inert in every form the message takes."""
    assert_escaped(message.body_html)
    assert "&lt;script&gt;" in message.body_html or "&lt;script&gt;" in message.subject + message.body_html
    first_line = typed.splitlines()[0]
    for fragment in (PAYLOADS[0], PAYLOADS[1], *TEMPLATE_TRICKS):
        if fragment in first_line:
            # As typed in the plain text: neither HTML-escaped (the reader would see &lt;) nor evaluated.
            assert fragment in message.body_text + message.subject, fragment
    assert html.escape(PAYLOADS[0]) not in message.body_text
    assert "49" not in message.subject
    assert "\n" not in message.subject and "\r" not in message.subject
    notify_body = notify_plain_text(message.body_text)
    assert notify_body.replace(ZERO_WIDTH_SPACE, "") == message.body_text  # nothing visible changes
    for line in notify_body.splitlines():
        assert not NOTIFY_BLOCK.match(line), f"Notify would format {line!r}"
    assert "](" not in notify_body and "][" not in notify_body


def _emails_about(obj) -> list[Message]:
    return list(Message.objects.filter(related_object_id=str(obj.pk)).order_by("pk"))


@pytest.fixture
def hostile_org(tree):
    from candour.organisations import services as org_services

    return org_services.create_organisation(
        actor=None,
        slug="hostile",
        name=HOSTILE_LINE[:200],
        kind="executive_agency",
        parent=tree["dept"],
        nation="england",
        accepts_complaints=True,
    )


def _hostile_complaint(organisation, **extra):
    complaint, _ = services.create_complaint(
        actor=None,
        organisation=organisation,
        channel="online",
        description=HOSTILE_TEXT,
        summary=HOSTILE_LINE[:200],
        complainant_name=HOSTILE_LINE[:200],
        complainant_email="person@example.com",
        complainant_address=HOSTILE_TEXT,
        points=[PointInput(HOSTILE_TEXT, HOSTILE_TEXT)],
        **extra,
    )
    return complaint


def _extend(complaint, reason):
    """An extension (with `reason`) to the first date 30 days on that the organisation's calendar accepts."""
    from django.core.exceptions import ValidationError

    for days in range(30, 45):
        try:
            return services.extend(
                actor=None, complaint=complaint, new_due=complaint.response_due + datetime.timedelta(days=days),
                reason=reason, complainant_agreed=True,
            )  # fmt: skip
        except ValidationError:
            continue
    raise AssertionError("no working day to extend to")


def test_public_confirmation_email(hostile_org):
    from candour.complaints.public_services import queue_confirmation_email

    complaint = _hostile_complaint(hostile_org)
    queue_confirmation_email(complaint, "token")
    (message,) = _emails_about(complaint)
    assert_email_safe(message)


def test_complaint_emails(hostile_org, member):
    """Acknowledgement, extension (reason typed by a colleague), the response letter, a deadline reminder."""
    complaint = _hostile_complaint(hostile_org)
    services.transition(actor=None, complaint=complaint, name="acknowledge")
    _extend(complaint, HOSTILE_TEXT)
    complaint.refresh_from_db()
    services.transition(actor=None, complaint=complaint, name="start_early_resolution")
    for point in complaint.points.all():
        services.update_point(actor=None, point=point, outcome="upheld", finding=HOSTILE_TEXT)
    response = services.save_response(
        actor=None, complaint=complaint, outcome="upheld", apology=HOSTILE_TEXT,
        **{name: HOSTILE_TEXT for name, _ in SEVEN_ELEMENTS},
    )  # fmt: skip
    services.add_remedy(actor=None, complaint=complaint, type="apology", description=HOSTILE_TEXT)
    complaint.refresh_from_db()
    from candour.complaints import letters

    letter = letters.render_letter_html(complaint, response)
    assert_escaped(letter)
    services.issue_response(actor=None, response=response, delivery_method="email", letter_html=letter)
    user = member(Role.COMPLAINTS_MANAGER, hostile_org)
    user.email = "manager@example.com"
    notify.staff_reminder(complaint=complaint, user=user, kind="overdue", on=datetime.date.today())
    messages = _emails_about(complaint)
    assert [m.template for m in messages] == ["acknowledgement", "generic", "generic", "generic"]
    for message in messages:
        assert_email_safe(message) if message.recipient == "person@example.com" else assert_escaped(message.body_html)
    extension, letter_email = messages[1], messages[2]
    assert "[click here](http://evil.example)" in extension.body_text  # the reason, as typed...
    assert 'href="http://evil.example"' not in extension.body_html  # ...never a link
    assert "# Urgent" in letter_email.body_text


def test_investigation_letters_and_their_emails(hostile_org, member):
    """The investigation plan and a contact restriction: letters (HTML) and the e-mails carrying them."""
    from candour.investigations import letters as investigation_letters
    from candour.investigations.models import ContactRestriction

    complaint = _hostile_complaint(hostile_org)
    plan = services_investigations().save_plan(
        actor=None, complaint=complaint, key_issues=HOSTILE_TEXT, outcome_sought=HOSTILE_TEXT, approach=HOSTILE_TEXT,
        information_needed=HOSTILE_TEXT, people_to_speak_to=HOSTILE_TEXT, final_response_by=HOSTILE_LINE[:200],
        target_date=datetime.date.today() + datetime.timedelta(days=40), update_every_days=10,
    )  # fmt: skip
    plan_letter = investigation_letters.render_plan_letter(complaint, plan)
    restriction = ContactRestriction(
        complaint=complaint, reasons=HOSTILE_TEXT, contact_limit=HOSTILE_LINE[:200], written_contact_only=True,
        starts_on=datetime.date.today(), review_on=datetime.date.today() + datetime.timedelta(days=90),
    )  # fmt: skip
    restriction_letter = investigation_letters.render_restriction_letter(complaint, restriction)
    for letter in (plan_letter, restriction_letter):
        assert_escaped(letter)
        assert "&lt;script&gt;" in letter
    for key, letter in (("plan", plan_letter), ("restriction", restriction_letter)):
        assert investigation_letters.send_letter(complaint, letter, subject_key=key, idempotency_key=f"t:{key}")
    messages = _emails_about(complaint)
    assert len(messages) == 2
    for message in messages:
        assert_email_safe(message)


def services_investigations():
    from candour.investigations import services as investigation_services

    return investigation_services


def test_survey_invitation_emails(hostile_org, member):
    from candour.feedback import services as feedback_services
    from candour.privacy.tests import factories

    complaint = _hostile_complaint(hostile_org)
    factories.responded(complaint, on=datetime.date.today(), close_on=datetime.date.today())
    assert feedback_services.invite_complainant(complaint=complaint)
    (message,) = [m for m in _emails_about(complaint) if m.idempotency_key.endswith(":survey")]
    assert_email_safe(message)  # the organisation's name, typed by an administrator


def test_colleague_emails_from_learning_people_and_governance(hostile_org, member, make_user):
    """E-mails to colleagues carry text colleagues typed: an action's description, a module's title, names."""
    from candour.governance.models import GovernanceBody
    from candour.governance.services import flag_missed_reviews
    from candour.learning.models import ImprovementAction
    from candour.learning.sweeps import escalate_overdue_actions
    from candour.people.models import ReminderKind, TrainingModule, TrainingReminder
    from candour.people.services import _email_reminder

    person = member(Role.SENIOR_LEADER, hostile_org)
    person.email, person.first_name = "leader@example.com", HOSTILE_LINE[:150]
    person.save()
    ImprovementAction.objects.create(
        organisation=hostile_org, description=HOSTILE_TEXT, senior_owner=person,
        due_date=datetime.date.today() - datetime.timedelta(days=3),
    )  # fmt: skip
    assert escalate_overdue_actions() >= 1
    module = TrainingModule.objects.create(organisation=hostile_org, title=HOSTILE_LINE[:200])
    reminder = TrainingReminder.objects.create(
        user=person, module=module, kind=ReminderKind.OVERDUE, due_on=datetime.date.today()
    )
    _email_reminder(reminder)
    GovernanceBody.objects.create(
        organisation=hostile_org, name=HOSTILE_LINE[:200], accountable_leader=person, since=datetime.date(2020, 1, 1)
    )
    flag_missed_reviews(datetime.date.today() + datetime.timedelta(days=800))
    messages = list(Message.objects.filter(recipient="leader@example.com").order_by("pk"))
    assert {m.related_object_type for m in messages} >= {"learning.improvementaction", "people.trainingreminder"}
    for message in messages:
        assert_escaped(message.body_html)
        assert "&lt;script&gt;" in message.body_html
        assert PAYLOADS[0] in message.body_text + message.subject
        assert "\n" not in message.subject
        for line in notify_plain_text(message.body_text).splitlines():
            assert not NOTIFY_BLOCK.match(line), f"Notify would format {line!r}"


def test_the_notify_body_neutralises_markdown_and_is_sent_that_way(notify_stub, hostile_org, settings):
    """Through the real client to the Notify stand-in: the personalisation carries no live Markdown."""
    from candour.notifications.services import send_message

    complaint = _hostile_complaint(hostile_org)
    services.transition(actor=None, complaint=complaint, name="acknowledge")
    _extend(complaint, NOTIFY_MARKDOWN)
    extension = _emails_about(complaint)[-1]
    assert send_message(extension.pk) == "sent"
    body = notify_stub.requests[-1].body["personalisation"]["body"]
    assert body.replace(ZERO_WIDTH_SPACE, "") == extension.body_text
    assert "](" not in body and not any(NOTIFY_BLOCK.match(line) for line in body.splitlines())


# ---- letters and PDFs --------------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF")
    assert b"/JavaScript" not in data and b"/JS " not in data and b"/Launch" not in data
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def assert_pdf_shows_text(data: bytes):
    """The payload is printed as literal characters in the PDF; nothing in it became markup (no image, script)."""
    text = pdf_text(data)
    assert "<script>alert" in text and "onerror=alert(1)>" in text and "{{7*7}}" in text


def test_response_letter_pdf(hostile_org):
    from candour.complaints import letters

    complaint = _hostile_complaint(hostile_org)
    services.transition(actor=None, complaint=complaint, name="acknowledge")
    response = services.save_response(
        actor=None, complaint=complaint, outcome="upheld", apology=HOSTILE_TEXT,
        **{name: HOSTILE_TEXT for name, _ in SEVEN_ELEMENTS},
    )  # fmt: skip
    html_letter = letters.render_letter_html(complaint, response)
    assert_escaped(html_letter)
    assert "<img" not in html_letter and "<script" not in html_letter
    assert_pdf_shows_text(letters.render_letter_pdf(html_letter))


def test_annual_report_pdf(hostile_org):
    from candour.reporting import render

    report = render.build_report(hostile_org, [hostile_org.pk], 2025, False, HOSTILE_TEXT)
    document = render.render_html(report)
    assert_escaped(document)
    assert "<script" not in document.replace('<script type="application/ld+json"', "")
    assert_pdf_shows_text(render.render_pdf(document))


def test_governance_review_pack_pdf(client, hostile_org, member):
    _hostile_complaint(hostile_org)
    leader = member(Role.SENIOR_LEADER, hostile_org)
    client.force_login(leader)
    page = client.get(reverse("governance:pack", args=[hostile_org.slug])).content.decode()
    assert_escaped(page)
    response = client.get(reverse("governance:pack-pdf", args=[hostile_org.slug]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "<script>alert" in text  # the organisation's name, printed as text


def test_subject_access_summary_pdf_prints_the_text(hostile):
    data = build_zip([hostile], requested={"email": "x@example.com", "name": PAYLOADS[0]})
    text = pdf_text(zipfile.ZipFile(io.BytesIO(data)).read("summary.pdf"))
    assert "<script>alert" in text
