from django.urls import path

from candour.complaints import staff_views as views

app_name = "staff_complaints"

urlpatterns = [
    path("", views.work_queue, name="queue"),
    path("new/", views.intake, name="new"),
    path("<str:reference>/", views.case, name="case"),
    path("<str:reference>/triage/", views.triage, name="triage"),
    path("<str:reference>/points/add/", views.point, name="add-point"),
    path("<str:reference>/points/<int:number>/", views.point, name="point"),
    path("<str:reference>/assign/<int:stage>/", views.assign, name="assign"),
    path("<str:reference>/move/<str:name>/", views.transition, name="transition"),
    path("<str:reference>/clock/stop/", views.stop_clock, name="stop-clock"),
    path("<str:reference>/clock/restart/", views.restart_clock, name="restart-clock"),
    path("<str:reference>/extend/", views.extend, name="extend"),
    path("<str:reference>/remedies/add/", views.remedy, name="remedy"),
    path("<str:reference>/response/", views.response, name="response"),
    path("<str:reference>/response/issue/", views.issue, name="issue"),
    path("<str:reference>/response/preview/", views.letter_preview, name="letter-preview"),
    path("<str:reference>/response/letter.<str:fmt>", views.letter_download, name="letter"),
    path("<str:reference>/ombudsman/", views.ombudsman, name="ombudsman"),
    path("<str:reference>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
