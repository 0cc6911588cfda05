"""The audit trail cannot be changed or deleted: not through the model, the admin, the API or SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from candour.audit import services
from candour.audit.models import AuditEvent
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(tree):
    return services.record(actor=None, verb="created", obj=tree["agency"], summary="Created agency")


def test_events_record_who_what_and_the_request(client, tree, member):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    event = services.record(actor=manager, verb="updated", obj=tree["agency"])
    assert (event.actor, event.actor_label, event.organisation) == (manager, manager.username, tree["agency"])
    assert event.object_type == "organisations.organisation" and event.object_id == str(tree["agency"].pk)


def test_the_model_refuses_changes_and_deletion(event):
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "Created agency"


def test_the_admin_offers_no_way_to_change_or_delete(admin_client, event):
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    response = admin_client.post(change_url, {"summary": "rewritten", "verb": "x"})
    assert response.status_code in (302, 403) or b"rewritten" not in response.content
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).summary == "Created agency"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_in_raw_sql(event):
    for sql in (
        "UPDATE audit_auditevent SET summary = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="audit events cannot be changed or deleted"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "Created agency"


def test_staff_with_the_right_role_search_the_trail_of_their_own_organisation(client, tree, member, event):
    services.record(actor=None, verb="created", obj=tree["sibling"], summary="Sibling event")
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    client.force_login(manager)
    response = client.get(reverse("audit:search"), {"text": "event"})
    assert response.status_code == 200
    assert b"Sibling event" not in response.content
    response = client.get(reverse("audit:search"), {"text": "Created agency"})
    assert b"Created agency" in response.content


def test_colleagues_without_the_role_cannot_read_the_trail(client, tree, member):
    client.force_login(member(Role.COMPLAINT_HANDLER, tree["agency"]))
    assert client.get(reverse("audit:search")).status_code == 403


def test_each_request_carries_an_id_into_its_events(client, tree, member):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    client.force_login(manager)
    response = client.get(reverse("audit:search"), HTTP_X_REQUEST_ID="abc123def456")
    assert response["X-Request-ID"] == "abc123def456"
    assert len(client.get(reverse("audit:search"), HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]) == 32


def test_the_api_reads_events_and_offers_no_way_to_change_them(client, tree, member, event):
    from rest_framework.authtoken.models import Token

    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    token = Token.objects.create(user=manager)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    listing = client.get("/api/v1/audit-events", {"text": "Created agency"}, **auth)
    assert listing.status_code == 200
    assert [row["summary"] for row in listing.json()["results"]] == ["Created agency"]
    url = f"/api/v1/audit-events/{event.pk}"
    assert client.get(url, **auth).json()["verb"] == "created"
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(url, data={"summary": "rewritten"}, content_type="application/json", **auth)
        assert response.status_code == 405
    assert client.post("/api/v1/audit-events", {"verb": "x"}, **auth).status_code == 405
    assert AuditEvent.objects.get(pk=event.pk).summary == "Created agency"


def test_the_api_refuses_colleagues_without_the_audit_role(client, tree, member, event):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=member(Role.COMPLAINT_HANDLER, tree["agency"]))
    response = client.get("/api/v1/audit-events", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403
    assert client.get("/api/v1/audit-events").status_code == 401


def test_nul_bytes_in_api_searches_and_addresses_are_bad_input_not_server_errors(client, tree, member, event):
    """PostgreSQL cannot compare text holding NUL: searches drop it, addresses holding it are not found."""
    from rest_framework.authtoken.models import Token

    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=manager).key}"}
    listing = client.get("/api/v1/audit-events", {"text": "Created\x00 agency", "verb": "\x00"}, **auth)
    assert listing.status_code == 200
    assert client.get("/api/v1/complaints/AGENCY-2026-%00", **auth).status_code == 404
    assert client.get("/api/v1/complaints/%00/transitions", **auth).status_code == 404
    response = client.post(
        "/api/v1/organisations/agen%00cy/complaints", {"description": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_page_address_holding_nul_is_not_found(client, tree, member):
    client.force_login(member(Role.COMPLAINTS_MANAGER, tree["agency"]))
    for path in ("/staff/complaints/AGENCY%00/", "/staff/investigations/%00/", "/complaints/%00/"):
        assert client.get(path).status_code == 404
