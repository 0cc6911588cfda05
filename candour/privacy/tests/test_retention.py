"""The retention schedule: personal data goes six years after closure; the statistics stay exactly the same."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from candour.audit.models import AuditEvent
from candour.complaints import services as complaint_services
from candour.complaints.models import Attachment, Complaint, PointOfComplaint, Remedy, Response
from candour.privacy import services
from candour.privacy.services import REMOVED
from candour.privacy.tests import factories as make
from candour.scheduling import REGISTRY

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def statistics() -> dict:
    """What reports are made of, by aggregate queries."""
    complaints = Complaint.objects.all()
    responded = complaints.exclude(stage1_responded_on=None)
    return {
        "by_status": dict(complaints.values_list("status").annotate(n=Count("id")).order_by("status")),
        "by_outcome": dict(complaints.values_list("outcome").annotate(n=Count("id")).order_by("outcome")),
        "by_channel": dict(complaints.values_list("channel").annotate(n=Count("id")).order_by("channel")),
        "by_org_year": sorted(
            complaints.values_list("organisation__slug", "received_on__year").annotate(n=Count("id"))
        ),
        "on_time": responded.filter(stage1_responded_on__lte=models_f("stage1_due")).count(),
        "responded": responded.count(),
        "average_working_days": responded.aggregate(a=Avg("stage1_working_days"))["a"],
        "redress_total": Remedy.objects.aggregate(s=Sum("amount"))["s"],
        "remedies_by_type": dict(Remedy.objects.values_list("type").annotate(n=Count("id")).order_by("type")),
        "points_by_outcome": dict(
            PointOfComplaint.objects.values_list("outcome").annotate(n=Count("id")).order_by("outcome")
        ),
        "responses_issued": Response.objects.filter(status="issued").count(),
        "deadlines": sorted(complaints.values_list("reference", "acknowledgement_due", "stage1_due", "closed_on")),
        "attachments": Attachment.objects.aggregate(n=Count("id"), size=Sum("size")),
        "stage2": complaints.filter(Q(stage=2) | Q(escalated_to_stage2=True)).count(),
    }


def models_f(name):
    from django.db.models import F

    return F(name)


@pytest.fixture
def history(tree):
    """Old closed complaints (due), recent closed ones, old open ones, in two organisations."""
    long_ago = datetime.date(2016, 3, 1)
    old_closed = make.responded(
        make.complaint(tree["agency"], received_on=long_ago),
        on=datetime.date(2016, 3, 10),
        remedy_amount="150.00",
        close_on=datetime.date(2016, 3, 14),
    )
    make.attach(old_closed)
    old_closed_sibling = make.responded(
        make.complaint(tree["sibling"], received_on=long_ago, channel="letter"),
        on=datetime.date(2016, 4, 20),
        outcome="not_upheld",
        close_on=datetime.date(2016, 4, 21),
    )
    old_withdrawn = make.complaint(tree["agency"], received_on=long_ago, channel="phone")
    complaint_services.transition(
        actor=None, complaint=old_withdrawn, name="withdraw", reason="Ada withdrew", on=datetime.date(2016, 3, 2)
    )
    recent_closed = make.responded(
        make.complaint(tree["agency"], received_on=TODAY - make.days(60)),
        on=TODAY - make.days(40),
        remedy_amount="75.50",
        close_on=TODAY - make.days(30),
    )
    make.attach(recent_closed, content=b"recent letter")
    old_open = make.complaint(tree["agency"], received_on=long_ago, channel="email")
    return {
        "due": [old_closed, old_closed_sibling, old_withdrawn],
        "kept": [recent_closed, old_open],
    }


def test_anonymisation_keeps_every_statistic_and_removes_the_personal_data(history, django_capture_on_commit_callbacks):
    before = statistics()
    assert before["responded"] == 3 and before["redress_total"] == Decimal("225.50")
    assert before["by_channel"] == {"email": 1, "letter": 1, "online": 2, "phone": 1}
    old_closed = history["due"][0]
    stored_name = old_closed.attachments.get().stored_name
    assert default_storage.exists(stored_name)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.apply_retention_schedule() == 3

    assert statistics() == before
    for complaint in history["due"]:
        complaint.refresh_from_db()
        assert complaint.anonymised_at is not None
        assert complaint.complainant_name == complaint.complainant_email == complaint.complainant_phone == ""
        assert complaint.complainant_address == complaint.reasonable_adjustments == ""
        assert complaint.description == REMOVED and complaint.summary == REMOVED
        assert complaint.access_token_hash == "" and complaint.access_token_expires_at is None
        assert "Ada" not in complaint.search_text and complaint.reference in complaint.search_text
        assert all(p.summary == REMOVED for p in complaint.points.all())
        assert all("Ada" not in r.apology + r.letter_html + r.understanding for r in complaint.responses.all())
        assert all(r.description == REMOVED for r in complaint.remedies.all())
        assert AuditEvent.objects.filter(verb="anonymised", object_id=str(complaint.pk), actor_label="system").exists()
    attachment = old_closed.attachments.get()
    assert attachment.original_name == "" and attachment.size > 0
    assert not default_storage.exists(stored_name)
    for complaint in history["kept"]:
        complaint.refresh_from_db()
        assert complaint.anonymised_at is None and complaint.complainant_name == "Ada Lovelace"
    assert default_storage.exists(history["kept"][0].attachments.get().stored_name)


def test_the_sweep_is_registered_daily_and_idempotent(history):
    sweep = REGISTRY["privacy.retention"]
    assert sweep.every == datetime.timedelta(days=1)
    assert sweep.function() == 3
    assert sweep.function() == 0
    assert AuditEvent.objects.filter(verb="anonymised").count() == 3


def test_an_organisation_can_keep_data_for_longer(history, tree):
    services.set_retention_policy(actor=None, organisation=tree["agency"], anonymise_after_years=20)
    assert services.apply_retention_schedule() == 1  # only the sibling body's complaint
    assert Complaint.objects.filter(anonymised_at__isnull=False).get().organisation == tree["sibling"]


def test_a_complaint_closed_exactly_six_years_ago_is_due_and_one_day_later_is_not(tree):
    received = TODAY.replace(year=TODAY.year - 7)
    complaint = make.complaint(tree["agency"], received_on=received)
    complaint_services.transition(actor=None, complaint=complaint, name="withdraw", reason="x", on=received)
    six_years_on = datetime.date(received.year + 6, received.month, min(received.day, 28))
    assert list(services.due_for_anonymisation(six_years_on - make.days(1))) == []
    assert list(services.due_for_anonymisation(six_years_on + make.days(1))) == [complaint]
