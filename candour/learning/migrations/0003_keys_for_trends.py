"""Learning records carry their complaint's received date (ADR 10).

Existing rows are filled from their complaints. On PostgreSQL a covering index on (organisation, received date)
lets trends by month received (themes, root causes) and the annual report read a year's records by an
index-only range scan instead of joining a million complaints.
"""

from django.db import migrations, models

from candour.core.migration_ops import postgresql_only, run_sql_everywhere

FILL = (
    "UPDATE learning_learningrecord SET complaint_received_on = c.received_on "
    "FROM complaints_complaint c WHERE c.id = learning_learningrecord.complaint_id"
)
POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS learning_record_org_received ON learning_learningrecord "
    "(organisation_id, complaint_received_on) INCLUDE (id, complaint_id, root_cause_id)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS learning_record_org_received"]


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_default_root_causes"),
        ("complaints", "0005_complaint_keys_on_responses_and_remedies"),
    ]

    operations = [
        migrations.AddField(
            model_name="learningrecord",
            name="complaint_received_on",
            field=models.DateField(editable=False, null=True),
        ),
        run_sql_everywhere(FILL),
        postgresql_only(POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
