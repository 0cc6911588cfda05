"""Public pages of the complaints app (English at /..., Welsh at /cy/...), included inside i18n_patterns."""

from django.urls import path

from candour.complaints import public_views as views

app_name = "complaints_public"

urlpatterns = [
    path("complain/<slug:org>/", views.start, name="start"),
    path("complain/<slug:org>/check-your-answers/", views.check_answers, name="check"),
    path("complain/<slug:org>/complaint-sent/", views.confirmation, name="confirmation"),
    path("complain/<slug:org>/<slug:step>/", views.question, name="question"),
    path("complaint/progress/<str:token>/", views.progress, name="progress"),
    path("complaint/progress/<str:token>/add-information/", views.add_information, name="add-information"),
    path("complaint/progress/<str:token>/withdraw/", views.withdraw, name="withdraw"),
]
