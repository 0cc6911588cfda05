"""Queueing and sending: after commit only, once only, through GOV.UK Notify or Django e-mail, with retries."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from candour.audit.models import AuditEvent
from candour.notifications import services
from candour.notifications.models import MAX_ATTEMPTS, Message, Provider, Status
from candour.notifications.selectors import messages_about
from candour.notifications.tasks import send_message

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def queue(key="complaint:1:acknowledgement", to="sian@example.com", template="acknowledgement", **kwargs):
    context = kwargs.pop(
        "context",
        {
            "reference": "CMP-2025-000123",
            "organisation_name": "Agency",
            "due_date": datetime.date(2025, 3, 7),
            "name": "Siân Jones",
        },
    )
    return services.queue_email(to=to, template=template, context=context, idempotency_key=key, **kwargs)


def make_due(message):
    """Time passes: the message's next retry is now due."""
    Message.objects.filter(pk=message.pk, next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def run_retry_sweep():
    """What cron does: `manage.py run_scheduled` runs the registered sweep. Returns what the sweep reported."""
    out = StringIO()
    call_command("run_scheduled", "--only", "notifications.retry", "--force", stdout=out)
    return out.getvalue().strip().removeprefix("notifications.retry: ")


# -- Django e-mail (no Notify key) ---------------------------------------------------------------------


def test_sends_by_email_with_text_and_html_when_there_is_no_notify_key(
    mailoutbox, django_capture_on_commit_callbacks, tree
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(organisation=tree["agency"], obj=tree["agency"], language="cy")
        assert mailoutbox == []  # nothing leaves before the caller's transaction commits

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["sian@example.com"]
    assert email.subject == "Rydym wedi cael eich cwyn: cyfeirnod CMP-2025-000123"
    assert "Annwyl Siân Jones," in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="cy">' in html
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider == Provider.EMAIL
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.next_attempt_at is None
    assert message.provider_reference == email.extra_headers["Message-ID"]
    assert message.organisation == tree["agency"]
    assert list(messages_about(tree["agency"])) == [message]


def test_audit_records_queue_and_send_without_personal_data(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()

    events = AuditEvent.objects.filter(object_type="notifications.message", object_id=str(message.pk))
    assert sorted(events.values_list("verb", flat=True)) == ["notification queued", "notification sent"]
    for event in events:
        text = f"{event.summary} {event.changes}"
        assert "acknowledgement" in event.summary and str(message.pk) in event.summary
        assert "sian@example.com" not in text
        assert "Siân" not in text
        assert "CMP-2025-000123" not in text
        assert event.actor_label == "system"


def test_the_same_idempotency_key_sends_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue()
        second = queue(to="someone-else@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        third = queue()

    assert first.pk == second.pk == third.pk
    assert Message.objects.count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sian@example.com"]
    assert AuditEvent.objects.filter(verb="notification queued").count() == 1


def test_a_rolled_back_transaction_stores_and_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    class Abandoned(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Abandoned), transaction.atomic():
            queue()
            raise Abandoned

    assert callbacks == []
    assert Message.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_sending_waits_for_a_real_commit(mailoutbox):
    with transaction.atomic():
        queue()
        assert mailoutbox == []
    assert len(mailoutbox) == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        queue(key="complaint:2:acknowledgement")
        raise RuntimeError
    assert len(mailoutbox) == 1
    assert not Message.objects.filter(idempotency_key="complaint:2:acknowledgement").exists()


def test_bad_input_from_the_caller_is_refused_before_anything_is_stored():
    with pytest.raises(ValidationError):
        queue(to="not-an-address")
    with pytest.raises(ValueError, match="idempotency_key"):
        queue(key="")
    assert Message.objects.count() == 0


def test_an_email_failure_is_recorded_and_retried(mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()  # does not raise into the caller

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert not message.gave_up

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(message)
    run_retry_sweep()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 2
    assert len(mailoutbox) == 1


# -- GOV.UK Notify ---------------------------------------------------------------------------------------


def test_sends_through_notify_with_a_signed_request(notify_stub, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()

    assert mailoutbox == []
    [request] = notify_stub.sent
    assert request.path == "/v2/notifications/email"
    assert request.headers["authorization"].startswith("Bearer ")
    assert request.claims["iss"] == notify_stub.service_id
    assert abs(request.claims["iat"] - timezone.now().timestamp()) < 30
    message.refresh_from_db()
    assert request.body == {
        "email_address": "sian@example.com",
        "template_id": notify_stub.template_id,
        "personalisation": {"subject": message.subject, "body": message.body_text},
        "reference": "complaint:1:acknowledgement",
    }
    assert message.subject == "We have received your complaint: reference CMP-2025-000123"
    assert message.status == Status.SENT
    assert message.provider == Provider.NOTIFY
    assert message.provider_reference == request.response["id"]


def test_notify_failures_are_retried_with_backoff_until_sent(notify_stub, django_capture_on_commit_callbacks):
    notify_stub.fail_next(2, status=500)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert message.last_error.startswith("HTTPError: 500")
    first_wait = message.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < first_wait <= datetime.timedelta(minutes=1)

    run_retry_sweep()  # not due yet: nothing is sent
    assert len(notify_stub.requests) == 1

    make_due(message)
    run_retry_sweep()
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.status == Status.FAILED
    assert message.next_attempt_at - timezone.now() > datetime.timedelta(minutes=4)  # backing off

    make_due(message)
    run_retry_sweep()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 3
    assert [r.status for r in notify_stub.requests] == [500, 500, 201]
    assert len(notify_stub.sent) == 1
    verbs = AuditEvent.objects.filter(object_id=str(message.pk), object_type="notifications.message")
    assert sorted(verbs.values_list("verb", flat=True)) == [
        "notification failed",
        "notification failed",
        "notification queued",
        "notification sent",
    ]


def test_sending_gives_up_after_the_last_attempt_but_keeps_the_message(notify_stub, django_capture_on_commit_callbacks):
    notify_stub.fail_next(10, status=503)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    for _ in range(MAX_ATTEMPTS + 2):
        make_due(message)
        run_retry_sweep()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert message.gave_up
    assert len(notify_stub.requests) == MAX_ATTEMPTS
    assert notify_stub.sent == []


def test_a_request_notify_refuses_is_not_retried(notify_stub, django_capture_on_commit_callbacks):
    notify_stub.fail_next(1, status=400)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.gave_up
    assert "400" in message.last_error
    run_retry_sweep()
    assert len(notify_stub.requests) == 1


def test_notify_being_unreachable_never_raises_into_the_caller(settings, django_capture_on_commit_callbacks):
    service_id, secret = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
    settings.GOVUK_NOTIFY_API_KEY = f"candour-{service_id}-{secret}"
    settings.GOVUK_NOTIFY_BASE_URL = "http://127.0.0.1:9"
    settings.GOVUK_NOTIFY_EMAIL_TEMPLATE_ID = "33333333-3333-3333-3333-333333333333"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.provider == Provider.NOTIFY
    assert not message.gave_up


def test_a_sent_message_is_never_sent_again(notify_stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()

    assert send_message.call(message.pk) == "skipped"
    make_due(message)
    run_retry_sweep()
    assert len(notify_stub.sent) == 1


# -- The database task queue -----------------------------------------------------------------------------


# The worker closes database connections between tasks, so these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_sends_it(settings, mailoutbox):
    settings.TASKS = DB_TASKS
    message = queue()

    assert DBTaskResult.objects.count() == 1
    assert mailoutbox == []
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_retry_is_deferred_by_the_backoff(settings, notify_stub):
    settings.TASKS = DB_TASKS
    notify_stub.fail_next(1, status=500)
    message = queue()
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")

    message.refresh_from_db()
    assert message.status == Status.FAILED
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after == message.next_attempt_at


def test_a_lost_task_is_picked_up_by_the_sweep(settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the queue loses it
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    assert mailoutbox == []

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    run_retry_sweep()
    assert mailoutbox == []  # not yet stale

    make_due(message)
    assert run_retry_sweep() == "1 message(s) enqueued"
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mailoutbox) == 1
