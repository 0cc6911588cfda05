"""Survey answers carry their response's kind, organisation and time (ADR 10).

Existing rows are filled from their responses. On PostgreSQL a covering index on (organisation, kind, time)
lets the dashboards' and parent view's statement figures read a year's answers by an index-only range scan
instead of scanning every answer and joining their responses.
"""

import django.db.models.deletion
from django.db import migrations, models

from candour.core.migration_ops import postgresql_only, run_sql_everywhere

FILL = (
    "UPDATE feedback_answer SET kind = r.kind, organisation_id = r.organisation_id, submitted_at = r.submitted_at "
    "FROM feedback_surveyresponse r WHERE r.id = feedback_answer.response_id"
)
POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS feedback_answer_org_kind_submitted ON feedback_answer "
    "(organisation_id, kind, submitted_at) INCLUDE (statement, section, score, response_id)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS feedback_answer_org_kind_submitted"]


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_expectations_per_organisation"),
        ("organisations", "0002_servicearea"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="kind",
            field=models.CharField(
                blank=True,
                choices=[("complainant", "Complainant"), ("colleague", "Colleague")],
                editable=False,
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="submitted_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        run_sql_everywhere(FILL),
        postgresql_only(POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
