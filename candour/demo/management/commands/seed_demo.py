from django.core.management.base import BaseCommand

from candour.demo.data import DEMO_PASSWORD, PEOPLE, build


class Command(BaseCommand):
    help = "Build the demo organisations, colleagues and complaints. Safe to run again: it adds only what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=int, default=2000, help="How many demo complaints (first run only).")

    def handle(self, *args, complaints=2000, **options):
        build(out=self.stdout, complaints=complaints)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/staff/ with any of these usernames:")
        for username, _first, _last, org_slug, roles in PEOPLE:
            self.stdout.write(f"  {username:<20} {', '.join(str(r.label) for r in roles)} ({org_slug.upper()})")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
