from django.urls import path

from candour.complaints import api

urlpatterns = [
    path(
        # str, not slug: any other name gets the API's JSON 404 from the view, not the HTML page not found.
        "organisations/<str:slug>/complaints",
        api.PublicComplaintCreate.as_view(),
        name="api-public-complaint-create",
    ),
    path("complaints", api.ComplaintListCreate.as_view(), name="api-complaints"),
    path("complaints/<str:reference>", api.ComplaintDetail.as_view(), name="api-complaint"),
    path(
        "complaints/<str:reference>/transitions",
        api.ComplaintTransitions.as_view(),
        name="api-complaint-transitions",
    ),
]
