"""An independent check of the deadlines the API gives: for many received dates across 2025-2028, in all
four nations, `acknowledgement_due` and `response_due` equal the dates a plain day-by-day counter finds
over GOV.UK's published bank holidays (read straight from the JSON shipped in `govuk_bank_holidays`,
not through Candour's calendar)."""

import datetime
import json
import random
from pathlib import Path

import govuk_bank_holidays
import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from candour.organisations import services as org_services
from candour.organisations.models import Kind, Nation
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db

DIVISION = {
    Nation.ENGLAND: "england-and-wales",
    Nation.WALES: "england-and-wales",
    Nation.SCOTLAND: "scotland",
    Nation.NORTHERN_IRELAND: "northern-ireland",
}
FIRST, LAST = datetime.date(2025, 1, 1), datetime.date(2028, 11, 30)  # responses stay within the published data


def published_bank_holidays() -> dict[str, set[datetime.date]]:
    data = json.loads((Path(govuk_bank_holidays.__file__).parent / "bank-holidays.json").read_text())
    return {
        division: {datetime.date.fromisoformat(event["date"]) for event in body["events"]}
        for division, body in data.items()
    }


def count_working_days(start: datetime.date, n: int, holidays: set[datetime.date]) -> datetime.date:
    """The n-th weekday after `start` that is not a bank holiday (the day received never counts)."""
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


def received_dates(holidays: set[datetime.date], rng: random.Random) -> list[datetime.date]:
    """Dates near every bank holiday (where mistakes show) and a spread of ordinary ones, weekends included."""
    near = {h - datetime.timedelta(days=rng.randint(0, 6)) for h in holidays if FIRST <= h <= LAST}
    spread = {FIRST + datetime.timedelta(days=rng.randrange((LAST - FIRST).days)) for _ in range(12)}
    return sorted(d for d in near | spread if FIRST <= d <= LAST)


@pytest.fixture
def organisations(tree):
    northern_ireland = org_services.create_organisation(
        actor=None,
        slug="ni-body",
        name="Northern Ireland Body",
        kind=Kind.NDPB,
        parent=tree["dept"],
        nation=Nation.NORTHERN_IRELAND,
        accepts_complaints=True,
    )
    # Stage 1 at 10 working days here, as the Housing and LGSCO codes use: timescales are per organisation.
    tree["sibling"].stage1_response_days = 10
    tree["sibling"].save()
    return [tree["dept"], tree["agency"], tree["sibling"], northern_ireland]


def test_api_deadlines_match_an_independent_count_over_published_bank_holidays(organisations, make_user):
    user = make_user(username="intake")
    for organisation in organisations:
        org_services.add_membership(actor=None, user=user, organisation=organisation, role=Role.COMPLAINT_HANDLER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    published = published_bank_holidays()
    rng = random.Random(2025)
    checked = 0
    with time_machine.travel(datetime.datetime(2028, 12, 31, 12, 0, tzinfo=datetime.UTC), tick=False):
        for organisation in organisations:
            holidays = published[DIVISION[organisation.nation]]
            for received in received_dates(holidays, rng):
                response = client.post(
                    "/api/v1/complaints",
                    {
                        "organisation": organisation.slug,
                        "channel": "letter",
                        "received_on": received.isoformat(),
                        "description": "Deadline check",
                        "is_anonymous": True,
                    },
                    format="json",
                )
                assert response.status_code == 201, response.json()
                body = response.json()
                expected = (
                    count_working_days(received, organisation.acknowledge_days, holidays).isoformat(),
                    count_working_days(received, organisation.stage1_response_days, holidays).isoformat(),
                )
                assert (body["acknowledgement_due"], body["response_due"]) == expected, (
                    organisation.nation,
                    received,
                )
                checked += 1
    assert checked > 150, checked
