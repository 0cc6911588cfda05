from django.urls import path

from candour.people import views

app_name = "people"

urlpatterns = [
    path("", views.my_role, name="my-role"),
    path("training/", views.my_training, name="my-training"),
    path("examples/", views.my_examples, name="my-examples"),
    path("examples/new/", views.example_new, name="example-new"),
    path("examples/review/", views.examples_review, name="examples-review"),
    path("examples/<int:pk>/review/", views.example_review, name="example-review"),
    path("colleagues/", views.colleagues, name="colleagues"),
    path("colleagues/<int:pk>/", views.colleague, name="colleague"),
    path("colleagues/<int:pk>/debrief/", views.support_new, name="support-new"),
    path("colleagues/<int:pk>/line-manager/", views.line_manager, name="line-manager"),
    path("support/", views.support_list, name="support-list"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.module_edit, name="module-new"),
    path("catalogue/<int:pk>/", views.module_edit, name="module-edit"),
    path("completions/new/", views.completion_new, name="completion-new"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("compliance/", views.compliance, name="compliance"),
    path("acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path("responsibilities/", views.responsibilities, name="responsibilities"),
    path("responsibilities/<int:pk>/", views.responsibility_edit, name="responsibility-edit"),
    path("settings/", views.people_settings, name="settings"),
]
