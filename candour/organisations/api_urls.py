from django.urls import path

from candour.organisations import api

urlpatterns = [path("organisations", api.OrganisationList.as_view(), name="api-organisations")]
