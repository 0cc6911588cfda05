"""Rectification: a handler corrects a complainant's details; the audit trail records field names only."""

import datetime

import pytest
from django.urls import reverse

from candour.audit.models import AuditEvent
from candour.organisations.roles import Role
from candour.privacy import services
from candour.privacy.tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(tree):
    return make.complaint(tree["agency"], received_on=datetime.date(2025, 1, 6))


def test_a_handler_corrects_the_details_and_the_audit_names_only_the_fields(client, handler, complaint):
    client.force_login(handler)
    url = reverse("privacy:correct-details", kwargs={"reference": complaint.reference})
    page = client.get(url).content.decode()
    assert 'value="Ada Lovelace"' in page and "07700 900123" in page
    data = {
        "complainant_name": "Ada King",
        "complainant_email": "ada.king@example.com",
        "complainant_phone": "07700 900123",
        "complainant_address": "1 Analytical Street, London",
        "preferred_contact": "post",
        "person_affected_name": "",
        "representative_relationship": "",
        "reasonable_adjustments": "Large print, please: I have a visual impairment.",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.complainant_name, complaint.complainant_email) == ("Ada King", "ada.king@example.com")
    assert complaint.preferred_contact == "post"
    assert "Ada King" in complaint.search_text
    event = AuditEvent.objects.get(verb="updated", object_id=str(complaint.pk))
    assert event.changes == {"fields": ["complainant_email", "complainant_name", "preferred_contact"]}
    assert "Ada" not in event.summary and "king" not in str(event.changes).lower()
    assert "The details have been corrected" in client.get(url).content.decode()


def test_a_bad_email_is_refused_and_what_was_typed_is_kept(client, handler, complaint):
    client.force_login(handler)
    url = reverse("privacy:correct-details", kwargs={"reference": complaint.reference})
    response = client.post(
        url, {"complainant_name": "Ada King", "complainant_email": "nope", "preferred_contact": "email"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and 'value="Ada King"' in html
    complaint.refresh_from_db()
    assert complaint.complainant_name == "Ada Lovelace"


def test_colleagues_elsewhere_cannot_see_or_correct(client, member, tree, complaint):
    client.force_login(member(Role.COMPLAINT_HANDLER, tree["sibling"]))
    url = reverse("privacy:correct-details", kwargs={"reference": complaint.reference})
    assert client.get(url).status_code == 403
    assert client.post(url, {"complainant_name": "X"}).status_code == 403


def test_an_anonymised_complaint_cannot_be_corrected(client, handler, complaint):
    services.anonymise_complaint(actor=None, complaint=complaint)
    client.force_login(handler)
    url = reverse("privacy:correct-details", kwargs={"reference": complaint.reference})
    client.post(url, {"complainant_name": "Someone", "preferred_contact": "email"})
    complaint.refresh_from_db()
    assert complaint.complainant_name == ""
