"""manage.py restore IN: replace a database with a backup made by `manage.py backup`.

Stop the web, worker and cron first (docs/deployment.md). `--target` restores somewhere else instead: a
SQLite file path, or the name of an existing PostgreSQL database on the same server (to prove a backup works
without touching the live data).
"""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from candour.shell.management.commands._database import pg_environment, require, vendor


class Command(BaseCommand):
    help = "Restore the database (or --target) from a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup file")
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument("--target", help="restore into this SQLite file or PostgreSQL database instead")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive")

    def handle(self, *args, backup, database, target, interactive, **options):
        source = Path(backup)
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        kind = vendor(database)
        where = target or "the live database"
        if interactive and input(f"This replaces everything in {where}. Type 'yes' to continue: ") != "yes":
            raise CommandError("Restore cancelled.")
        if kind == "sqlite":
            self._sqlite(source, database, target)
        elif kind == "postgresql":
            self._postgresql(source, database, target)
        else:
            raise CommandError(f"Restoring {kind} databases is not supported.")
        self.stdout.write(f"Restored {where} from {source}")

    def _sqlite(self, source: Path, database: str, target: str | None):
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise CommandError(f"{source} is not a sound SQLite database.")
            if target:
                destination = sqlite3.connect(target)
                try:
                    backup.backup(destination)
                finally:
                    destination.close()
            else:
                connection = connections[database]
                connection.ensure_connection()
                backup.backup(connection.connection)
        finally:
            backup.close()

    def _postgresql(self, source: Path, database: str, target: str | None):
        if not target:
            connections[database].close()
        args, env = pg_environment(database, target)
        result = subprocess.run(
            [require("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error", *args, str(source)],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
