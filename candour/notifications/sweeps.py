import datetime

from candour.notifications import services
from candour.scheduling import sweep


@sweep("notifications.retry", every=datetime.timedelta(minutes=1))
def retry_failed_messages():
    return f"{services.retry_failed_messages()} message(s) enqueued"


# A task row is RUNNING while a worker runs it; a worker killed part-way (SIGKILL, OOM, host loss) leaves the row
# RUNNING for ever. The work itself is safe (the message's lease expires and the retry sweep sends it again);
# this closes the stale row so the queue's state is true and prune_db_task_results can remove it.
STALE_TASK_AFTER = datetime.timedelta(hours=1)


@sweep("notifications.stale_task_results", every=datetime.timedelta(hours=1))
def fail_stale_task_results():
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    closed = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - STALE_TASK_AFTER
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="candour.notifications.sweeps.WorkerLost",
        traceback=f"The worker stopped without finishing (running for more than {STALE_TASK_AFTER}).",
    )
    return f"{closed} task(s) left running by a lost worker marked failed"
