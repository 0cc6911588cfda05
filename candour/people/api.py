"""The People JSON API (`/api/v1/training/...`, `/api/v1/role-acknowledgements`), described by the OpenAPI
schema at `/api/schema/`.

Reads go through the same selectors, scoped by the same permissions, as the People pages: the catalogue of the
organisations you work in; training compliance for yourself, the colleagues you line manage, and everyone in
the organisations where you are a complaints manager, senior leader or trainer; acknowledgement figures (counts,
no names) for those who may see the acknowledgements page. Recording a completion is for trainers and goes
through `services.record_completion`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from candour.accounts.models import User
from candour.complaints.serializers import ErrorSerializer  # the API's one {"detail": ...} shape
from candour.organisations.roles import Cap, Role
from candour.people import selectors, services
from candour.people.models import CompletionSource, TrainingCompletion, TrainingModule
from candour.permissions import has_capability_anywhere, organisation_ids_with

MAX_ID = 2**31 - 1  # the largest primary key either database holds; larger numbers are refused, not looked up

# ---- shapes ---------------------------------------------------------------------------------------------


class TrainingModuleSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    required_for_roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), read_only=True)
    description = serializers.CharField(read_only=True, allow_blank=True)

    class Meta:
        model = TrainingModule
        fields = [
            "id",
            "organisation",
            "code",
            "title",
            "description",
            "required_for_roles",
            "refresh_months",
            "active",
        ]
        read_only_fields = fields


class MissingModuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class PersonComplianceSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField(help_text="Slug of the organisation whose catalogue this is.")
    required = serializers.IntegerField(help_text="Modules their roles there require.")
    current = serializers.IntegerField(help_text="Of those, how many they hold current training in today.")
    compliant = serializers.BooleanField()
    missing = MissingModuleSerializer(many=True, help_text="Required modules without current training.")


class AcknowledgementRowSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    team = serializers.CharField(help_text="A team, or “Whole organisation”.")
    people = serializers.IntegerField(help_text="Colleagues whose roles carry written responsibilities.")
    acknowledged = serializers.IntegerField(help_text="Of those, how many acknowledged the current version.")
    percent = serializers.IntegerField(allow_null=True)


class CompletionInputSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=150, help_text="The colleague's username.")
    module = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="A module id from the catalogue.")
    completed_on = serializers.DateField()
    expires_on = serializers.DateField(
        required=False, allow_null=True, help_text="Only if the provider gave one; otherwise worked out."
    )
    provider = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    evidence = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CompletionSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organisation = serializers.CharField(source="module.organisation.slug", read_only=True)
    module_code = serializers.CharField(source="module.code", read_only=True)
    source = serializers.ChoiceField(choices=CompletionSource.choices, read_only=True)
    provider = serializers.CharField(read_only=True, allow_blank=True)
    evidence = serializers.CharField(read_only=True, allow_blank=True)

    class Meta:
        model = TrainingCompletion
        fields = ["id", "user", "organisation", "module", "module_code", "completed_on", "expires_on", "provider",
                  "evidence", "source"]  # fmt: skip
        read_only_fields = fields


ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="No valid token."),
    403: OpenApiResponse(ErrorSerializer, description="Not permitted."),
}
PAGE_NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such page of results.")}


class IsTrainer(BasePermission):
    message = "Only trainers can record training."

    def has_permission(self, request, view) -> bool:
        return has_capability_anywhere(request.user, Cap.MANAGE_TRAINING)


# ---- reads ------------------------------------------------------------------------------------------------


@extend_schema(
    summary="The training catalogue",
    description="Modules in use in the organisations you work in, and every module (including those no longer "
    "in use) where you are a trainer.",
    tags=["people"],
    responses={200: TrainingModuleSerializer(many=True), **ERRORS, **PAGE_NOT_FOUND},
)
class TrainingModuleList(generics.ListAPIView):
    serializer_class = TrainingModuleSerializer

    def get_queryset(self):
        return selectors.modules_visible_to(self.request.user)


@extend_schema(
    summary="Training compliance per person",
    description="For each colleague whose training you may see (yourself, the colleagues you line manage, and "
    "everyone in the organisations where you are a complaints manager, senior leader or trainer) and each "
    "organisation they work in: the modules their roles require, how many they hold current training in today, "
    "and which are missing.",
    tags=["people"],
    responses={200: PersonComplianceSerializer(many=True), **ERRORS, **PAGE_NOT_FOUND},
)
class TrainingComplianceList(generics.ListAPIView):
    serializer_class = PersonComplianceSerializer

    def get_queryset(self):
        return selectors.training_compliance_visible_to(self.request.user, timezone.localdate())


@extend_schema(
    summary="Acknowledgement of role responsibilities",
    description="Per organisation and team: colleagues whose roles carry written responsibilities, and how many "
    "have acknowledged the current version of all of them. Counts only. For those who see dashboards, govern "
    "or train.",
    tags=["people"],
    responses={200: AcknowledgementRowSerializer(many=True), **ERRORS},
)
class RoleAcknowledgementList(generics.ListAPIView):
    serializer_class = AcknowledgementRowSerializer
    pagination_class = None

    def get_queryset(self):
        org_ids = set()
        for cap in (Cap.VIEW_AGGREGATES, Cap.GOVERN, Cap.MANAGE_TRAINING):
            org_ids |= organisation_ids_with(self.request.user, cap)
        if not org_ids:
            raise PermissionDenied("You cannot see acknowledgement figures.")
        return selectors.acknowledgement_report(org_ids)


# ---- writes -----------------------------------------------------------------------------------------------


class TrainingCompletionCreate(APIView):
    permission_classes = [IsAuthenticated, IsTrainer]

    @extend_schema(
        summary="Record a training completion",
        description="For trainers: records that a colleague in your organisation completed a module in its "
        "catalogue. The expiry is worked out from the module's refresh period unless you give one.",
        tags=["people"],
        request=CompletionInputSerializer,
        responses={
            201: OpenApiResponse(CompletionSerializer, description="Recorded."),
            400: OpenApiResponse(description="Invalid input: field names with messages."),
            **ERRORS,
        },
    )
    def post(self, request):
        serializer = CompletionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        module = (
            TrainingModule.objects.filter(
                pk=data["module"], organisation_id__in=organisation_ids_with(request.user, Cap.MANAGE_TRAINING)
            )
            .select_related("organisation")
            .first()
        )
        if module is None:
            raise ValidationError({"module": ["Choose a module from the catalogue of an organisation you train in."]})
        if not module.active:
            raise ValidationError({"module": ["This module is no longer in use."]})
        # The same answer whether the username is unknown or belongs to someone elsewhere: nothing is revealed.
        user = User.objects.filter(
            username=data["user"], memberships__organisation_id__in=selectors.parts_of(module.organisation)
        ).first()
        if user is None:
            raise ValidationError({"user": [f"No colleague in {module.organisation.name} has this username."]})
        try:
            completion = services.record_completion(
                actor=request.user,
                user=user,
                module=module,
                completed_on=data["completed_on"],
                expires_on=data.get("expires_on"),
                provider=data["provider"],
                evidence=data["evidence"],
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {field: [m for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
                ) from error
            raise ValidationError({"detail": error.messages}) from error
        return Response(CompletionSerializer(completion).data, status=status.HTTP_201_CREATED)
