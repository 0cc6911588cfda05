"""The local Notify stand-in behaves like Notify towards the real client: it checks the signature and the body."""

import time

import jwt
import pytest
import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient


def client_for(stub, api_key=None):
    return NotificationsAPIClient(api_key or stub.api_key, base_url=stub.base_url)


def send(client, stub, **overrides):
    arguments = {
        "email_address": "someone@example.com",
        "template_id": stub.template_id,
        "personalisation": {"subject": "Hello", "body": "Body"},
        "reference": "ref-1",
    } | overrides
    return client.send_email_notification(**arguments)


def test_accepts_a_correctly_signed_request_and_answers_like_notify(notify_stub):
    response = send(client_for(notify_stub), notify_stub)

    assert response["reference"] == "ref-1"
    assert response["content"]["subject"] == "Hello"
    assert response["content"]["body"] == "Body"
    assert response["template"]["id"] == notify_stub.template_id
    assert response["uri"].endswith(f"/v2/notifications/{response['id']}")
    [request] = notify_stub.sent
    assert request.claims["iss"] == notify_stub.service_id
    assert request.headers["user-agent"].startswith("NOTIFY-API-PYTHON-CLIENT/")


def test_refuses_a_key_with_the_wrong_secret(notify_stub):
    wrong = notify_stub.api_key[:-36] + "00000000-0000-0000-0000-000000000000"
    with pytest.raises(HTTPError) as error:
        send(client_for(notify_stub, wrong), notify_stub)
    assert error.value.status_code == 403
    assert notify_stub.requests[0].claims is None
    assert notify_stub.sent == []


def test_refuses_a_key_for_another_service(notify_stub):
    other = f"key-00000000-0000-0000-0000-000000000000-{notify_stub.secret}"
    with pytest.raises(HTTPError) as error:
        send(client_for(notify_stub, other), notify_stub)
    assert error.value.status_code == 403


def test_refuses_an_expired_token_and_a_missing_one(notify_stub):
    token = jwt.encode({"iss": notify_stub.service_id, "iat": int(time.time()) - 120}, notify_stub.secret)
    url = f"{notify_stub.base_url}/v2/notifications/email"
    expired = requests.post(url, json={}, headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert expired.status_code == 403
    assert "30 seconds" in expired.json()["errors"][0]["message"]
    assert requests.post(url, json={}, timeout=5).status_code == 401


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email_address": "not-an-address"}, "Not a valid email address"),
        ({"template_id": "00000000-0000-0000-0000-000000000000"}, "Template not found"),
        ({"personalisation": {"subject": "Only a subject"}}, "Missing personalisation: body"),
    ],
)
def test_refuses_an_invalid_body(notify_stub, overrides, message):
    with pytest.raises(HTTPError) as error:
        send(client_for(notify_stub), notify_stub, **overrides)
    assert error.value.status_code == 400
    assert message in str(error.value.message)


def test_can_be_told_to_fail_the_next_requests(notify_stub):
    notify_stub.fail_next(2, status=500)
    client = client_for(notify_stub)
    for _ in range(2):
        with pytest.raises(HTTPError) as error:
            send(client, notify_stub)
        assert error.value.status_code == 500
    send(client, notify_stub)
    assert [r.status for r in notify_stub.requests] == [500, 500, 201]
