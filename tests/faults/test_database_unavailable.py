"""When the database cannot be reached, a public page says so plainly (503, English or Welsh) and keeps what the
person typed; with the cache-first session backend their answers survive the outage.

The outage is made by making every query on the connection fail as an unreachable server does
(`connection.execute_wrapper` raising `OperationalError`), so sessions, views and middleware all meet it.
"""

from __future__ import annotations

import contextlib
import html

import pytest
from django.db import OperationalError, connection

from candour.shell.resilience import SessionStore

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.faults.urls")]

TYPED = {
    "description": "Fy nhaliad <script>alert('x')</script> & \"quotes\" — ŵ ŷ",
    "complainant_name": "Siân O'Brien",
    "points": ["first", "second"],
}


@contextlib.contextmanager
def database_down():
    def refuse(execute, sql, params, many, context):
        raise OperationalError('connection to server at "127.0.0.1", port 1 failed: Connection refused')

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def resilient_sessions(settings):
    settings.SESSION_ENGINE = "candour.shell.resilience"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "faults"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def hidden_inputs(page: str) -> list[tuple[str, str]]:
    import re

    return [
        (html.unescape(name), html.unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page)
        if name != "csrfmiddlewaretoken"
    ]


@pytest.mark.parametrize(
    ("prefix", "heading", "button"),
    [
        ("", "Sorry, there is a problem with the service", "Try again"),
        ("/cy", "Mae&#39;n ddrwg gennym, mae problem gyda&#39;r gwasanaeth", "Rhowch gynnig arall arni"),
    ],
)
def test_a_post_during_an_outage_gets_a_503_page_with_every_answer_kept(client, prefix, heading, button):
    with database_down():
        response = client.post(f"{prefix}/fault-form/", TYPED)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert heading in page and button in page
    assert f'action="{prefix}/fault-form/"' in page and 'method="post"' in page
    assert hidden_inputs(page) == [
        ("description", TYPED["description"]),
        ("complainant_name", TYPED["complainant_name"]),
        ("points", "first"),
        ("points", "second"),
    ]
    assert "<script>alert" not in page  # escaped, not echoed


def test_try_again_posts_the_same_answers_once_the_database_is_back(client):
    with database_down():
        page = client.post("/fault-form/", TYPED).content.decode()
    again = {}
    for name, value in hidden_inputs(page):
        again.setdefault(name, []).append(value)
    response = client.post("/fault-form/", again)
    assert response.status_code == 200 and response.content == b"saved"
    assert TYPED["complainant_name"] in html.unescape(client.get("/fault-form/").content.decode())


def test_a_page_view_during_an_outage_gets_the_503_page_without_a_form(client):
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page and "<form" not in page.split("main-content")[1]


def test_staff_pages_and_the_api_keep_their_own_error_handling(client):
    client.raise_request_exception = False
    with database_down():
        assert client.get("/staff/fault-page/").status_code == 500
        assert client.get("/api/v1/organisations").status_code == 500


def test_answers_in_the_session_survive_the_outage(client, resilient_sessions):
    client.post("/fault-form/", {"description": "Before the outage", "complainant_name": "Siân"})

    with database_down():
        # Read back from the cache: the database is not needed to show what was typed earlier.
        during = client.get("/fault-session/")
        assert during.status_code == 200
        assert "Before the outage" in html.unescape(during.content.decode())
        # A new answer is kept in the cache even though the database refuses the write.
        assert client.post("/fault-session/", {"description": "During the outage"}).content == b"kept"
        assert "During the outage" in html.unescape(client.get("/fault-session/").content.decode())

    # Back up: the next save writes the session to the database too.
    client.post("/fault-form/", {"description": "After the outage"})
    from django.contrib.sessions.models import Session

    key = client.cookies["sessionid"].value
    assert SessionStore().decode(Session.objects.get(session_key=key).session_data)["answers"] == {
        "description": "After the outage"
    }


def test_a_new_visitor_during_an_outage_gets_a_session_in_the_cache(client, resilient_sessions):
    with database_down():
        assert client.post("/fault-session/", {"description": "First visit"}).content == b"kept"
        assert "sessionid" in client.cookies
        assert "First visit" in html.unescape(client.get("/fault-session/").content.decode())
