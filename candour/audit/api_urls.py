from django.urls import path

from candour.audit import api

urlpatterns = [
    path("audit-events", api.AuditEventList.as_view(), name="api-audit-events"),
    path("audit-events/<int:pk>", api.AuditEventDetail.as_view(), name="api-audit-event"),
]
