from django.urls import path

from candour.people import api

urlpatterns = [
    path("training/modules", api.TrainingModuleList.as_view(), name="api-training-modules"),
    path("training/compliance", api.TrainingComplianceList.as_view(), name="api-training-compliance"),
    path("training/completions", api.TrainingCompletionCreate.as_view(), name="api-training-completions"),
    path("role-acknowledgements", api.RoleAcknowledgementList.as_view(), name="api-role-acknowledgements"),
]
