from django.urls import path

from candour.feedback import views

app_name = "feedback"

# Public (inside i18n_patterns): /survey/... and /cy/survey/...
urlpatterns = [
    path("survey/thank-you/", views.survey_done, name="survey-done"),
    path("survey/<str:token>/", views.survey, name="survey"),
]
