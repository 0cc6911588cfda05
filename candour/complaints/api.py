"""The complaints JSON API (`/api/v1/...`), described by the OpenAPI schema at `/api/schema/`.

- Public intake: `POST /api/v1/organisations/{slug}/complaints` (no account; throttled per client;
  `Idempotency-Key` makes a retry return the complaint already recorded).
- Staff (token or session): create, list (the work queue's filters), retrieve (recorded as a view of
  personal data), transitions (make one; read the log).

Every write goes through `candour.complaints.services`; every read is scoped by `selectors`.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from candour.complaints import queue, selectors, services, states
from candour.complaints.models import Channel, Complaint, StageTransition
from candour.complaints.serializers import (
    ComplaintDetailSerializer,
    ComplaintFilterSerializer,
    ComplaintInputSerializer,
    ComplaintSummarySerializer,
    ErrorSerializer,
    PublicComplaintSerializer,
    StaffComplaintInputSerializer,
    TransitionInputSerializer,
    TransitionLogSerializer,
)
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap
from candour.organisations.selectors import calendar_for, intake_target
from candour.permissions import has_capability, has_capability_anywhere, organisation_ids_with

INTAKE_THROTTLE_SCOPE = "complaint_intake"
DEFAULT_INTAKE_RATE = "30/min"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 200
LIST_RELATED = ("organisation", "team", "service_area", "stage1_handler", "stage2_handler")


# ---- throttling, permissions, helpers ---------------------------------------------------------------


class ComplaintIntakeThrottle(SimpleRateThrottle):
    """Public intake: a number of submissions per client address per period, counted in the cache.

    The rate is `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["complaint_intake"]` (from the environment
    variable `CANDOUR_API_INTAKE_RATE`, default 30/min), read on every request so it can be changed in tests.
    """

    scope = INTAKE_THROTTLE_SCOPE

    def get_rate(self):
        return (api_settings.DEFAULT_THROTTLE_RATES or {}).get(self.scope, DEFAULT_INTAKE_RATE)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _capability_anywhere(capability: str) -> type[BasePermission]:
    class HasCapability(BasePermission):
        message = "You do not have permission to do this."

        def has_permission(self, request, view) -> bool:
            return has_capability_anywhere(request.user, capability)

    HasCapability.__name__ = f"Has_{capability}"
    return HasCapability


CanViewCases = _capability_anywhere(Cap.VIEW_CASES)
CanHandleCases = _capability_anywhere(Cap.HANDLE_CASES)


def idempotency_key(request, namespace: str) -> str | None:
    """The client's Idempotency-Key as a `submission_key`: hashed with a namespace so keys from different
    clients or organisations never collide, and so the stored value has a fixed length."""
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if raw is None:
        return None
    raw = raw.strip()
    if not raw or len(raw) > MAX_IDEMPOTENCY_KEY or not raw.isprintable():
        raise ValidationError(
            {IDEMPOTENCY_HEADER: f"The {IDEMPOTENCY_HEADER} header must be 1 to {MAX_IDEMPOTENCY_KEY} characters."}
        )
    return hashlib.sha256(f"{namespace}:{raw}".encode()).hexdigest()


def _as_drf_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(
            {field: [m for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
        )
    return ValidationError({"detail": error.messages})


def _visible_complaint(request, reference: str, *, record_view: bool) -> Complaint:
    """The complaint if the caller may see it; 404 otherwise (whether or not it exists)."""
    try:
        return selectors.complaint_for_user(request.user, reference, record_view=record_view)
    except DjangoPermissionDenied:
        raise Http404 from None


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A unique key per submission (e.g. a UUID). Sending the same key again returns the complaint "
    "already recorded, with status 200, instead of recording it twice.",
)
ERRORS = {
    400: OpenApiResponse(description="Invalid input: field names with messages."),
    401: OpenApiResponse(ErrorSerializer, description="No valid token."),
    403: OpenApiResponse(ErrorSerializer, description="Not permitted."),
}


# ---- public intake ---------------------------------------------------------------------------------


@extend_schema(
    summary="Make a complaint (public)",
    description="Records a complaint to an organisation. No account is needed. The response gives the "
    "reference and the dates by which the organisation will acknowledge and respond (in working days).",
    tags=["public"],
    parameters=[IDEMPOTENCY_PARAMETER],
    request=ComplaintInputSerializer,
    responses={
        201: OpenApiResponse(PublicComplaintSerializer, description="Recorded."),
        200: OpenApiResponse(PublicComplaintSerializer, description="Already recorded with this Idempotency-Key."),
        400: OpenApiResponse(description="Invalid input: field names with messages."),
        404: OpenApiResponse(ErrorSerializer, description="No organisation takes complaints with that slug."),
        429: OpenApiResponse(ErrorSerializer, description="Too many submissions from this client; try later."),
    },
)
class PublicComplaintCreate(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ComplaintIntakeThrottle]

    def post(self, request, slug: str):
        target = intake_target(slug)
        if target is None:
            raise Http404
        organisation, calendar = target
        key = idempotency_key(request, f"public:{organisation.slug}")
        serializer = ComplaintInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            complaint, created = services.create_complaint(
                actor=None,
                organisation=organisation,
                channel=Channel.ONLINE,
                submission_key=key,
                calendar=calendar,
                **serializer.service_kwargs(),
            )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        return Response(
            PublicComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


# ---- staff: list and create --------------------------------------------------------------------------


def filter_complaints(queryset: QuerySet[Complaint], params: dict, user, today: datetime.date) -> QuerySet[Complaint]:
    """The work queue's filters over an already scoped queryset. `params` are validated query parameters."""
    if params.get("stage"):
        queryset = queryset.filter(stage=params["stage"])
    if params.get("status"):
        queryset = queryset.filter(status__in=sorted(params["status"]))
    if params.get("organisation"):
        queryset = queryset.filter(organisation__slug=params["organisation"])
    if params.get("service_area"):
        queryset = queryset.filter(service_area__name__iexact=params["service_area"])
    if params.get("channel"):
        queryset = queryset.filter(channel=params["channel"])
    if params.get("received_from"):
        queryset = queryset.filter(received_on__gte=params["received_from"])
    if params.get("received_to"):
        queryset = queryset.filter(received_on__lte=params["received_to"])
    if params.get("handler"):
        username = user.get_username() if params["handler"] == "me" else params["handler"]
        queryset = queryset.filter(
            Q(stage=1, stage1_handler__username=username) | Q(stage=2, stage2_handler__username=username)
        )
    if params.get("due") == "overdue":
        queryset = queryset.filter(response_due__lt=today)
    elif params.get("due") == "due_soon":
        # Due soon: due today or within 2 working days (so before the 3rd working day), per organisation's calendar.
        condition = Q(pk__in=[])
        organisations = Organisation.objects.filter(
            pk__in=organisation_ids_with(user, Cap.VIEW_CASES), accepts_complaints=True
        )
        for organisation in organisations:
            limit = calendar_for(organisation).add_working_days(today, 3)
            condition |= Q(organisation=organisation, response_due__gte=today, response_due__lt=limit)
        queryset = queryset.filter(condition)
    if params.get("q"):
        # The same search as the staff work queue (PostgreSQL full text on its GIN index; words on SQLite).
        queryset = queue.search(queryset, params["q"])
    ordering = params.get("ordering")
    if ordering:
        field = ordering.lstrip("-")
        order = F(field).desc(nulls_last=True) if ordering.startswith("-") else F(field).asc(nulls_last=True)
        queryset = queryset.order_by(order, "id")
    return queryset


LIST_PARAMETERS = [
    OpenApiParameter("stage", OpenApiTypes.INT, enum=[1, 2]),
    OpenApiParameter("status", OpenApiTypes.STR, enum=states.Status.values, many=True, explode=True),
    OpenApiParameter("organisation", OpenApiTypes.STR, description="Organisation slug."),
    OpenApiParameter("service_area", OpenApiTypes.STR, description="Service area name."),
    OpenApiParameter("channel", OpenApiTypes.STR, enum=Channel.values),
    OpenApiParameter("received_from", OpenApiTypes.DATE, description="Received on or after."),
    OpenApiParameter("received_to", OpenApiTypes.DATE, description="Received on or before."),
    OpenApiParameter(
        "due",
        OpenApiTypes.STR,
        enum=["overdue", "due_soon"],
        description="overdue: the response date has passed; due_soon: due within 2 working days.",
    ),
    OpenApiParameter("handler", OpenApiTypes.STR, description="Username of the current handler, or 'me'."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Search the reference, names, summary and description."),
    OpenApiParameter("ordering", OpenApiTypes.STR, enum=ComplaintFilterSerializer.ORDERINGS),
]


class ComplaintListCreate(generics.ListAPIView):
    """GET: the complaints the caller may see. POST: record a complaint received by staff."""

    serializer_class = ComplaintSummarySerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated(), CanHandleCases()]
        return [IsAuthenticated(), CanViewCases()]

    def get_queryset(self):
        params = ComplaintFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        queryset = (
            selectors.complaints_visible_to(self.request.user).select_related(*LIST_RELATED).prefetch_related("points")
        )
        return filter_complaints(queryset, params.validated_data, self.request.user, services.today())

    @extend_schema(
        summary="List complaints",
        description="Complaints in organisations where you may view cases, newest first unless ordered. "
        "Complainants' personal details are not included: retrieve one complaint to see them.",
        tags=["complaints"],
        parameters=LIST_PARAMETERS,
        responses={
            200: ComplaintSummarySerializer(many=True),
            **ERRORS,
            404: OpenApiResponse(ErrorSerializer, description="No such page of results."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Record a complaint",
        description="Records a complaint received by any channel, for an organisation where you handle cases.",
        tags=["complaints"],
        parameters=[IDEMPOTENCY_PARAMETER],
        request=StaffComplaintInputSerializer,
        responses={
            201: OpenApiResponse(ComplaintDetailSerializer, description="Recorded."),
            200: OpenApiResponse(ComplaintDetailSerializer, description="Already recorded with this Idempotency-Key."),
            **ERRORS,
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = StaffComplaintInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        key = idempotency_key(request, f"staff:{request.user.pk}")
        data = serializer.validated_data
        try:
            complaint, created = services.create_complaint(
                actor=request.user,
                organisation=data["organisation"],
                channel=data["channel"],
                received_on=data.get("received_on"),
                submission_key=key,
                **serializer.service_kwargs(),
            )
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        complaint = _visible_complaint(request, complaint.reference, record_view=not created)
        return Response(
            ComplaintDetailSerializer(complaint, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# ---- staff: one complaint ------------------------------------------------------------------------------


class ComplaintDetail(APIView):
    permission_classes = [IsAuthenticated, CanViewCases]

    @extend_schema(
        summary="A complaint",
        description="One complaint, with the complainant's details. The view is recorded in the audit trail.",
        tags=["complaints"],
        responses={
            200: ComplaintDetailSerializer,
            **ERRORS,
            404: OpenApiResponse(ErrorSerializer, description="No complaint with that reference that you may see."),
        },
    )
    def get(self, request, reference: str):
        complaint = _visible_complaint(request, reference, record_view=True)
        return Response(ComplaintDetailSerializer(complaint, context={"request": request}).data)


class ComplaintTransitions(APIView):
    permission_classes = [IsAuthenticated, CanViewCases]

    @extend_schema(
        operation_id="complaints_transitions_list",
        summary="The complaint's lifecycle log",
        description="Every move through the lifecycle, oldest first. The log is never changed.",
        tags=["complaints"],
        responses={
            200: TransitionLogSerializer(many=True),
            **ERRORS,
            404: OpenApiResponse(ErrorSerializer, description="No complaint with that reference that you may see."),
        },
    )
    def get(self, request, reference: str):
        complaint = _visible_complaint(request, reference, record_view=False)
        log = StageTransition.objects.filter(complaint=complaint).order_by("occurred_at", "id")
        return Response(TransitionLogSerializer(log, many=True).data)

    @extend_schema(
        operation_id="complaints_transitions_create",
        summary="Move the complaint through its lifecycle",
        description="Transitions: "
        + ", ".join(f"`{name}` ({spec.label})" for name, spec in states.TRANSITIONS.items())
        + ". Withdraw, not accept, escalate and re-open need a reason; escalate needs an investigator who did "
        "not handle stage 1 and who has declared any conflict of interest (send `investigator_has_conflict`, or "
        "record their declaration on the case first); a declared conflict refuses the escalation (409) until a "
        "senior leader overrides it. Responses are issued from the response page, not here.",
        tags=["complaints"],
        request=TransitionInputSerializer,
        responses={
            200: OpenApiResponse(ComplaintSummarySerializer, description="Moved; the complaint as it is now."),
            **ERRORS,
            404: OpenApiResponse(ErrorSerializer, description="No complaint with that reference that you may see."),
            409: OpenApiResponse(ErrorSerializer, description="Refused in the complaint's current state: the reason."),
        },
    )
    def post(self, request, reference: str):
        complaint = _visible_complaint(request, reference, record_view=False)
        if not has_capability(request.user, Cap.HANDLE_CASES, complaint.organisation_id):
            return Response(
                {"detail": "You can see this complaint but not handle it."}, status=status.HTTP_403_FORBIDDEN
            )
        serializer = TransitionInputSerializer(data=request.data, context={"request": request, "complaint": complaint})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        context = {}
        if data.get("investigator"):
            context = {"investigator": data["investigator"], "declaration": serializer.declaration()}
        try:
            services.transition(
                actor=request.user, complaint=complaint, name=data["transition"], reason=data["reason"], **context
            )
        except services.TransitionRefused as refused:
            return Response({"detail": " ".join(refused.messages)}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise _as_drf_error(error) from error
        complaint = _visible_complaint(request, reference, record_view=False)
        return Response(ComplaintSummarySerializer(complaint, context={"request": request}).data)
