"""Daily: record reminders for required training that is about to expire, overdue or never completed."""

from django.utils import timezone

from candour.scheduling import DAILY, sweep


@sweep("people.training_reminders", every=DAILY)
def training_reminders():
    from candour.people.services import record_training_reminders

    counts = record_training_reminders(timezone.localdate())
    return f"{counts['expiring']} expiring, {counts['overdue']} overdue, {counts['missing']} not completed"
