"""UK GDPR: how long each organisation keeps complainants' personal data."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_ANONYMISE_AFTER_YEARS = 6


class RetentionPolicy(models.Model):
    """Personal data in a complaint is anonymised this many years after the complaint was closed (or, if it was
    resolved or answered but never formally closed, after its last response: `services.retention_starts_on`).

    Organisations without a row use the default (6 years). Anonymising, not deleting, keeps the statistics.
    """

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="retention_policy"
    )
    anonymise_after_years = models.PositiveSmallIntegerField(
        default=DEFAULT_ANONYMISE_AFTER_YEARS, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.organisation}: anonymise {self.anonymise_after_years} years after closure"
