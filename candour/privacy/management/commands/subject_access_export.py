"""manage.py subject_access_export --email X [--name Y] --out file.zip"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from candour.privacy.services import subject_access_export


class Command(BaseCommand):
    help = "Write a ZIP of every complaint record held about a person (JSON, a PDF summary and their files)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="the person's e-mail address")
        parser.add_argument("--name", default="", help="also match by name (complainant or person affected)")
        parser.add_argument("--out", required=True, help="where to write the ZIP file")

    def handle(self, *args, email, name, out, **options):
        if not email.strip():
            raise CommandError("Give the person's e-mail address with --email.")
        data, count = subject_access_export(actor=None, email=email, name=name)
        path = Path(out)
        path.write_bytes(data)
        path.chmod(0o600)
        self.stdout.write(f"Wrote {count} complaint record(s) to {path}")
