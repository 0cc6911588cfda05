from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A colleague who signs in. Members of the public never have an account."""

    job_title = models.CharField(max_length=200, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
