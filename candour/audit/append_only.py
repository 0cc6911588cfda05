"""Append-only records: logs whose rows are written once and never changed or deleted through the app.

Used by the audit trail's neighbours — the complaint lifecycle's transition log and the improvement actions'
status log — so the rule is written once.
"""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("This log cannot be changed.")

    def delete(self):
        raise PermissionError("This log cannot be deleted.")


class AppendOnlyModel(models.Model):
    """Abstract base: saving an existing row or deleting one raises PermissionError."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A recorded entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A recorded entry cannot be deleted.")
