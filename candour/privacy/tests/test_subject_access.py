"""Subject access: a ZIP of everything held about a person, from the command line or a staff page."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from candour.audit.models import AuditEvent
from candour.organisations.roles import Role
from candour.privacy.tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def ada(tree):
    first = make.responded(
        make.complaint(tree["agency"], received_on=datetime.date(2024, 5, 1)),
        on=datetime.date(2024, 5, 10), remedy_amount="40.00",
    )  # fmt: skip
    make.attach(first)
    by_name = make.complaint(
        tree["sibling"],
        received_on=datetime.date(2024, 6, 3),
        person={"complainant_name": "Charles Babbage", "complainant_email": "cb@example.com",
                "person_affected_name": "Ada Lovelace", "on_behalf_of_someone": True},
    )  # fmt: skip
    someone_else = make.complaint(
        tree["agency"], received_on=datetime.date(2024, 6, 4),
        person={"complainant_name": "Grace Hopper", "complainant_email": "grace@example.com"},
    )  # fmt: skip
    return {"first": first, "by_name": by_name, "other": someone_else}


def read_zip(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, json.loads(archive.read("subject-access.json"))


def test_the_command_writes_every_record_a_pdf_and_the_files(ada, tmp_path):
    out = tmp_path / "ada.zip"
    call_command("subject_access_export", "--email", "ADA@example.com", "--name", "Ada Lovelace", "--out", str(out))
    archive, data = read_zip(out.read_bytes())
    references = [c["complaint"]["reference"] for c in data["complaints"]]
    assert references == [ada["first"].reference, ada["by_name"].reference]
    first = data["complaints"][0]
    assert first["complaint"]["complainant_phone"] == "07700 900123"
    assert "access_token_hash" not in first["complaint"]
    assert len(first["points"]) == 2 and first["responses"][0]["status"] == "issued"
    assert {r["type"] for r in first["remedies"]} == {"financial", "apology"}
    assert [t["transition"] for t in first["transitions"]][:2] == ["receive", "acknowledge"]
    assert first["attachments"][0]["original_name"] == "ada-letter.pdf"
    assert "created" in {e["verb"] for e in first["audit_events"]}
    assert archive.read(f"files/{ada['first'].reference}/1-ada-letter.pdf") == b"scan of Ada's letter"
    assert archive.read("summary.pdf").startswith(b"%PDF")
    assert (out.stat().st_mode & 0o077) == 0
    # Recorded against each complaint, without the person's details in the trail.
    events = AuditEvent.objects.filter(verb="subject_access_export")
    assert {e.object_id for e in events if e.object_type == "complaints.complaint"} == {
        str(ada["first"].pk),
        str(ada["by_name"].pk),
    }
    assert not any("ada" in (e.summary + json.dumps(e.changes)).lower() for e in events)


def test_a_complaints_manager_downloads_only_what_their_organisation_holds(client, member, tree, ada):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    client.force_login(manager)
    page = client.get(reverse("privacy:subject-access"))
    assert page.status_code == 200 and "Subject access request" in page.content.decode()
    response = client.post(reverse("privacy:subject-access"), {"email": "ada@example.com", "name": "Ada Lovelace"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    _archive, data = read_zip(response.content)
    assert [c["complaint"]["reference"] for c in data["complaints"]] == [ada["first"].reference]
    assert AuditEvent.objects.filter(verb="subject_access_export", actor=manager).count() == 2


def test_the_form_needs_a_valid_email_and_keeps_what_was_typed(client, member, tree):
    client.force_login(member(Role.COMPLAINTS_MANAGER, tree["agency"]))
    response = client.post(reverse("privacy:subject-access"), {"email": "not-an-email", "name": "Ada"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Enter an email address like name@example.com" in html
    assert 'value="not-an-email"' in html and 'value="Ada"' in html


def test_a_handler_cannot_export(client, handler):
    client.force_login(handler)
    assert client.get(reverse("privacy:subject-access")).status_code == 403
