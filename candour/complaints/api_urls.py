from django.urls import path

from candour.complaints import api

urlpatterns = [
    path(
        "organisations/<slug:slug>/complaints",
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
