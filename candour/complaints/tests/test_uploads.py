"""Attachments: accepted by what they contain, not by their name; stored outside the web root, randomly named."""

import datetime
import hashlib
import html
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candour.audit.models import AuditEvent
from candour.complaints import services, uploads
from candour.complaints.models import Channel
from candour.complaints.uploads import UploadRefused

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 40
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def docx_bytes(extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def complaint(tree):
    complaint, _ = services.create_complaint(
        actor=None, organisation=tree["agency"], channel=Channel.ONLINE, description="x", complainant_name="A"
    )
    return complaint


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("letter.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("scan.gif", GIF, "image/gif"),
        ("letter.docx", docx_bytes(), uploads.DOCX),
        ("letter.odt", odt_bytes(), uploads.ODT),
        ("notes.txt", "Dyma fy nodiadau – ŵ ŷ".encode(), "text/plain"),
        # The name does not decide: a PNG called .pdf is stored as the PNG it is.
        ("misnamed.pdf", PNG, "image/png"),
    ],
)
def test_each_allowed_type_is_accepted_by_its_content(complaint, media, name, data, content_type):
    attachment = uploads.store_attachment(
        actor=None, complaint=complaint, uploaded_file=upload(name, data), from_complainant=True
    )
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.from_complainant
    stored = Path(media) / attachment.stored_name
    assert stored.read_bytes() == data
    assert name not in attachment.stored_name, "stored under a random name"
    with uploads.open_attachment(attachment) as handle:
        assert handle.read() == data
    assert AuditEvent.objects.filter(verb="attached", object_id=str(complaint.pk)).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("invoice.pdf", EXE, "invoice.pdf must be a PDF, JPG, PNG, GIF, Word (.docx)"),
        ("binary.txt", b"hello\x00world", "binary.txt must be a PDF"),
        ("latin1.txt", "café".encode("latin-1"), "latin1.txt must be a PDF"),
        ("archive.docx", b"PK\x03\x04not really a zip", "archive.docx must be a PDF"),
        ("empty.pdf", b"", "empty.pdf is empty."),
    ],
)
def test_other_content_is_refused_with_a_message_naming_the_file(complaint, name, data, message):
    with pytest.raises(UploadRefused) as refused:
        uploads.store_attachment(
            actor=None, complaint=complaint, uploaded_file=upload(name, data), from_complainant=True
        )
    assert message in refused.value.messages[0]
    assert not complaint.attachments.exists()


def test_a_zip_that_is_not_a_word_document_is_refused(complaint):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UploadRefused, match="must be a PDF"):
        uploads.check_upload(upload("sneaky.docx", buffer.getvalue()))


def test_oversized_files_are_refused(complaint):
    big = upload("big.pdf", PDF + b"0" * uploads.MAX_FILE_BYTES)
    with pytest.raises(UploadRefused, match="big.pdf must be smaller than 10 MB"):
        uploads.store_attachment(actor=None, complaint=complaint, uploaded_file=big, from_complainant=True)


def test_a_zip_bomb_docx_is_refused(complaint):
    bomb = docx_bytes({"word/media/padding.bin": b"\x00" * (150 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(UploadRefused, match="bomb.docx cannot be opened safely"):
        uploads.store_attachment(
            actor=None, complaint=complaint, uploaded_file=upload("bomb.docx", bomb), from_complainant=True
        )


def test_a_highly_compressed_member_is_refused_even_when_small(complaint):
    sneaky = docx_bytes({"word/padding.bin": b"\x00" * (5 * 1024 * 1024)})
    with pytest.raises(UploadRefused, match="cannot be opened safely"):
        uploads.check_upload(upload("ratio.docx", sneaky))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("report\x00.pdf", "report.pdf"),
        ("line\nbreak\r.pdf", "linebreak.pdf"),
        ("invoice\u202egpj.pdf", "invoicegpj.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("", "attachment"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_names_are_sanitised(given, expected):
    assert uploads.sanitise_name(given) == expected


def test_a_path_trick_name_is_stored_as_a_label_only(complaint, media):
    attachment = uploads.store_attachment(
        actor=None, complaint=complaint, uploaded_file=upload("../../etc/passwd", b"text"), from_complainant=True
    )
    assert attachment.original_name == "passwd"
    assert (Path(media) / attachment.stored_name).resolve().is_relative_to(Path(media).resolve())


def test_the_eleventh_file_is_refused(complaint):
    for n in range(10):
        uploads.store_attachment(
            actor=None, complaint=complaint, uploaded_file=upload(f"f{n}.txt", b"note"), from_complainant=True
        )
    with pytest.raises(UploadRefused, match="f10.txt was not added: a complaint can have up to 10 files"):
        uploads.store_attachment(
            actor=None, complaint=complaint, uploaded_file=upload("f10.txt", b"note"), from_complainant=True
        )
    assert complaint.attachments.count() == 10


# ---- in the public journey --------------------------------------------------------------------------------


def test_files_added_in_the_journey_arrive_on_the_complaint(client, tree, media):
    from candour.complaints.models import Complaint

    client.post("/complain/agency/anonymous/", {"anonymous": "yes"})
    client.post("/complain/agency/what-happened/", {"description": "x"})
    client.post("/complain/agency/points/", {"action": "continue"})
    client.post("/complain/agency/when/", {"day": "1", "month": "12", "year": str(datetime.date.today().year - 1)})
    client.post("/complain/agency/why-now/", {"late_reason": "later"})
    client.post("/complain/agency/outcome/", {"outcome_sought": "x"})
    client.post("/complain/agency/adjustments/", {"adjustments": "no"})
    client.post("/complain/agency/files/", {"action": "add", "file": upload("letter.pdf", PDF)})
    refused = client.post("/complain/agency/files/", {"action": "add", "file": upload("virus.pdf", EXE)})
    assert "virus.pdf must be a PDF" in html.unescape(refused.content.decode())
    check = client.post("/complain/agency/files/", {"action": "continue"}, follow=True)
    text = html.unescape(check.content.decode())
    assert "letter.pdf" in text and "virus.pdf" not in text
    key = text.split('name="submission_key" value="')[1].split('"')[0]
    client.post("/complain/agency/check-your-answers/", {"submission_key": key})
    attachment = Complaint.objects.get().attachments.get()
    assert attachment.original_name == "letter.pdf" and attachment.from_complainant
    assert not any((Path(media) / uploads.STAGING_DIR).iterdir()), "staged copies are removed"


def test_the_journey_refuses_an_eleventh_file_in_welsh(client, tree):
    for n in range(10):
        client.post("/cy/complain/agency/files/", {"action": "add", "file": upload(f"f{n}.txt", b"note")})
    response = client.post("/cy/complain/agency/files/", {"action": "add", "file": upload("f10.txt", b"note")})
    assert response.status_code == 200
    assert "Ni ychwanegwyd f10.txt: gall cwyn gynnwys hyd at 10 ffeil." in html.unescape(response.content.decode())
