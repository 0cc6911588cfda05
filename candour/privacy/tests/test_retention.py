"""The retention schedule: personal data goes six years after closure; the statistics stay exactly the same."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import (
    Avg,
    BooleanField,
    CharField,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    FileField,
    IntegerField,
    JSONField,
    Q,
    Sum,
    TextField,
)
from django.utils import timezone

from candour.audit.models import AuditEvent
from candour.complaints import services as complaint_services
from candour.complaints.models import Attachment, Complaint, PointOfComplaint, Remedy, Response, StageTransition
from candour.governance.selectors import dashboard_figures
from candour.notifications.models import Message
from candour.organisations.models import Organisation
from candour.privacy import services
from candour.privacy.services import REMOVED
from candour.privacy.tests import factories as make
from candour.reporting.selectors import annual_report_figures, financial_year
from candour.scheduling import REGISTRY

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def statistics() -> dict:
    """What reports are made of, by aggregate queries."""
    complaints = Complaint.objects.all()
    organisation_ids = list(Organisation.objects.values_list("pk", flat=True))
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
        # What the dashboard and the annual report show, computed by their own selectors.
        "dashboard": dashboard_figures(organisation_ids, datetime.date(2015, 1, 1), TODAY, today=TODAY),
        "annual_report_2015": annual_report_figures(organisation_ids, 2015),
        "annual_report_now": annual_report_figures(organisation_ids, financial_year(TODAY)),
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
    # Resolved with a response, never formally closed: the clock runs from the response.
    old_resolved = make.responded(make.complaint(tree["agency"], received_on=long_ago), on=datetime.date(2016, 5, 3))
    recent_resolved = make.responded(
        make.complaint(tree["sibling"], received_on=TODAY - make.days(90), channel="letter"), on=TODAY - make.days(80)
    )
    return {
        "due": [old_closed, old_closed_sibling, old_withdrawn, old_resolved],
        "kept": [recent_closed, old_open, recent_resolved],
    }


def test_anonymisation_keeps_every_statistic_and_removes_the_personal_data(history, django_capture_on_commit_callbacks):
    before = statistics()
    assert before["responded"] == 5 and before["redress_total"] == Decimal("225.50")
    assert before["by_channel"] == {"email": 1, "letter": 2, "online": 3, "phone": 1}
    old_closed = history["due"][0]
    stored_name = old_closed.attachments.get().stored_name
    assert default_storage.exists(stored_name)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.apply_retention_schedule() == 4

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
        assert all("Ada" not in t.reason for t in complaint.transitions.all())
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
    assert sweep.function() == 4
    assert sweep.function() == 0
    assert AuditEvent.objects.filter(verb="anonymised").count() == 4


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


# ---- everything recorded about a complaint, in every app ------------------------------------------------------

SECRET = "Ada Lovelace of 1 Analytical Street"


def _linked_to_complaint(model, depth=0) -> bool:
    if model is Complaint:
        return True
    if depth > 3:
        return False
    return any(
        (f.many_to_one or f.one_to_one)
        and f.related_model is not None
        and _linked_to_complaint(f.related_model, depth + 1)
        for f in model._meta.concrete_fields
        if f.related_model is not model
    )


def complaint_models():
    return [m for m in apps.get_models() if _linked_to_complaint(m)]


def text_fields(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (CharField, TextField, FileField)) and not f.choices
    ]


def test_every_text_field_about_a_complaint_is_anonymised_or_kept_for_a_recorded_reason():
    """A new text field on any model linked to a complaint fails here until it is classified."""
    models_found = complaint_models()
    labels = {m._meta.label for m in models_found}
    assert {"complaints.StageTransition", "investigations.EvidenceItem", "feedback.SurveyResponse"} <= labels
    unclassified = []
    for model in models_found:
        label = model._meta.label
        _lookup, cleared, replaced = services.ANONYMISED.get(label, ("", (), ()))
        kept = services.KEPT.get(label, {})
        for name in text_fields(model):
            if name not in (*cleared, *replaced) and not kept.get(name, "").strip():
                unclassified.append(f"{label}.{name}")
    assert unclassified == [], "Anonymise these in privacy.services.ANONYMISED or say why they stay in KEPT"
    # And the tables name only real fields (a renamed field must not silently escape anonymisation).
    for label, (lookup, cleared, replaced) in services.ANONYMISED.items():
        model = apps.get_model(label)
        assert set(cleared + replaced) <= set(text_fields(model)), label
        model.objects.filter(**{lookup: 0}).exists()  # the lookup from the model to the complaint is valid
    for label, kept in services.KEPT.items():
        assert set(kept) <= set(text_fields(apps.get_model(label))), label


def _value(field, complaint, made):
    """A value for a required field of a row about `complaint`."""
    if field.many_to_one or field.one_to_one:
        target = field.related_model
        if target is Complaint:
            return complaint
        if target is Organisation:
            return complaint.organisation
        if target._meta.label == settings.AUTH_USER_MODEL:
            if "user" not in made:
                made["user"] = get_user_model().objects.create_user(username="colleague")
            return made["user"]
        return _row(target, complaint, made)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, (CharField, TextField)):
        return SECRET[: field.max_length] if field.max_length else SECRET
    if isinstance(field, DateTimeField):
        return timezone.now()
    if isinstance(field, DateField):
        return TODAY
    if isinstance(field, DecimalField):
        return Decimal("1.00")
    if isinstance(field, (IntegerField, BooleanField)):
        return 1 if isinstance(field, IntegerField) else False
    if isinstance(field, JSONField):
        return {}
    raise AssertionError(f"No test value for {field}")


# Values the database's check constraints need (a review after the start; a complainant invitation's token).
OVERRIDES = {
    "investigations.ContactRestriction": {"review_on": TODAY + make.days(30), "written_contact_only": True},
    "feedback.SurveyInvitation": {"kind": "complainant", "token_hash": "0" * 64},
}


def _row(model, complaint, made):
    """One row of `model` about `complaint`, every text field holding personal data (made once per model)."""
    label = model._meta.label
    if label not in made:
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or (field.is_relation and field.null and field.related_model is not Complaint):
                continue
            if isinstance(field, (CharField, TextField)) and field.name in text_fields(model):
                values[field.name] = _value(field, complaint, made)
            elif not (field.has_default() or field.null or getattr(field, "auto_now", False)
                      or getattr(field, "auto_now_add", False)):  # fmt: skip
                values[field.name] = _value(field, complaint, made)
        values.update(OVERRIDES.get(label, {}))
        instance = model(**values)
        models.Model.save(instance)  # append-only models refuse nothing on first save either
        made[label] = instance
    return made[label]


def test_everything_recorded_about_a_complaint_in_every_app_is_anonymised(tree, django_capture_on_commit_callbacks):
    complaint = make.responded(
        make.complaint(tree["agency"], received_on=datetime.date(2016, 3, 1)),
        on=datetime.date(2016, 3, 10),
        close_on=datetime.date(2016, 3, 14),
    )
    complaint_services.transition(
        actor=None, complaint=complaint, name="reopen", reason=f"{SECRET} rang again", on=datetime.date(2016, 3, 15)
    )
    complaint.refresh_from_db()
    complaint_services.transition(
        actor=None, complaint=complaint, name="withdraw", reason=f"{SECRET} withdrew", on=datetime.date(2016, 3, 16)
    )
    made = {}
    for label, (lookup, _cleared, _replaced) in services.ANONYMISED.items():
        existing = apps.get_model(label).objects.filter(**{lookup: complaint.pk}).first()
        if existing is not None:  # the complaint, its points, responses, remedies, transitions
            made[label] = existing
        else:
            _row(apps.get_model(label), complaint, made)
    Message.objects.create(
        recipient="ada@example.com",
        template="generic",
        subject=f"For {SECRET}",
        body_text=f"Dear {SECRET}",
        body_html=f"<p>Dear {SECRET}</p>",
        related_object_type="complaints.complaint",
        related_object_id=str(complaint.pk),
        idempotency_key="test:ada",
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.apply_retention_schedule() == 1

    for label, (lookup, cleared, replaced) in services.ANONYMISED.items():
        for row in apps.get_model(label).objects.filter(**{lookup: complaint.pk}).values(*cleared, *replaced):
            for name, value in row.items():
                assert value in ("", REMOVED), f"{label}.{name} still holds {value!r}"
    assert all(SECRET not in t.reason for t in StageTransition.objects.filter(complaint=complaint))
    message = Message.objects.get(idempotency_key="test:ada")
    assert message.recipient == "" and {message.subject, message.body_text, message.body_html} == {REMOVED}
    study = made["reporting.CaseStudy"]
    study.refresh_from_db()
    assert study.anonymised_text == SECRET  # kept: approved as anonymised by a second person (see KEPT)


@pytest.mark.parametrize("close", [False, True])
def test_a_complaint_resolved_but_never_closed_is_anonymised_six_years_after_its_last_response(tree, close):
    received = TODAY.replace(year=TODAY.year - 8, day=min(TODAY.day, 28))
    responded_on = received + make.days(10)
    complaint = make.responded(
        make.complaint(tree["agency"], received_on=received),
        on=responded_on,
        close_on=responded_on + make.days(400) if close else None,
    )
    assert complaint.status == ("closed" if close else "resolved") and (complaint.closed_on is None) != close
    starts = responded_on + make.days(400) if close else responded_on
    six_years_on = services._years_before(starts, -6)
    assert list(services.due_for_anonymisation(six_years_on - make.days(1))) == []
    assert list(services.due_for_anonymisation(six_years_on)) == [complaint]
    # Re-opened, it is open again: never anonymised while the organisation is still working on it.
    complaint_services.transition(actor=None, complaint=complaint, name="reopen", reason="New information")
    assert list(services.due_for_anonymisation(six_years_on + make.days(3650))) == []


def test_an_old_open_complaint_is_never_anonymised(tree):
    make.complaint(tree["agency"], received_on=datetime.date(2010, 1, 4))
    assert list(services.due_for_anonymisation()) == []
