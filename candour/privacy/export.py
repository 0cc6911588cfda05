"""The subject access export: a ZIP of JSON, a PDF summary and the files the person gave or was sent."""

from __future__ import annotations

import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from candour.audit.models import AuditEvent
from candour.complaints.models import Complaint, OmbudsmanReferral

RELATED = ("points", "transitions", "clock_stops", "extensions", "responses", "remedies", "attachments")


def _row(instance: models.Model) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in ("access_token_hash", "submission_key", "search_text"):
            continue  # secrets and internal copies, not information about the person
        data[field.attname] = getattr(instance, field.attname)
    return data


def complaint_record(complaint: Complaint) -> dict:
    record = {"complaint": _row(complaint), "organisation": complaint.organisation.name}
    for name in RELATED:
        record[name] = [_row(item) for item in getattr(complaint, name).all()]
    referral = OmbudsmanReferral.objects.filter(complaint=complaint).first()
    record["ombudsman_referral"] = _row(referral) if referral else None
    events = AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk))
    record["audit_events"] = [_row(event) for event in events.order_by("occurred_at", "id")]
    return record


def build_zip(complaints: list[Complaint], *, requested: dict) -> bytes:
    """ZIP: subject-access.json, summary.pdf, files/<complaint reference>/<n>-<original name>."""
    from weasyprint import HTML

    generated = timezone.now()
    records = [complaint_record(c) for c in complaints]
    payload = {"generated_at": generated, "request": requested, "complaints": records}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", json.dumps(payload, cls=DjangoJSONEncoder, indent=2))
        html = render_to_string(
            "privacy/subject_access_summary.html",
            {"complaints": complaints, "records": records, "generated": generated, "requested": requested},
        )
        archive.writestr("summary.pdf", HTML(string=html).write_pdf())
        for complaint in complaints:
            for number, attachment in enumerate(complaint.attachments.all(), start=1):
                if not attachment.original_name or not default_storage.exists(attachment.stored_name):
                    continue
                safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in attachment.original_name)
                with default_storage.open(attachment.stored_name, "rb") as handle:
                    archive.writestr(f"files/{complaint.reference}/{number}-{safe}", handle.read())
    return buffer.getvalue()
