from django.urls import path

from candour.privacy import views

app_name = "privacy"

urlpatterns = [
    path("subject-access/", views.subject_access, name="subject-access"),
    path("complaints/<str:reference>/correct-details/", views.correct_details, name="correct-details"),
]
