"""JSON shapes of complaints for the API (`candour.complaints.api`).

Three representations, by who is asking:
- `PublicComplaintSerializer`: what a member of the public gets back after submitting (no personal data,
  nothing about handling).
- `ComplaintSummarySerializer`: the case as a colleague sees it in a list (no complainant personal data,
  so listing does not need a view event per row).
- `ComplaintDetailSerializer`: one case with the complainant's details; the view is recorded in the audit
  trail by the API before it is returned.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candour.complaints import states
from candour.complaints.models import Channel, Complaint, ContactMethod, PointOfComplaint, StageTransition
from candour.complaints.services import Declaration
from candour.core.serializers import PrototypeFieldsMixin
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap
from candour.permissions import has_capability, organisation_ids_with

MAX_POINTS = 20


def blank_choice(model, name: str) -> serializers.ChoiceField:
    """A read-only choice that may still be blank (no outcome yet). DRF drops `allow_blank` from read-only model
    fields, so without this the schema says "" is invalid and clients validating responses reject them."""
    return serializers.ChoiceField(choices=model._meta.get_field(name).choices, allow_blank=True, read_only=True)


# ---- output ---------------------------------------------------------------------------------------


class PointSerializer(serializers.ModelSerializer):
    outcome = blank_choice(PointOfComplaint, "outcome")

    class Meta:
        model = PointOfComplaint
        fields = ["number", "summary", "outcome_sought", "outcome"]
        read_only_fields = fields


class PublicComplaintSerializer(PrototypeFieldsMixin, serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Complaint
        fields = ["reference", "organisation", "status", "acknowledgement_due", "response_due"]
        read_only_fields = fields


class ComplaintSummarySerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    outcome = blank_choice(Complaint, "outcome")
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    service_area = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    stage1_handler = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Username of the stage 1 handler."
    )
    stage2_handler = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Username of the stage 2 investigator."
    )
    current_handler = serializers.SerializerMethodField(help_text="Username of the handler of the current stage.")
    extended = serializers.SerializerMethodField(help_text="Whether the current stage's response date was extended.")
    points = PointSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "reference",
            "organisation",
            "team",
            "service_area",
            "stage",
            "status",
            "triage",
            "channel",
            "language",
            "received_on",
            "acknowledgement_due",
            "acknowledged_on",
            "stage1_due",
            "stage2_due",
            "response_due",
            "closed_on",
            "clock_stopped",
            "stage1_extended",
            "stage2_extended",
            "extended",
            "escalated_to_stage2",
            "stage1_handler",
            "stage2_handler",
            "current_handler",
            "summary",
            "points",
            "outcome",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_current_handler(self, complaint: Complaint) -> str | None:
        handler = complaint.current_handler
        return handler.get_username() if handler is not None else None

    def get_extended(self, complaint: Complaint) -> bool:
        return complaint.stage2_extended if complaint.stage == 2 else complaint.stage1_extended


class ComplainantSerializer(serializers.ModelSerializer):
    """The person complaining (personal data)."""

    name = serializers.CharField(source="complainant_name", read_only=True)
    email = serializers.CharField(source="complainant_email", read_only=True)
    phone = serializers.CharField(source="complainant_phone", read_only=True)
    address = serializers.CharField(source="complainant_address", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "is_anonymous",
            "name",
            "email",
            "phone",
            "address",
            "preferred_contact",
            "on_behalf_of_someone",
            "person_affected_name",
            "representative_relationship",
            "consent_confirmed",
            "reasonable_adjustments",
            "contact_opt_out",
        ]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintSummarySerializer):
    complainant = serializers.SerializerMethodField(
        help_text="The complainant's details; null unless the caller may view cases of this organisation."
    )

    class Meta(ComplaintSummarySerializer.Meta):
        fields = ComplaintSummarySerializer.Meta.fields + [
            "description",
            "outcome_sought",
            "events_date",
            "events_more_than_12_months_ago",
            "mp_name",
            "closure_reason",
            "complainant",
        ]
        read_only_fields = fields

    @extend_schema_field(ComplainantSerializer(allow_null=True))
    def get_complainant(self, complaint: Complaint):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not has_capability(user, Cap.VIEW_CASES, complaint.organisation_id):
            return None
        return ComplainantSerializer(complaint).data


class TransitionLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True, help_text="Username, or 'public'.")

    class Meta:
        model = StageTransition
        fields = ["transition", "from_status", "to_status", "actor", "occurred_at", "reason"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """A refusal or an authentication/permission/throttling problem."""

    detail = serializers.CharField()


# ---- input ----------------------------------------------------------------------------------------


class PointInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=2000, help_text="One thing that went wrong.")
    outcome_sought = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ComplaintInputSerializer(PrototypeFieldsMixin, serializers.Serializer):
    """What a member of the public sends. Staff intake adds organisation, channel and received_on."""

    description = serializers.CharField(max_length=20000, help_text="What happened, in the person's words.")
    summary = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    outcome_sought = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    points = PointInputSerializer(many=True, required=False, default=list)
    events_date = serializers.DateField(required=False, allow_null=True, default=None)
    late_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(
        choices=Complaint._meta.get_field("language").choices, required=False, default="en"
    )
    is_anonymous = serializers.BooleanField(required=False, default=False)
    complainant_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    complainant_email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    complainant_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    complainant_address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    preferred_contact = serializers.ChoiceField(
        choices=ContactMethod.choices, required=False, default=ContactMethod.EMAIL
    )
    on_behalf_of_someone = serializers.BooleanField(required=False, default=False)
    person_affected_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    representative_relationship = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    consent_confirmed = serializers.BooleanField(required=False, default=False)
    reasonable_adjustments = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    contact_opt_out = serializers.BooleanField(required=False, default=False)
    mp_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    CONTACT_FIELD = {
        ContactMethod.EMAIL: ("complainant_email", "Enter an email address, or choose another way to contact you."),
        ContactMethod.PHONE: ("complainant_phone", "Enter a phone number, or choose another way to contact you."),
        ContactMethod.POST: ("complainant_address", "Enter a postal address, or choose another way to contact you."),
    }

    def validate_description(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Describe what happened.")
        return value.strip()

    def validate_points(self, value: list) -> list:
        if len(value) > MAX_POINTS:
            raise serializers.ValidationError(f"Give at most {MAX_POINTS} points of complaint.")
        return value

    def validate_events_date(self, value):
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError("The date of the events must be today or in the past.")
        return value

    def validate(self, data: dict) -> dict:
        errors: dict[str, str] = {}
        if data["is_anonymous"]:
            # An anonymous complaint carries no contact details: drop anything sent so none is stored.
            for name in ("complainant_name", "complainant_email", "complainant_phone", "complainant_address"):
                data[name] = ""
        else:
            if not data["complainant_name"].strip():
                errors["complainant_name"] = "Enter your name, or say that you want to complain anonymously."
            field, message = self.CONTACT_FIELD[data["preferred_contact"]]
            if not data[field].strip():
                errors[field] = message
        if data["on_behalf_of_someone"]:
            if not data["person_affected_name"].strip():
                errors["person_affected_name"] = "Enter the name of the person you are complaining for."
            if not data["consent_confirmed"]:
                errors["consent_confirmed"] = "Confirm that the person has agreed to you complaining for them."
        if errors:
            raise serializers.ValidationError(errors)
        return data

    def service_kwargs(self) -> dict:
        """Keyword arguments for `services.create_complaint`, from validated data."""
        from candour.complaints.services import PointInput

        data = dict(self.validated_data)
        data.pop("organisation", None)
        data["points"] = [PointInput(p["summary"].strip(), p.get("outcome_sought", "").strip()) for p in data["points"]]
        return data


class TextSlugRelatedField(serializers.SlugRelatedField):
    """A slug-related field that refuses text PostgreSQL cannot compare (a NUL byte) as invalid input, instead
    of sending it to the database (a server error, found by schemathesis). DRF's CharField does this already."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.STR)
class _HandledOrganisationField(TextSlugRelatedField):
    """An organisation (by slug) that accepts complaints and where the caller may handle cases."""

    default_error_messages = {
        "does_not_exist": "You cannot record complaints for an organisation called “{value}”.",
        "invalid": "Enter an organisation slug.",
    }

    def get_queryset(self):
        request = self.context["request"]
        return Organisation.objects.filter(
            accepts_complaints=True, pk__in=organisation_ids_with(request.user, Cap.HANDLE_CASES)
        )


class StaffComplaintInputSerializer(ComplaintInputSerializer):
    organisation = _HandledOrganisationField(slug_field="slug", help_text="Slug of the organisation complained about.")
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="How the complaint was received.")
    received_on = serializers.DateField(required=False, help_text="The date received (default today).")

    def validate_received_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("The date received must be today or in the past.")
        return value

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data.pop("received_on", None)
        data.pop("channel", None)
        return data


class TransitionInputSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=sorted(states.TRANSITIONS), help_text="The move to make.")
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    investigator = TextSlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="Username of the stage 2 investigator (for 'escalate').",
    )
    investigator_has_conflict = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The investigator's declaration of interests (for 'escalate'): true if they have a conflict of "
        "interest in this complaint, false if not. Recorded with the escalation. Leave out to use the declaration "
        "already recorded for the case; an investigator who has not declared is refused.",
    )
    investigator_conflict_details = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="What the conflict of interest is (needed when investigator_has_conflict is true).",
    )

    def validate(self, data: dict) -> dict:
        spec = states.TRANSITIONS[data["transition"]]
        if spec.requires_reason and not data["reason"].strip():
            raise serializers.ValidationError({"reason": f"Give a reason to {str(spec.label).lower()}."})
        investigator = data.get("investigator")
        complaint = self.context.get("complaint")
        if investigator is not None and complaint is not None:
            if not has_capability(investigator, Cap.INVESTIGATE, complaint.organisation_id):
                raise serializers.ValidationError(
                    {"investigator": "Choose a colleague who can investigate complaints for this organisation."}
                )
        if data.get("investigator_has_conflict") is not None and investigator is None:
            raise serializers.ValidationError(
                {"investigator_has_conflict": "Give the investigator's username with their declaration."}
            )
        if data.get("investigator_has_conflict") and not data["investigator_conflict_details"].strip():
            raise serializers.ValidationError(
                {"investigator_conflict_details": "Describe the investigator's conflict of interest."}
            )
        return data

    def declaration(self) -> Declaration | None:
        """The investigator's declaration to record with the escalation, or None to use the one on record."""
        data = self.validated_data
        if data.get("investigator_has_conflict") is None:
            return None
        has_conflict = data["investigator_has_conflict"]
        return Declaration(
            has_conflict=has_conflict, details=data["investigator_conflict_details"].strip() if has_conflict else ""
        )


class ComplaintFilterSerializer(serializers.Serializer):
    """Query parameters of the complaint list (the same filters as the work queue)."""

    ORDERINGS = ["response_due", "-response_due", "received_on", "-received_on"]

    stage = serializers.ChoiceField(choices=[1, 2], required=False)
    status = serializers.MultipleChoiceField(choices=states.Status.choices, required=False)
    organisation = serializers.SlugField(required=False, help_text="Organisation slug.")
    service_area = serializers.CharField(required=False, help_text="Service area name.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    received_from = serializers.DateField(required=False)
    received_to = serializers.DateField(required=False)
    due = serializers.ChoiceField(choices=["overdue", "due_soon"], required=False)
    handler = serializers.CharField(required=False, help_text="Username of the current handler ('me' for yourself).")
    q = serializers.CharField(required=False, max_length=200, help_text="Search reference, names and text.")
    ordering = serializers.ChoiceField(choices=ORDERINGS, required=False)

    def validate(self, data: dict) -> dict:
        if data.get("received_from") and data.get("received_to") and data["received_from"] > data["received_to"]:
            raise serializers.ValidationError({"received_to": "The end date must be on or after the start date."})
        return data
