from django.urls import path

from candour.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("case-studies/", views.case_studies, name="case-studies"),
    path("case-studies/new/", views.case_study_new, name="case-study-new"),
    path("case-studies/<int:pk>/", views.case_study, name="case-study"),
    path("case-studies/<int:pk>/approve/", views.case_study_approve, name="case-study-approve"),
    path("<slug:organisation>/<int:year>/", views.report, name="report"),
    path("<slug:organisation>/<int:year>/consolidated/", views.consolidated, name="consolidated"),
    path("<slug:organisation>/<int:year>/draft.<str:fmt>", views.download, name="download"),
    path("<slug:organisation>/<int:year>/details/", views.details, name="details"),
    path("<slug:organisation>/<int:year>/publish/", views.publish, name="publish"),
]

public_urlpatterns = [
    path("reports/", views.public_reports, name="reports"),
    path("reports/<slug:organisation>/<int:year>/", views.public_report, name="report"),
    path("reports/<slug:organisation>/<int:year>/<int:version>/report.<str:fmt>", views.public_file, name="file"),
]
