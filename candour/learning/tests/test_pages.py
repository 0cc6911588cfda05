"""The staff learning pages and the public "You said, we did" page, as a colleague or the public sees them."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candour.complaints import services as complaint_services
from candour.learning import services
from candour.learning.models import ImprovementAction

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_from_closing_an_upheld_complaint_to_a_verified_action(client, make_complaint, people, tree, cause, area,
                                                               settings, tmp_path):  # fmt: skip
    """The loop the Standards ask for, through the pages: learning, an action, evidence, verification,
    publication, and the public page in English and Welsh."""
    settings.MEDIA_ROOT = tmp_path
    services.update_settings(
        actor=people["manager"], organisation=tree["agency"], learning_required_before_closure=True
    )
    complaint = make_complaint("upheld")
    with pytest.raises(complaint_services.TransitionRefused):
        complaint_services.transition(actor=people["handler"], complaint=complaint, name="close")

    client.force_login(people["handler"])
    url = f"/staff/learning/complaints/{complaint.reference}/"
    page = client.post(url, {"what_went_wrong": "Rhian missed it.", "root_cause": cause.pk, "themes": "Payments"})
    assert page.status_code == 200
    assert "There is a problem" in _text(page) and "remove the name “Rhian”" in _text(page)
    assert "Rhian missed it." in _text(page)  # what was typed is kept
    page = client.post(url, {"what_went_wrong": "The payment page failed on older browsers.", "root_cause": cause.pk,
                             "service_area": area.pk, "themes": "Payment page failures"})  # fmt: skip
    assert page.status_code == 302
    complaint_services.transition(actor=people["handler"], complaint=complaint, name="close")

    client.force_login(people["manager"])
    page = client.get(f"/staff/learning/actions/new/?complaint={complaint.reference}")
    assert complaint.reference in _text(page) and "Payment page failures" in _text(page)
    page = client.post("/staff/learning/actions/new/", {
        "organisation": tree["agency"].pk, "description": "", "complaints": "NOPE-1",
        "due_date_day": "31", "due_date_month": "2", "due_date_year": "2026",
    })  # fmt: skip
    text = _text(page)
    assert "Describe the change." in text and "Enter a real date" in text and 'value="NOPE-1"' in text
    page = client.post("/staff/learning/actions/new/", {
        "organisation": tree["agency"].pk, "description": "Test the payment page on older browsers.",
        "complaints": complaint.reference, "themes": "Payment page failures", "service_area": area.pk,
        "senior_owner": people["leader"].pk, "delivery_owner": people["handler"].pk,
        "due_date_day": "30", "due_date_month": "6", "due_date_year": "2026",
        "expected_impact": "Fewer failed payments.", "how_measured": "Complaints per month.",
    })  # fmt: skip
    action = ImprovementAction.objects.get()
    assert page["Location"] == f"/staff/learning/actions/{action.pk}/"
    detail = f"/staff/learning/actions/{action.pk}/"
    for name in ("agree", "start"):
        assert client.post(detail, {"form": "transition", "name": name}).status_code == 302

    client.force_login(people["handler"])  # the delivery owner records the evidence and completes it
    page = client.post(detail, {"form": "transition", "name": "complete"})
    assert "Record the evidence" in _text(page)
    client.post(detail, {"form": "evidence", "evidence": "Released on 1 March.",
                         "file": SimpleUploadedFile("proof.png", PNG)})  # fmt: skip
    assert client.post(detail, {"form": "transition", "name": "complete"}).status_code == 302
    page = client.get(detail)
    assert "Verify: it worked" not in _text(page)  # not offered to the delivery owner
    file_url = re.search(r'href="(/staff/learning/actions/\d+/evidence/\d+/)"', page.content.decode()).group(1)
    assert b"".join(client.get(file_url).streaming_content) == PNG

    client.force_login(people["manager"])
    page = client.post(detail, {"form": "transition", "name": "verify_effective"})
    assert "Give a reason." in _text(page)
    client.post(detail, {"form": "transition", "name": "verify_effective", "reason": "Failed payments stopped."})
    page = client.get(detail)
    assert 'id="action-status">Verified effective' in _text(page) and "Did it work?" in _text(page)
    publish = {
        "form": "publish",
        "you_said": "Card payments failed on older browsers.",
        "we_did": "We now test every release on older browsers.",
        "you_said_cy": "Methodd taliadau cerdyn.",
        "we_did_cy": "Rydym yn profi pob porwr.",
    }
    client.post(detail, publish)

    public = _text(client.get("/you-said-we-did/"))
    assert "We now test every release on older browsers." in public and "Alex" not in public
    welsh = _text(client.get("/cy/you-said-we-did/"))
    assert "Dywedoch chi, gwnaethom ni" in welsh and "Rydym yn profi pob porwr." in welsh


def test_the_dashboard_flags_an_emerging_theme_and_overdue_actions(client, make_complaint, people, tree, cause):
    for _ in range(5):
        services.save_learning_record(
            actor=people["handler"], complaint=make_complaint(received_on=datetime.date.today().replace(day=1)),
            what_went_wrong="Supplier change.", root_cause=cause, themes=["Payment page failures"],
        )  # fmt: skip
    services.create_action(
        actor=people["manager"], organisation=tree["agency"], description="Fix the payment page.",
        senior_owner=people["leader"], delivery_owner=people["handler"], due_date=datetime.date(2025, 1, 1),
    )  # fmt: skip
    client.force_login(people["manager"])
    text = _text(client.get("/staff/learning/"))
    assert "Emerging themes" in text and "Payment page failures" in text
    assert "Overdue actions" in text and "Fix the payment page." in text
    assert 'href="/staff/learning/"' in _text(client.get("/staff/"))  # in the navigation


def test_the_action_list_takes_a_fixed_number_of_queries(client, people, tree, django_assert_num_queries):
    def add(n):
        for i in range(n):
            services.create_action(actor=people["manager"], organisation=tree["agency"], description=f"Change {i}",
                                   delivery_owner=people["handler"], due_date=datetime.date(2026, 1, 1))  # fmt: skip

    client.force_login(people["manager"])
    add(2)
    client.get("/staff/learning/actions/")
    with CaptureQueriesContext(connection) as two_actions:
        client.get("/staff/learning/actions/?status=overdue")
    add(10)
    with django_assert_num_queries(len(two_actions.captured_queries)):
        page = client.get("/staff/learning/actions/?status=overdue")
    assert _text(page).count("Overdue</strong>") == 12


def test_colleagues_without_learning_access_are_refused(client, people, tree):
    client.force_login(people["handler"])
    assert client.get("/staff/learning/").status_code == 403
    assert client.get("/staff/learning/actions/new/").status_code == 403
    client.force_login(people["sibling_manager"])
    assert client.get("/staff/learning/settings/").status_code == 200
    assert "Agency" not in _text(client.get("/staff/learning/settings/"))


def test_the_public_page_is_empty_until_something_is_published(client, db):
    assert "No changes have been published yet." in _text(client.get("/you-said-we-did/"))
    assert "Nid oes unrhyw newidiadau" in _text(client.get("/cy/you-said-we-did/"))
