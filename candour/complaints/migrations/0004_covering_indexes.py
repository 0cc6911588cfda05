"""Covering indexes for the dashboards' and reports' aggregates at a million complaints (docs/performance.md).

At 1,000,000 complaints an organisation's year (about 32,000 complaints for the busiest) was read through the
`received_on` index with every row fetched from the wide complaint table: about 300 ms for each of the six
aggregate queries of a dashboard. With the cohort's key and the columns those queries read in one index,
PostgreSQL answers them by an index-only scan (about 20 ms each). The row id is included because the ORM
counts "id". Responses and remedies get theirs in 0005.
PostgreSQL only: INCLUDE is PostgreSQL syntax and SQLite databases are small.
"""

from django.db import migrations

from candour.core.migration_ops import postgresql_only

COHORT_COLUMNS = (
    "id, channel, service_area_id, status, stage, triage, outcome, acknowledged_on, acknowledgement_due, clock_stopped, "
    "escalated_to_stage2, response_due, stage1_due, stage1_extended, stage1_responded_on, stage1_started_on, "
    "stage1_working_days, stage2_due, stage2_extended, stage2_responded_on, stage2_started_on, stage2_working_days"
)
FORWARD = [
    f"CREATE INDEX IF NOT EXISTS complaint_cohort ON complaints_complaint (organisation_id, received_on) "
    f"INCLUDE ({COHORT_COLUMNS})",
]
BACKWARD = ["DROP INDEX IF EXISTS complaint_cohort"]


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_reporting_indexes")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
