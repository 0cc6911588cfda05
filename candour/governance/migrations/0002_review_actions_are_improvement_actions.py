"""Governance review actions become learning improvement actions (issue 6).

Each existing review action gets the ImprovementAction it stands for (its organisation, description, accountable
owner as senior owner, due date; done if it was marked done), linked one to one. The review action's own status
goes: the improvement action's status is the only one, moved through learning's status machine.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_existing(apps, schema_editor):
    ReviewAction = apps.get_model("governance", "ReviewAction")
    ImprovementAction = apps.get_model("learning", "ImprovementAction")
    ActionStatusLog = apps.get_model("learning", "ActionStatusLog")
    for action in ReviewAction.objects.filter(improvement_action__isnull=True).select_related("review"):
        done = action.status == "done"
        improvement = ImprovementAction.objects.create(
            organisation_id=action.review.organisation_id,
            description=action.description,
            senior_owner_id=action.owner_id,
            due_date=action.due_on,
            status="done" if done else "proposed",
            done_on=action.completed_on if done else None,
        )
        ActionStatusLog.objects.create(
            action=improvement,
            transition="complete" if done else "propose",
            from_status="proposed",
            to_status=improvement.status,
            actor_label="system",
            reason="Carried over from a governance review action",
        )
        action.improvement_action = improvement
        action.save(update_fields=["improvement_action"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("learning", "0002_default_root_causes"),
    ]

    operations = [
        migrations.RemoveField(model_name="reviewaction", name="improvement_action_id"),
        migrations.AddField(
            model_name="reviewaction",
            name="improvement_action",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="governance_review_action",
                to="learning.improvementaction",
            ),
        ),
        migrations.RunPython(link_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reviewaction",
            name="improvement_action",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="governance_review_action",
                to="learning.improvementaction",
            ),
        ),
        migrations.RemoveField(model_name="reviewaction", name="completed_on"),
        migrations.RemoveField(model_name="reviewaction", name="status"),
    ]
