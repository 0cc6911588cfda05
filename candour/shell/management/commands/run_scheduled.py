from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from candour import scheduling
from candour.shell.models import SweepRun


class Command(BaseCommand):
    help = "Run the periodic sweeps that are due (reminders, escalations, retention). Safe to run often."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run every sweep now, due or not.")
        parser.add_argument("--only", action="append", default=[], help="Run only this sweep (repeatable).")
        parser.add_argument("--list", action="store_true", help="List the registered sweeps and stop.")

    def handle(self, *args, force=False, only=(), list=False, **options):
        if list:
            for sweep in scheduling.REGISTRY.values():
                self.stdout.write(f"{sweep.name}: every {sweep.every}")
            return
        now = timezone.now()
        failures = []
        for name, sweep in sorted(scheduling.REGISTRY.items()):
            if only and name not in only:
                continue
            with transaction.atomic():
                run, created = SweepRun.objects.select_for_update().get_or_create(
                    name=name, defaults={"last_started_at": now}
                )
                if not (created or force or run.last_started_at + sweep.every <= now):
                    continue
                previous_start = None if created else run.last_started_at
                run.last_started_at = now
                run.save(update_fields=["last_started_at"])
            try:
                result = sweep.function()
            except Exception as error:  # one failing sweep must not stop the others
                failures.append(name)
                # Put the clock back so the sweep is tried again on the next run, not a whole period later.
                SweepRun.objects.filter(pk=run.pk).update(
                    last_started_at=previous_start or now - sweep.every, last_result=f"failed: {error!r}"[:1000]
                )
                self.stderr.write(f"{name}: failed: {error!r}")
                continue
            SweepRun.objects.filter(pk=run.pk).update(last_finished_at=timezone.now(), last_result=str(result)[:1000])
            self.stdout.write(f"{name}: {result}")
        if failures:
            raise CommandError(f"Sweeps failed: {', '.join(failures)}")
