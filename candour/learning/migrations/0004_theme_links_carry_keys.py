"""A learning record's themes carry the record's organisation and complaint received date (ADR 10).

The link table Django made for the plain many-to-many becomes the model `LearningRecordTheme` (same table, same
columns and constraints: only Django's state changes), gains the two copied keys, filled from the records, and on
PostgreSQL a covering index, so complaints per theme per month are an index-only range scan instead of a hash join
of every link to its record (~130 ms of the parent-department view at 1,000,000 complaints).
"""

import django.db.models.deletion
from django.db import migrations, models

from candour.core.migration_ops import postgresql_only, run_sql_everywhere

FILL = (
    "UPDATE learning_learningrecord_themes SET organisation_id = r.organisation_id, "
    "complaint_received_on = r.complaint_received_on "
    "FROM learning_learningrecord r WHERE r.id = learning_learningrecord_themes.learningrecord_id"
)
POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS learning_theme_link_org_received ON learning_learningrecord_themes "
    "(organisation_id, complaint_received_on) INCLUDE (theme_id, learningrecord_id)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS learning_theme_link_org_received"]


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_keys_for_trends"),
        ("organisations", "0002_servicearea"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LearningRecordTheme",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "learningrecord",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="learning.learningrecord"
                            ),
                        ),
                        (
                            "theme",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="learning.theme"),
                        ),
                    ],
                    options={
                        "db_table": "learning_learningrecord_themes",
                        "unique_together": {("learningrecord", "theme")},
                    },
                ),
                migrations.AlterField(
                    model_name="learningrecord",
                    name="themes",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="learning_records",
                        through="learning.LearningRecordTheme",
                        to="learning.theme",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="learningrecordtheme",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddField(
            model_name="learningrecordtheme",
            name="complaint_received_on",
            field=models.DateField(null=True),
        ),
        run_sql_everywhere(FILL),
        migrations.AlterField(
            model_name="learningrecordtheme",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="learningrecordtheme",
            name="complaint_received_on",
            field=models.DateField(),
        ),
        postgresql_only(POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
