from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from candour.organisations.models import Organisation
from candour.organisations.selectors import complaint_accepting_organisations


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "name_cy", "kind", "nation", "welsh_language_service", "parent"]


@extend_schema(summary="Organisations that accept complaints", tags=["public"])
class OrganisationList(generics.ListAPIView):
    serializer_class = OrganisationSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    pagination_class = None

    def get_queryset(self):
        return complaint_accepting_organisations()
