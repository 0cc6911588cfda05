"""Hostile input: script and markup typed into any free-text field come back escaped on every page showing it.

Add a page here when it shows complaint text (case pages, the public progress page, letters...).
"""

import io
import zipfile

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from candour.complaints import services
from candour.complaints.models import Complaint
from candour.complaints.services import PointInput
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
