"""Learning records, the no-blame name check, the closure guard, the action lifecycle, evidence, publishing
and response letters, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from candour.audit.models import AuditEvent
from candour.complaints import services as complaint_services
from candour.complaints.services import TransitionRefused, response_problems
from candour.learning import services
from candour.learning.models import ActionStatusLog, LearningRecord

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _action(people, tree, complaints=(), **fields):
    defaults = {
        "senior_owner": people["leader"],
        "delivery_owner": people["handler"],
        "due_date": datetime.date(2026, 6, 30),
    }
    return services.create_action(
        actor=people["manager"],
        organisation=tree["agency"],
        description="Add browser testing to the payment supplier's release process.",
        complaints=complaints,
        **{**defaults, **fields},
    )


def test_a_handler_records_learning_and_the_audit_keeps_field_names_only(make_complaint, people, cause, area):
    complaint = make_complaint("upheld")
    record = services.save_learning_record(
        actor=people["handler"], complaint=complaint, what_went_wrong="The payment page had no browser testing.",
        root_cause=cause, service_area=area, themes=["Payment page failures", " payment page failures ", ""],
    )  # fmt: skip
    assert record.organisation == complaint.organisation
    assert sorted(record.themes.values_list("name", flat=True)) == ["Payment page failures", "payment page failures"]
    event = AuditEvent.objects.get(verb="created_learning")
    assert "browser" not in str(event.changes) and "what_went_wrong" in event.changes["fields"]


def test_a_records_themes_carry_its_organisation_and_received_date_for_trends(make_complaint, people, cause):
    from candour.learning.models import LearningRecordTheme

    complaint = make_complaint("upheld")
    record = services.save_learning_record(
        actor=people["handler"], complaint=complaint, what_went_wrong="No owner for the queue.", root_cause=cause,
        themes=["Delays", "Call backs"],
    )  # fmt: skip
    services.save_learning_record(
        actor=people["handler"], complaint=complaint, what_went_wrong="No owner for the queue.", root_cause=cause,
        themes=["Delays", "Letters"],
    )  # fmt: skip
    links = LearningRecordTheme.objects.filter(learningrecord=record).order_by("theme__name")
    assert [(link.theme.name, link.organisation_id, link.complaint_received_on) for link in links] == [
        ("Delays", complaint.organisation_id, complaint.received_on),
        ("Letters", complaint.organisation_id, complaint.received_on),
    ]


@pytest.mark.parametrize(
    "text, refused_name",
    [
        ("Rhian did not call back.", "Rhian"),
        ("The call back was missed by Rhian Pritchard.", "Rhian Pritchard"),
        ("PRITCHARD's queue was not monitored.", None),  # names match as written: proper nouns
        ("handler forgot to check the queue", "handler"),  # the username, in any case
        ("The call-back queue had no owner and no daily check.", None),
    ],
)
def test_learning_that_names_the_handler_is_refused(make_complaint, people, cause, text, refused_name):
    complaint = make_complaint("upheld")
    if refused_name is None:
        services.save_learning_record(
            actor=people["handler"], complaint=complaint, what_went_wrong=text, root_cause=cause
        )
        return
    with pytest.raises(ValidationError) as error:
        services.save_learning_record(
            actor=people["handler"], complaint=complaint, what_went_wrong=text, root_cause=cause
        )
    assert f"remove the name “{refused_name}”" in error.value.message_dict["what_went_wrong"][0]
    assert not LearningRecord.objects.exists()


def test_someone_outside_the_organisation_cannot_record_learning(make_complaint, people, cause):
    complaint = make_complaint("upheld")
    with pytest.raises(PermissionDenied):
        services.save_learning_record(
            actor=people["sibling_manager"], complaint=complaint, what_went_wrong="x", root_cause=cause
        )


def test_the_organisation_setting_requires_learning_before_closing_an_upheld_complaint(
    make_complaint, people, cause, tree
):
    upheld, not_upheld = make_complaint("upheld"), make_complaint("not_upheld")
    # Off by default: closing works as before.
    complaint_services.transition(actor=people["handler"], complaint=make_complaint("partly_upheld"), name="close")
    services.update_settings(
        actor=people["manager"], organisation=tree["agency"], learning_required_before_closure=True
    )
    with pytest.raises(TransitionRefused, match="Record the learning"):
        complaint_services.transition(actor=people["handler"], complaint=upheld, name="close")
    complaint_services.transition(actor=people["handler"], complaint=not_upheld, name="close")  # optional there
    services.save_learning_record(
        actor=people["handler"], complaint=upheld, what_went_wrong="No owner for the queue.", root_cause=cause
    )
    assert complaint_services.transition(actor=people["handler"], complaint=upheld, name="close").status == "closed"


def test_only_a_learning_manager_changes_the_setting(people, tree):
    with pytest.raises(PermissionDenied):
        services.update_settings(
            actor=people["handler"], organisation=tree["agency"], learning_required_before_closure=True
        )


def test_an_action_moves_from_proposed_to_verified_with_an_append_only_log(make_complaint, people, tree, cause):
    complaint = make_complaint("upheld")
    services.save_learning_record(actor=people["handler"], complaint=complaint, what_went_wrong="x", root_cause=cause)
    action = _action(people, tree, complaints=[complaint], themes=["Payment page failures"])
    assert list(action.learning_records.all()) == [complaint.learning_record]
    services.transition_action(actor=people["leader"], action=action, name="agree")  # the senior owner agrees
    services.transition_action(actor=people["handler"], action=action, name="start")  # the delivery owner starts
    with pytest.raises(services.ActionRefused, match="Record the evidence"):
        services.transition_action(actor=people["handler"], action=action, name="complete")
    services.add_evidence_file(
        actor=people["handler"], action=action, uploaded=SimpleUploadedFile("release.png", PNG, "image/png")
    )
    action = services.transition_action(
        actor=people["handler"], action=action, name="complete", on=datetime.date(2026, 2, 1)
    )
    assert action.done_on == datetime.date(2026, 2, 1)
    # The delivery owner cannot verify their own work, even as a manager would.
    with pytest.raises(PermissionDenied):
        services.transition_action(actor=people["handler"], action=action, name="verify_effective", reason="ok")
    with pytest.raises(services.ActionRefused, match="Give a reason"):
        services.transition_action(actor=people["manager"], action=action, name="verify_effective")
    action = services.transition_action(
        actor=people["manager"], action=action, name="verify_effective", reason="Complaints fell by half."
    )
    assert action.status == "verified_effective" and action.verified_by == people["manager"]
    log = list(action.status_log.values_list("transition", "to_status", "actor_label"))
    assert log == [
        ("propose", "proposed", "manager"), ("agree", "agreed", "leader"), ("start", "in_progress", "handler"),
        ("complete", "done", "handler"), ("verify_effective", "verified_effective", "manager"),
    ]  # fmt: skip
    with pytest.raises(PermissionError):
        action.status_log.first().delete()
    with pytest.raises(PermissionError):
        ActionStatusLog.objects.filter(action=action).update(reason="changed")


def test_a_delivery_owner_who_manages_learning_still_cannot_verify_their_own_action(people, tree):
    action = _action(people, tree, delivery_owner=people["manager"], evidence="Released on 1 Feb.")
    for name in ("agree", "start", "complete"):
        services.transition_action(actor=people["manager"], action=action, name=name)
    with pytest.raises(services.ActionRefused, match="Someone other than the delivery owner"):
        services.transition_action(actor=people["manager"], action=action, name="verify_effective", reason="ok")


def test_an_action_cannot_be_agreed_without_owners_and_a_date(people, tree):
    action = _action(people, tree, senior_owner=None)
    with pytest.raises(services.ActionRefused, match="accountable senior owner"):
        services.transition_action(actor=people["manager"], action=action, name="agree")


def test_an_owner_must_belong_to_the_organisation(people, tree):
    with pytest.raises(ValidationError) as error:
        _action(people, tree, delivery_owner=people["sibling_manager"])
    assert "delivery_owner" in error.value.message_dict


def test_evidence_files_are_checked_by_content_not_name(people, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = _action(people, tree)
    with pytest.raises(ValidationError, match="must be a PDF"):
        services.add_evidence_file(
            actor=people["handler"], action=action, uploaded=SimpleUploadedFile("evil.pdf", b"#!/bin/sh\nrm -rf /")
        )
    evidence = services.add_evidence_file(
        actor=people["handler"], action=action, uploaded=SimpleUploadedFile("shot.pdf", PNG)
    )
    assert evidence.content_type == "image/png" and evidence.stored_name.endswith(".png")
    assert services.evidence_path(evidence.stored_name).read_bytes() == PNG
    assert str(services.evidence_path(evidence.stored_name)).startswith(str(tmp_path))


def test_publishing_needs_a_delivered_action_and_anonymised_text(make_complaint, people, tree):
    complaint = make_complaint("upheld")
    action = _action(people, tree, complaints=[complaint], evidence="Released.")
    with pytest.raises(ValidationError, match="once it has been made"):
        services.publish_summary(actor=people["manager"], action=action, you_said="s", we_did="d")
    for name in ("agree", "start", "complete"):
        services.transition_action(actor=people["manager"], action=action, name=name)
    with pytest.raises(ValidationError) as error:
        services.publish_summary(
            actor=people["manager"], action=action, you_said="Alex Sample told us payments failed.", we_did="Fixed it."
        )
    assert "published summaries are anonymised" in error.value.message_dict["you_said"][0]
    with pytest.raises(ValidationError, match="Rhian"):
        services.publish_summary(actor=people["manager"], action=action, you_said="x", we_did="Rhian fixed it.")
    action = services.publish_summary(
        actor=people["manager"], action=action, you_said="Payments failed.", we_did="We test every browser."
    )
    assert action.publication == "approved"


def test_a_response_letter_quotes_the_learning_and_agreed_actions(make_complaint, people, tree, cause):
    complaint = make_complaint()
    complaint_services.transition(actor=people["handler"], complaint=complaint, name="start_early_resolution")
    services.save_learning_record(
        actor=people["handler"], complaint=complaint, what_went_wrong="The payment page failed on some browsers.",
        root_cause=cause,
    )  # fmt: skip
    action = _action(people, tree, complaints=[complaint])
    services.transition_action(actor=people["leader"], action=action, name="agree")
    response = complaint_services.save_response(
        actor=people["handler"], complaint=complaint, outcome="upheld", what_will_happen="We will fix things."
    )
    assert "what_will_happen" in response_problems(response)  # agreed actions must be told
    response = services.quote_learning_in_response(actor=people["handler"], complaint=complaint)
    assert "What we have learned: The payment page failed" in response.what_will_happen
    assert "What we will change by 30 June 2026: Add browser testing" in response.what_will_happen
    assert "what_will_happen" not in response_problems(response)
