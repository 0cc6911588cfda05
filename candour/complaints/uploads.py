"""Files given with a complaint: checked by what they contain, stored outside the web root under a random name.

A file is accepted only if its content is one of the allowed kinds, whatever its name says: PDF, PNG,
JPEG, GIF, Word (.docx), OpenDocument text (.odt) or plain UTF-8 text. Word and OpenDocument files are
zip containers, so they are opened to check the member that declares the document type, and refused if
they would expand to far more than they weigh (a "zip bomb"). Each file is at most 10 MB and a complaint
holds at most 10. The name the person gave is kept only as a label, with path tricks and control
characters removed; the file itself is stored under `MEDIA_ROOT` with a random name and its SHA-256.

The public journey collects files before the complaint exists: they are checked and kept in a staging
area (`stage_upload`) and moved onto the complaint with `store_attachment` when it is submitted.
Staff pages use `store_attachment` directly and `open_attachment` to serve a file to someone allowed to see it.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from candour.audit import services as audit
from candour.complaints.models import Attachment, Complaint

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_COMPLAINT = 10
# Zip containers (docx, odt): refuse anything that would expand beyond these.
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 2000

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ALLOWED = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    DOCX: ".docx",
    ODT: ".odt",
    "text/plain": ".txt",
}
ATTACHMENT_DIR = "attachments"
STAGING_DIR = "staging"


class UploadRefused(ValidationError):
    """A file that cannot be accepted; the message names the file and says why, in the page's language."""


@dataclass(frozen=True)
class CheckedFile:
    name: str  # sanitised original name
    content_type: str
    size: int
    sha256: str


# ---- names ----------------------------------------------------------------------------------------------


def sanitise_name(name: str | None) -> str:
    """A safe label from the name the person's computer gave: no folders, no control characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Drop control and format characters (NUL, newlines, right-to-left overrides, ...).
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 200 - len(extension) - 1] + dot + extension) if dot and len(extension) <= 10 else name[:200]
    return name or "attachment"


# ---- checking content -----------------------------------------------------------------------------------


def _read_all(uploaded_file) -> bytes:
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    uploaded_file.seek(0)
    return data


def _zip_document_type(data: bytes, label: str) -> str:
    bomb = UploadRefused(
        _("%(name)s cannot be opened safely. Save it again and upload the new copy.") % {"name": label}
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _wrong_type(label) from None
    if len(members) > ZIP_MAX_MEMBERS:
        raise bomb
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size and member.compress_size == 0:
            raise bomb
        if member.compress_size and member.file_size / member.compress_size > ZIP_MAX_RATIO:
            raise bomb
    if total > ZIP_MAX_UNCOMPRESSED_BYTES or (data and total / len(data) > ZIP_MAX_RATIO):
        raise bomb
    names = {m.filename for m in members}
    try:
        if members and members[0].filename == "mimetype":
            with archive.open(members[0]) as member:
                declared = member.read(200).decode("ascii", "replace").strip()
            if declared == ODT:
                return ODT
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            with archive.open("[Content_Types].xml") as member:
                content_types = member.read(1024 * 1024).decode("utf-8", "replace")
            if "wordprocessingml.document.main+xml" in content_types:
                return DOCX
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
        raise _wrong_type(label) from None
    raise _wrong_type(label)


def _wrong_type(label: str) -> UploadRefused:
    return UploadRefused(
        _("%(name)s must be a PDF, JPG, PNG, GIF, Word (.docx), OpenDocument (.odt) or text file.") % {"name": label}
    )


def check_upload(uploaded_file) -> CheckedFile:
    """Check a file by its content; raise UploadRefused with a message that names it."""
    label = sanitise_name(getattr(uploaded_file, "name", ""))
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise UploadRefused(_("%(name)s must be smaller than 10 MB.") % {"name": label})
    data = _read_all(uploaded_file)
    if len(data) > MAX_FILE_BYTES:
        raise UploadRefused(_("%(name)s must be smaller than 10 MB.") % {"name": label})
    if not data:
        raise UploadRefused(_("%(name)s is empty.") % {"name": label})
    if data.startswith(b"PK\x03\x04"):
        content_type = _zip_document_type(data, label)
    else:
        kind = filetype.guess(data[:8192])
        if kind is not None and kind.mime in ("application/pdf", "image/png", "image/jpeg", "image/gif"):
            content_type = kind.mime
        elif kind is None and b"\x00" not in data and _is_utf8(data):
            content_type = "text/plain"
        else:
            raise _wrong_type(label)
    return CheckedFile(name=label, content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# ---- storing ------------------------------------------------------------------------------------------


def _root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def _write_new(relative: str, data: bytes) -> Path:
    path = _root() / relative
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


def _path_of(relative: str) -> Path:
    path = (_root() / relative).resolve()
    if _root() not in path.parents:
        raise FileNotFoundError(relative)
    return path


@transaction.atomic
def store_attachment(*, actor, complaint: Complaint, uploaded_file, from_complainant: bool) -> Attachment:
    """Check a file and attach it to a complaint (at most MAX_FILES_PER_COMPLAINT), with an audit event."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    checked = check_upload(uploaded_file)
    if complaint.attachments.count() >= MAX_FILES_PER_COMPLAINT:
        raise UploadRefused(
            _("%(name)s was not added: a complaint can have up to %(max)s files.")
            % {"name": checked.name, "max": MAX_FILES_PER_COMPLAINT}
        )
    token = secrets.token_hex(16)
    stored_name = f"{ATTACHMENT_DIR}/{token[:2]}/{token}{ALLOWED[checked.content_type]}"
    path = _write_new(stored_name, _read_all(uploaded_file))
    try:
        attachment = Attachment.objects.create(
            complaint=complaint,
            stored_name=stored_name,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
            from_complainant=from_complainant,
        )
        audit.record(
            actor=actor,
            verb="attached",
            obj=complaint,
            summary=f"File attached ({checked.content_type}, {checked.size} bytes)"
            + (" by the complainant" if from_complainant else ""),
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return attachment


def open_attachment(attachment: Attachment):
    """The stored file, opened for reading in binary. The caller checks the reader may see the complaint."""
    return _path_of(attachment.stored_name).open("rb")


# ---- staging (the public journey, before the complaint exists) -------------------------------------------


def stage_upload(uploaded_file) -> dict:
    """Check a file and keep it until the complaint is submitted. Returns what the session remembers."""
    checked = check_upload(uploaded_file)
    token = secrets.token_hex(16)
    _write_new(f"{STAGING_DIR}/{token}", _read_all(uploaded_file))
    return {"staged": token, "name": checked.name, "size": checked.size, "content_type": checked.content_type}


def staged_file(entry: dict) -> File:
    token = entry["staged"]
    if not token.isalnum():
        raise FileNotFoundError(token)
    return File(_path_of(f"{STAGING_DIR}/{token}").open("rb"), name=entry["name"])


def discard_staged(entry: dict) -> None:
    token = str(entry.get("staged", ""))
    if token.isalnum():
        _path_of(f"{STAGING_DIR}/{token}").unlink(missing_ok=True)
