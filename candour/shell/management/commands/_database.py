"""What backup and restore need to know about the database: its engine and, for PostgreSQL, how to reach it."""

from __future__ import annotations

import os
import shutil

from django.core.management.base import CommandError
from django.db import connections


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def pg_environment(alias: str = "default", database: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore from the DATABASE_URL parts (the password via PGPASSWORD,
    so it never appears in the process list)."""
    settings = connections[alias].settings_dict
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    args += ["--dbname", database or settings["NAME"]]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise CommandError(f"{program} is not installed: install the PostgreSQL client of the server's major version.")
    return path
