from django.db import models


class SweepRun(models.Model):
    """When each periodic sweep last ran, so `run_scheduled` runs each only when it is due."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField()
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
