from django.urls import path

from candour.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.learning_settings, name="settings"),
    path("complaints/<str:reference>/", views.learning_record, name="record"),
    path("actions/", views.action_list, name="actions"),
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/evidence/<int:file_pk>/", views.evidence_download, name="evidence"),
]

public_urlpatterns = [
    path("you-said-we-did/", views.you_said_we_did, name="you-said-we-did"),
]
