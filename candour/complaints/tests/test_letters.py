"""The response letter: drafted from the record, accessible HTML and a tagged PDF, free text never markup."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from candour.complaints import letters, services
from candour.complaints.models import Channel
from candour.complaints.services import PointInput
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def drafted(tree, handler):
    complaint, _ = services.create_complaint(
        actor=handler,
        organisation=tree["agency"],
        channel=Channel.LETTER,
        description="Delay",
        received_on=datetime.date(2026, 1, 19),
        complainant_name="Alex <script>alert('x')</script> Example",
        complainant_address="1 High Street\nCardiff",
        preferred_contact="post",
        points=[PointInput("The licence took 3 months", "An apology")],
    )
    services.update_point(actor=handler, point=complaint.points.get(), outcome="upheld", finding="We were slow")
    services.add_remedy(actor=handler, complaint=complaint, type="financial", description="For distress", amount=150)
    response = services.save_response(
        actor=handler,
        complaint=complaint,
        understanding="You said <script>alert('understood')</script> and wanted an apology.",
        what_was_investigated="The licence application.",
        how_it_was_investigated="We read the file.\n\nWe spoke to the team.",
        decision_reasoning="Our standard is 10 days.",
        impact="You could not drive to work.",
        what_will_happen="We will check every delayed application.",
        outcome="upheld",
        apology="We are sorry.",
    )
    return complaint, response


def test_the_html_letter_has_the_seven_elements_as_headed_sections(drafted):
    complaint, response = drafted
    html = letters.render_letter_html(complaint, response)
    assert '<html lang="en">' in html and "<title>" in html
    for heading in letters.LETTER_HEADINGS.values():
        assert f"<h2>{heading}</h2>" in html
    assert complaint.reference in html and "Agency" in html and "20 January 2026" in html
    assert "Point 1: The licence took 3 months" in html and "<strong>Upheld</strong>" in html
    assert "Financial redress: For distress (£150.00)" in html and "We are sorry." in html
    assert "<p>We read the file.</p>" in html and "<p>We spoke to the team.</p>" in html
    assert "Parliamentary and Health Service Ombudsman" in html and "1 High Street<br>Cardiff" in html


def test_free_text_is_escaped_in_the_letter(drafted):
    complaint, response = drafted
    html = letters.render_letter_html(complaint, response)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;understood&#39;)&lt;/script&gt;" in html


def test_the_pdf_is_tagged_and_carries_the_escalation_rights_and_text_not_markup(drafted):
    complaint, response = drafted
    pdf = letters.render_letter_pdf(letters.render_letter_html(complaint, response))
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Parliamentary and Health Service" in text and "Ombudsman" in text
    assert "<script>alert('understood')</script>" in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root.get("/Lang") == "en"
    assert root["/MarkInfo"]["/Marked"]


def test_the_escalation_rights_are_added_when_the_draft_left_them_out(drafted, handler):
    complaint, _response = drafted
    response = services.save_response(actor=handler, complaint=complaint, next_steps="Call us.")
    html = letters.render_letter_html(complaint, response)
    assert "Call us." in html and "Parliamentary and Health Service Ombudsman" in html


def test_staff_can_download_the_letter_as_pdf_and_html(client, drafted, handler, tree, member):
    complaint, _response = drafted
    client.force_login(handler)
    url = reverse("staff_complaints:letter", args=[complaint.reference, "pdf"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = client.get(reverse("staff_complaints:letter", args=[complaint.reference, "html"]))
    assert b"What we looked into" in html.content
    client.force_login(member(Role.COMPLAINT_HANDLER, tree["sibling"]))
    assert client.get(url).status_code == 403


def test_an_issued_letter_is_frozen(client, drafted, handler):
    complaint, response = drafted
    services.transition(actor=handler, complaint=complaint, name="start_early_resolution")
    client.force_login(handler)
    client.post(reverse("staff_complaints:issue", args=[complaint.reference]), {"delivery_method": "post"})
    response.refresh_from_db()
    assert response.status == "issued" and response.delivery_method == "post"
    services.update_point(actor=handler, point=complaint.points.get(), summary="Changed afterwards")
    url = reverse("staff_complaints:letter", args=[complaint.reference, "html"]) + f"?response={response.pk}"
    letter = client.get(url).content.decode()
    assert "The licence took 3 months" in letter and "Changed afterwards" not in letter
