"""Indexes the benchmark's EXPLAIN plans asked for (docs/performance.md).

- Outcomes per stage read only issued responses' (complaint, stage, outcome): a covering partial index lets
  PostgreSQL answer from the index instead of scanning the wide response table (the parent-department view).
- The annual report selects complaints responded to in the year: index both response dates.
"""

from django.db import migrations

POSTGRES = [
    (
        "CREATE INDEX IF NOT EXISTS complaint_response_issued_cover ON complaints_response (complaint_id) "
        "INCLUDE (stage, outcome, issued_on) WHERE status = 'issued'",
        "DROP INDEX IF EXISTS complaint_response_issued_cover",
    ),
]
EVERYWHERE = [
    (
        "CREATE INDEX IF NOT EXISTS complaint_stage1_responded ON complaints_complaint (organisation_id, stage1_responded_on)",
        "DROP INDEX IF EXISTS complaint_stage1_responded",
    ),
    (
        "CREATE INDEX IF NOT EXISTS complaint_stage2_responded ON complaints_complaint (organisation_id, stage2_responded_on)",
        "DROP INDEX IF EXISTS complaint_stage2_responded",
    ),
]


def create(apps, schema_editor):
    statements = EVERYWHERE + (POSTGRES if schema_editor.connection.vendor == "postgresql" else [])
    for sql, _reverse in statements:
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    statements = EVERYWHERE + (POSTGRES if schema_editor.connection.vendor == "postgresql" else [])
    for _sql, reverse in statements:
        schema_editor.execute(reverse, params=None)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_search_gin_index")]

    operations = [migrations.RunPython(create, drop)]
