"""Backup and restore: a backup taken while Candour runs restores to exactly the data it was taken from.

Runs on whichever database the suite uses (SQLite, or PostgreSQL when DATABASE_URL names one). The restore
goes into a scratch database (a file, or a PostgreSQL database named test_rel_...), never over the test
database, and every table is compared by row count and checksum.
"""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
import uuid
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from candour.complaints import services as complaint_services
from candour.complaints.models import Complaint
from candour.privacy.tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)


def table_checksums(raw, tables) -> dict[str, tuple[int, str]]:
    """(row count, SHA-256 of the sorted rows) per table, read through a DB-API connection."""
    sums = {}
    cursor = raw.cursor()
    for table in sorted(tables):
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the database's own catalogue
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        sums[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return sums


def _server() -> dict:
    params = connection.settings_dict
    return {
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
    }


def live_checksums():
    """Read the live database through a plain driver connection, as the scratch database is read (Django's own
    connection converts types, which would make equal rows look different)."""
    connection.ensure_connection()
    tables = connection.introspection.table_names()
    if connection.vendor == "sqlite":
        raw = sqlite3.connect(":memory:")
        connection.connection.backup(raw)
    else:
        import psycopg

        raw = psycopg.connect(dbname=connection.settings_dict["NAME"], **_server())
    try:
        return table_checksums(raw, tables)
    finally:
        raw.close()


@contextmanager
def scratch_database(tmp_path):
    """Yield (target for `restore --target`, a function opening a DB-API connection to it)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "scratch.sqlite3"
        yield str(path), lambda: sqlite3.connect(path)
        return
    import psycopg

    server = _server()
    name = f"test_rel_scratch_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, lambda: psycopg.connect(dbname=name, **server)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def data(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    first = make.responded(
        make.complaint(tree["agency"], received_on=datetime.date(2025, 2, 3)),
        on=datetime.date(2025, 2, 10),
        remedy_amount="12.34",
        close_on=datetime.date(2025, 2, 11),
    )
    second = make.complaint(tree["sibling"], received_on=datetime.date(2025, 3, 3), channel="letter")
    return {"first": first, "second": second}


def test_a_backup_restores_to_identical_tables(data, tree, tmp_path):
    before = live_checksums()
    assert before["complaints_complaint"][0] == 2 and before["audit_auditevent"][0] > 10
    backup = tmp_path / "candour.backup"
    call_command("backup", str(backup))
    assert backup.stat().st_size > 0 and backup.stat().st_mode & 0o077 == 0

    # Life goes on after the backup: changes, new rows, deletions.
    complaint_services.update_details(actor=None, complaint=data["second"], complainant_name="Changed")
    make.complaint(tree["agency"], received_on=datetime.date(2025, 4, 1), points=0)
    Complaint.objects.get(pk=data["second"].pk).points.all().delete()
    changed = live_checksums()
    assert changed["complaints_complaint"] != before["complaints_complaint"]
    assert changed["complaints_pointofcomplaint"][0] < before["complaints_pointofcomplaint"][0]

    with scratch_database(tmp_path) as (target, connect):
        call_command("restore", str(backup), "--target", target, "--no-input")
        restored = connect()
        try:
            after = table_checksums(restored, before)
        finally:
            restored.close()
    assert after == before


def test_backup_refuses_to_overwrite_and_restore_refuses_a_missing_file(data, tmp_path):
    existing = tmp_path / "exists.backup"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing))
    assert existing.read_text() == "keep me"
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--no-input")
