"""A worker killed part-way leaves its task row RUNNING; the sweep closes rows stale for over an hour."""

import datetime

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from candour.notifications.sweeps import fail_stale_task_results


def _row(status, started_minutes_ago):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="candour.notifications.tasks.send_message",
        backend_name="default",
        run_after=now,
        started_at=now - datetime.timedelta(minutes=started_minutes_ago) if started_minutes_ago is not None else None,
        worker_ids=["killed-worker"],
    )


def test_a_task_left_running_by_a_lost_worker_is_marked_failed_and_others_are_left_alone(db):
    stale = _row(TaskResultStatus.RUNNING, 90)
    running_now = _row(TaskResultStatus.RUNNING, 5)
    waiting = _row(TaskResultStatus.READY, None)

    assert fail_stale_task_results() == "1 task(s) left running by a lost worker marked failed"

    stale.refresh_from_db()
    assert stale.status == TaskResultStatus.FAILED
    assert stale.finished_at is not None
    assert "stopped without finishing" in stale.traceback
    assert DBTaskResult.objects.get(pk=running_now.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=waiting.pk).status == TaskResultStatus.READY
    # A second run finds nothing more to close.
    assert fail_stale_task_results().startswith("0 task(s)")
