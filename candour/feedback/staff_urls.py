from django.urls import path

from candour.feedback import staff_views as views

app_name = "staff_feedback"

urlpatterns = [
    path("", views.results, name="results"),
    path("comments/", views.comments, name="comments"),
    path("colleague/", views.colleague_surveys, name="colleague-list"),
    path("colleague/<str:reference>/", views.colleague_survey, name="colleague-survey"),
    path("settings/<slug:slug>/", views.survey_settings, name="settings"),
    path("expectations/", views.expectations_index, name="expectations-index"),
    path("expectations/<slug:slug>/", views.expectations, name="expectations"),
    path("expectations/<slug:slug>/add/<int:section>/", views.expectation_edit, name="expectation-add"),
    path("expectations/<slug:slug>/<int:pk>/", views.expectation_edit, name="expectation-edit"),
    path("self-assessment/", views.assessments, name="assessments"),
    path("self-assessment/compare/", views.compare, name="compare"),
    path("self-assessment/<slug:slug>/", views.assessment_history, name="assessment-history"),
    path("self-assessment/<slug:slug>/new/", views.assessment_new, name="assessment-new"),
    path("self-assessment/<slug:slug>/<int:version>/", views.assessment, name="assessment"),
]
