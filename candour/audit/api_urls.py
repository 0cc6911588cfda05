from django.urls import path

from candour.audit import api

urlpatterns = [
    path("audit-events", api.AuditEventList.as_view(), name="api-audit-events"),
    # str, not int: any other id gets the API's JSON 404 (DRF turns a bad id into 404), not the HTML page.
    path("audit-events/<str:pk>", api.AuditEventDetail.as_view(), name="api-audit-event"),
]
