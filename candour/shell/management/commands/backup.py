"""manage.py backup OUT: a consistent copy of the database while Candour keeps running.

SQLite: SQLite's online backup (`sqlite3.Connection.backup`), a complete database file.
PostgreSQL: `pg_dump -Fc --no-owner` (custom format), restored with `manage.py restore`.
Uploaded files ($CANDOUR_MEDIA_ROOT) are not in the database: back them up alongside (docs/deployment.md).
"""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from candour.shell.management.commands._database import pg_environment, require, vendor


class Command(BaseCommand):
    help = "Back up the database to OUT (SQLite: a database file; PostgreSQL: a pg_dump custom-format file)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the file to write")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, out, database, **options):
        path = Path(out)
        if path.exists():
            raise CommandError(f"{path} already exists: choose a new file name.")
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = vendor(database)
        if kind == "sqlite":
            connection = connections[database]
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                with target:
                    connection.connection.backup(target)
            finally:
                target.close()
            check = sqlite3.connect(path)
            try:
                result = check.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                check.close()
            if result != "ok":
                raise CommandError(f"The backup failed its integrity check: {result}")
        elif kind == "postgresql":
            args, env = pg_environment(database)
            result = subprocess.run(
                [require("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                path.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"Backups of {kind} databases are not supported.")
        path.chmod(0o600)
        self.stdout.write(f"Backed up the {kind} database to {path} ({path.stat().st_size} bytes)")
