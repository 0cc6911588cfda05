"""A message whose worker died mid-send is not sent twice through GOV.UK Notify (fast, in-process half of
`test_no_lost_complaints.test_a_worker_killed_after_notify_accepted_does_not_send_twice`)."""

import datetime

import pytest
from django.utils import timezone

from candour.notifications import services
from candour.notifications.models import Message, Status

pytestmark = pytest.mark.django_db


def _died_while_sending(message: Message) -> None:
    """What a SIGKILLed worker leaves behind once the lease has expired."""
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING, attempts=1, next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def _queue(key: str) -> Message:
    return services.queue_email(
        to="person@example.com", template="generic", context={"subject": "Hello", "paragraphs": ["Hi"]},
        idempotency_key=key,
    )  # fmt: skip


def test_notify_already_had_it_so_it_is_recorded_not_resent(notify_stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue("faults:lease:accepted")
    accepted_id = services._send_via_notify(message)  # accepted by Notify; the worker then died
    _died_while_sending(message)

    assert services.send_message(message.pk) == "sent"

    assert len(notify_stub.sent) == 1
    message.refresh_from_db()
    assert (message.status, message.provider_reference, message.attempts) == (Status.SENT, accepted_id, 2)


def test_notify_never_got_it_so_it_is_sent(notify_stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue("faults:lease:lost")
    _died_while_sending(message)

    assert services.send_message(message.pk) == "sent"

    assert [r.body["reference"] for r in notify_stub.sent] == ["faults:lease:lost"]


def test_a_first_attempt_does_not_ask_notify(notify_stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue("faults:lease:first")
    assert services.send_message(message.pk) == "sent"
    assert [r.method for r in notify_stub.requests] == ["POST"]


def test_if_notify_cannot_be_asked_the_message_waits_for_a_retry(notify_stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = _queue("faults:lease:down")
    _died_while_sending(message)
    notify_stub.fail_next(1, status=500)

    with django_capture_on_commit_callbacks(execute=False):
        assert services.send_message(message.pk) == "failed, will retry"

    assert notify_stub.sent == []
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.next_attempt_at is not None
