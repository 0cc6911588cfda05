"""On PostgreSQL, a GIN index over the search text's tsvector, so queue search stays fast at volume.

The expression matches what `candour.complaints.queue.search` asks for
(`SearchVector("search_text", config="english")`), which is what lets PostgreSQL use it. SQLite has no
equivalent; there search falls back to `icontains` per word.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS complaint_search_text_gin ON complaints_complaint
    USING GIN (to_tsvector('english'::regconfig, COALESCE(search_text, '')));
"""

DROP = "DROP INDEX IF EXISTS complaint_search_text_gin;"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
