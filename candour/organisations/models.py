"""Organisations as a tree, their nations, complaint timescales and closure days, and who works where.

A department sits at the top; its related organisations (executive agencies, non-departmental public
bodies, other arm's-length bodies) hang beneath it, and each has directorates and teams. `path` is a
materialised path ("/1/4/9/") so a subtree is one indexed prefix query, whatever its depth.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candour.organisations.roles import Role


class Kind(models.TextChoices):
    DEPARTMENT = "department", _("Ministerial department")
    EXECUTIVE_AGENCY = "executive_agency", _("Executive agency")
    NDPB = "ndpb", _("Non-departmental public body")
    OTHER_ALB = "other_alb", _("Other arm's-length body")
    DIRECTORATE = "directorate", _("Directorate")
    TEAM = "team", _("Team")


# Kinds that are organisations in their own right (they can receive complaints and publish reports);
# directorates and teams are parts of one.
BODY_KINDS = {Kind.DEPARTMENT, Kind.EXECUTIVE_AGENCY, Kind.NDPB, Kind.OTHER_ALB}
BODY_KIND_VALUES = sorted(k.value for k in BODY_KINDS)


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")


class Organisation(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    name_cy = models.CharField(_("Welsh name"), max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    welsh_language_service = models.BooleanField(
        default=False, help_text=_("Offers complainants a Welsh-language service.")
    )
    accepts_complaints = models.BooleanField(default=False)
    allows_anonymous_complaints = models.BooleanField(default=True)
    # Timescales in working days (defaults from the Complaint Standards; each organisation may change them).
    acknowledge_days = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    stage1_response_days = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    stage2_response_days = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepts_complaints=False) | Q(kind__in=BODY_KIND_VALUES),
                name="org_only_bodies_accept_complaints",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind__in=BODY_KIND_VALUES),
                name="org_parts_have_a_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_body(self) -> bool:
        return self.kind in BODY_KINDS

    def display_name(self, language: str = "en") -> str:
        return self.name_cy if language == "cy" and self.name_cy else self.name

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class ClosureDay(models.Model):
    """A day the organisation is closed (beyond weekends and its nation's bank holidays)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="closure_day_once")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.date} ({self.reason})"


class Membership(models.Model):
    """A colleague's role in an organisation (or a directorate or team within one)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_once"),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class ServiceArea(models.Model):
    """A part of an organisation's service that complaints are about (for trends, learning and reports)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=120)
    name_cy = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="service_area_once")]

    def __str__(self) -> str:
        return self.name
