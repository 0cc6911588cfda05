from django.db import migrations

DEFAULTS = [
    "Policy",
    "Process",
    "Communication",
    "Staff knowledge or training",
    "IT system",
    "Resourcing",
    "Third-party provider",
    "Other",
]


def add_defaults(apps, schema_editor):
    RootCause = apps.get_model("learning", "RootCause")
    for name in DEFAULTS:
        if not RootCause.objects.filter(organisation__isnull=True, name=name).exists():
            RootCause.objects.create(organisation=None, name=name)


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
