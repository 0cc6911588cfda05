"""Read-only API over the audit trail: list and search; there is no way to change or delete an event."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied

from candour.audit.models import AuditEvent
from candour.audit.selectors import search_events
from candour.organisations.roles import Cap
from candour.permissions import has_capability_anywhere


class AuditEventSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "occurred_at", "actor_label", "organisation", "object_type", "object_id", "verb", "summary",
                  "changes", "request_id"]  # fmt: skip
        read_only_fields = fields


class _Error(serializers.Serializer):
    detail = serializers.CharField()


ERRORS = {
    401: OpenApiResponse(_Error, description="No valid token."),
    403: OpenApiResponse(_Error, description="You cannot read the audit trail."),
}


@extend_schema(
    summary="Search the audit trail",
    responses={
        200: AuditEventSerializer(many=True),
        **ERRORS,
        404: OpenApiResponse(_Error, description="No such page of results."),
    },
    tags=["audit"],
    parameters=[
        OpenApiParameter("text", str, description="Text in the summary, actor or action"),
        OpenApiParameter("object_type", str, description="e.g. complaints.complaint"),
        OpenApiParameter("object_id", str),
        OpenApiParameter("verb", str),
    ],
)
class AuditEventList(generics.ListAPIView):
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        if not has_capability_anywhere(self.request.user, Cap.VIEW_AUDIT):
            raise PermissionDenied("You cannot read the audit trail.")
        params = {
            # NUL dropped: PostgreSQL cannot compare text that holds it.
            key: self.request.query_params.get(key, "").replace("\x00", "")[:100]
            for key in ("text", "object_type", "object_id", "verb")
        }
        return search_events(self.request.user, **params)


@extend_schema(
    summary="One audit event",
    tags=["audit"],
    responses={
        200: AuditEventSerializer,
        **ERRORS,
        404: OpenApiResponse(_Error, description="No event with that id that you may read."),
    },
)
class AuditEventDetail(generics.RetrieveAPIView):
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        if not has_capability_anywhere(self.request.user, Cap.VIEW_AUDIT):
            raise PermissionDenied("You cannot read the audit trail.")
        return search_events(self.request.user)
