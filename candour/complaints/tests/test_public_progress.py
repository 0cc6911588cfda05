"""The complainant's progress page, opened through the unguessable, expiring link."""

import datetime
import html

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from candour.audit.models import AuditEvent
from candour.complaints import services
from candour.complaints.models import Channel
from candour.complaints.states import Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def complaint(tree):
    complaint, _ = services.create_complaint(
        actor=None,
        organisation=tree["agency"],
        channel=Channel.ONLINE,
        description="My licence was late.",
        complainant_name="Alex Example",
        complainant_email="alex@example.com",
    )
    return complaint


@pytest.fixture
def token(complaint):
    return services.issue_access_link(complaint)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_link_shows_reference_stage_status_and_due_date_in_plain_words(client, complaint, token):
    response = client.get(f"/complaint/progress/{token}/")
    assert response.status_code == 200
    page = text(response)
    assert complaint.reference in page
    assert "Stage 1: early resolution" in page
    assert "We have received your complaint" in page
    assert "27 January 2026" in page  # 5 working days after Tuesday 20 January
    assert AuditEvent.objects.filter(verb="viewed", object_id=str(complaint.pk)).exists()


def test_the_progress_page_in_welsh(client, complaint, token):
    page = text(client.get(f"/cy/complaint/progress/{token}/"))
    assert "Cam 1: datrys yn gynnar" in page and "Rydym wedi cael eich cwyn" in page
    assert "27 Ionawr 2026" in page


def test_a_wrong_token_is_not_found(client, complaint, token):
    assert client.get("/complaint/progress/not-the-token/").status_code == 404
    assert client.get(f"/complaint/progress/{token[:-1]}x/withdraw/").status_code == 404


def test_an_expired_link_is_refused_with_how_to_get_a_new_one(client, complaint, token, frozen_today):
    frozen_today.shift(datetime.timedelta(days=91))
    response = client.get(f"/complaint/progress/{token}/")
    assert response.status_code == 410
    page = text(response)
    assert "This link has expired" in page
    assert "To get a new link, contact Agency and give your complaint reference number" in page
    assert complaint.reference not in page
    assert client.post(f"/complaint/progress/{token}/withdraw/", {"reason": "x"}).status_code == 410
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert "Mae'r ddolen hon wedi dod i ben" in text(client.get(f"/cy/complaint/progress/{token}/"))


def test_the_complainant_can_withdraw_after_confirming(client, complaint, token):
    confirm = client.get(f"/complaint/progress/{token}/withdraw/")
    assert "Are you sure you want to withdraw your complaint?" in text(confirm)
    response = client.post(f"/complaint/progress/{token}/withdraw/", {"reason": "Sorted out now"}, follow=True)
    page = text(response)
    assert "Your complaint has been withdrawn." in page
    assert "You withdrew your complaint" in page
    assert "Withdraw your complaint" not in page
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN
    assert "Sorted out now" in complaint.closure_reason
    transition = complaint.transitions.last()
    assert transition.transition == "withdraw" and transition.actor_label == "public"


def test_withdrawing_in_welsh(client, complaint, token):
    response = client.post(f"/cy/complaint/progress/{token}/withdraw/", {"reason": ""}, follow=True)
    assert "Mae eich cwyn wedi'i thynnu'n ôl." in text(response)
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN


def test_the_complainant_can_add_information_and_a_file(client, complaint, token):
    pdf = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(
        f"/complaint/progress/{token}/add-information/",
        {"information": "I also phoned on 5 January.", "file": pdf},
        follow=True,
    )
    assert "We have added your information to your complaint." in text(response)
    names = sorted(a.original_name for a in complaint.attachments.all())
    assert names[-1] == "receipt.pdf" and names[0].startswith("Information from the complainant")
    note = complaint.attachments.get(content_type="text/plain")
    from candour.complaints import uploads

    with uploads.open_attachment(note) as handle:
        assert handle.read().decode() == "I also phoned on 5 January."
    assert AuditEvent.objects.filter(verb="complainant_added_information", object_id=str(complaint.pk)).exists()


def test_adding_nothing_or_a_refused_file_explains_why_in_both_languages(client, complaint, token):
    page = text(client.post(f"/complaint/progress/{token}/add-information/", {"information": ""}))
    assert page.count("Enter the information you want to add, or choose a file") >= 2
    exe = SimpleUploadedFile("photo.png", b"MZ" + b"\x00" * 100)
    page = text(
        client.post(f"/cy/complaint/progress/{token}/add-information/", {"information": "Keep me", "file": exe})
    )
    assert "Rhaid i photo.png fod yn ffeil PDF" in page
    assert "Keep me</textarea>" in page
    assert not complaint.attachments.exists()


def test_a_closed_complaint_cannot_be_changed_through_the_link(client, complaint, token):
    services.transition(actor=None, complaint=complaint, name="withdraw", reason="by phone")
    assert client.get(f"/complaint/progress/{token}/withdraw/").status_code == 302
    response = client.post(f"/complaint/progress/{token}/add-information/", {"information": "more"})
    assert response.status_code == 302
    assert not complaint.attachments.exists()
