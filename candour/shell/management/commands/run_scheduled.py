from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from candour.scheduling import REGISTRY
from candour.shell.models import SweepRun


class Command(BaseCommand):
    help = "Run the periodic sweeps that are due (reminders, escalations, retention). Safe to run often."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run every sweep now, due or not.")
        parser.add_argument("--only", action="append", default=[], help="Run only this sweep (repeatable).")
        parser.add_argument("--list", action="store_true", help="List the registered sweeps and stop.")

    def handle(self, *args, force=False, only=(), list=False, **options):
        if list:
            for sweep in REGISTRY.values():
                self.stdout.write(f"{sweep.name}: every {sweep.every}")
            return
        now = timezone.now()
        for name, sweep in sorted(REGISTRY.items()):
            if only and name not in only:
                continue
            with transaction.atomic():
                run, created = SweepRun.objects.select_for_update().get_or_create(
                    name=name, defaults={"last_started_at": now}
                )
                if not (created or force or run.last_started_at + sweep.every <= now):
                    continue
                run.last_started_at = now
                run.save(update_fields=["last_started_at"])
            result = sweep.function()
            SweepRun.objects.filter(pk=run.pk).update(last_finished_at=timezone.now(), last_result=str(result)[:1000])
            self.stdout.write(f"{name}: {result}")
