from django.urls import path

from candour.investigations import views

app_name = "investigations"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/remedies/", views.remedies_report, name="report"),
    path("organisations/<int:org>/bands/", views.bands, name="bands"),
    path("organisations/<int:org>/sign-off/", views.sign_off_settings, name="settings"),
    path("contributions/<int:pk>/", views.partner, name="partner"),
    path("<str:reference>/", views.case, name="case"),
    path("<str:reference>/involved/add/", views.add_involved, name="add-involved"),
    path("<str:reference>/involved/<int:pk>/told/", views.told, name="told"),
    path("<str:reference>/involved/<int:pk>/statement/", views.statement, name="statement"),
    path("<str:reference>/conflicts/declare/", views.declare, name="declare"),
    path("<str:reference>/conflicts/<int:pk>/override/", views.override, name="override"),
    path("<str:reference>/assign/", views.assign_investigator, name="assign"),
    path("<str:reference>/plan/", views.plan, name="plan"),
    path("<str:reference>/plan/share/", views.share_plan, name="share-plan"),
    path("<str:reference>/plan/letter/", views.plan_letter, name="plan-letter"),
    path("<str:reference>/plan/updates/add/", views.add_update, name="add-update"),
    path("<str:reference>/evidence/add/", views.add_evidence, name="add-evidence"),
    path("<str:reference>/points/<int:number>/finding/", views.finding, name="finding"),
    path("<str:reference>/initial-views/add/", views.add_initial_view, name="add-initial-view"),
    path("<str:reference>/initial-views/<int:pk>/reply/", views.add_reply, name="add-reply"),
    path("<str:reference>/review/request/", views.request_review, name="request-review"),
    path("<str:reference>/review/<int:pk>/", views.review, name="review"),
    path("<str:reference>/remedies/add/", views.add_remedy, name="add-remedy"),
    path("<str:reference>/remedies/<int:pk>/extend/", views.extend_remedy, name="extend-remedy"),
    path("<str:reference>/partners/add/", views.add_partner, name="add-partner"),
    path("<str:reference>/behaviour/incident/", views.add_incident, name="add-incident"),
    path("<str:reference>/behaviour/restriction/", views.add_restriction, name="add-restriction"),
    path("<str:reference>/behaviour/restriction/<int:pk>/renew/", views.renew_restriction, name="renew-restriction"),
    path("<str:reference>/behaviour/restriction/<int:pk>/letter/", views.restriction_letter, name="restriction-letter"),
    path("<str:reference>/support/add/", views.add_support, name="add-support"),
    path("<str:reference>/adjustments/", views.adjustments, name="adjustments"),
]
