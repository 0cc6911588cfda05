"""On PostgreSQL the database itself refuses to change or delete an audit event.

(SQLite has no equivalent that survives the test runner's table flushes; there the model and the
admin refuse, and PostgreSQL is the production database.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION candour_audit_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or deleted (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_auditevent_immutable
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION candour_audit_event_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_immutable ON audit_auditevent;
DROP FUNCTION IF EXISTS candour_audit_event_immutable();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
