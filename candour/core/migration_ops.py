"""Operations shared by migrations: fill copied columns, and build or drop PostgreSQL-only indexes."""

from __future__ import annotations

from django.db import migrations


def run_sql_everywhere(*statements: str) -> migrations.RunPython:
    """Portable SQL (UPDATE ... FROM runs on PostgreSQL and SQLite >= 3.33); nothing to undo."""

    def run(apps, schema_editor):
        for sql in statements:
            schema_editor.execute(sql, params=None)
        if schema_editor.connection.vendor == "postgresql":
            # The filled rows queue deferred foreign-key checks; PostgreSQL refuses DDL on a table with pending
            # trigger events (a later NOT NULL or index in the same migration): run the checks now.
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)

    return migrations.RunPython(run, migrations.RunPython.noop)


def postgresql_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """Index statements for PostgreSQL (SQLite databases are small and skip them). A fill before them in the same
    migration must be `run_sql_everywhere`, which leaves no deferred checks pending."""

    def runner(statements):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for sql in statements:
                schema_editor.execute(sql, params=None)

        return run

    return migrations.RunPython(runner(forward), runner(backward))
