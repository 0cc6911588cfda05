"""Public forms are rate limited per client address; reading pages never is."""

import datetime

import pytest
import time_machine
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    """Empty counts, and a clock that stays inside one minute (the counting window)."""
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, 0, 5, tzinfo=datetime.UTC), tick=False):
        yield
    cache.clear()


def test_too_many_survey_posts_from_one_address_get_a_clear_page_in_welsh_too(client, settings):
    settings.CANDOUR_PUBLIC_POST_LIMITS = {"/survey/": 3}
    statuses = [client.post("/cy/survey/not-a-real-token/", {}).status_code for _ in range(4)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    page = client.post("/cy/survey/not-a-real-token/", {})
    assert "Gormod o ymdrechion" in page.content.decode() and page["Retry-After"] == "60"
    # Another address is not affected, and reading is never limited.
    assert client.post("/survey/not-a-real-token/", {}, REMOTE_ADDR="10.0.0.9").status_code != 429
    assert client.get("/survey/not-a-real-token/").status_code != 429


def test_the_complaint_journey_has_its_own_limit(client, settings, tree):
    settings.CANDOUR_PUBLIC_POST_LIMITS = {"/complain/": 2}
    url = "/complain/agency/"
    assert [client.post(url, {}).status_code == 429 for _ in range(3)] == [False, False, True]
