"""Hypothesis fuzzing of the staff complaint forms and the sign-in form, through their pages.

Arbitrary text (any Unicode, control characters, huge strings, markup) and weird dates: the page either
accepts the input (redirect) or shows the form again with field errors; it never answers 500, and whatever
was typed comes back escaped.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candour.complaints import services
from candour.complaints.services import SEVEN_ELEMENTS, PointInput
from candour.organisations.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MARKER = "<b id=fuzz>"
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

weird_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(
        ["", " ", "\x00", "\r\n\t", "\u202e\u200b", "𝕏" * 3000, "a" * 20_000, MARKER, "{{7*7}}", "%s%n", "'; --"]
    ),
).map(lambda s: s + MARKER if len(s) < 1000 else s)
date_part = st.one_of(
    st.sampled_from(["", "0", "31", "13", "-1", "9" * 30, "١٢", "２０２５", "1e3", "2025.0", " 2 ", "\x00"]),
    st.integers(-(10**20), 10**20).map(str),
    st.text(max_size=12),
)


def date_fields(name: str):
    return st.fixed_dictionaries({f"{name}-day": date_part, f"{name}-month": date_part, f"{name}-year": date_part})


def assert_answered(response) -> None:
    assert response.status_code in (200, 302, 400, 403, 404, 409), response.status_code
    if response.status_code == 200:
        page = response.content.decode()
        assert MARKER not in page, "typed markup came back unescaped"


@pytest.fixture
def manager_client(tree, member):
    user = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    member(Role.INVESTIGATOR, tree["agency"], username="investigator")
    client = Client()
    client.force_login(user)
    return client


def make_complaint(tree, channel="online"):
    complaint, _ = services.create_complaint(
        actor=None,
        organisation=tree["agency"],
        channel=channel,
        description="Something went wrong",
        complainant_name="Person",
        complainant_email="person@example.com",
        points=[PointInput("Point")],
    )
    return complaint


def post(client, url, data):
    return client.post(url, data)


def test_a_huge_year_is_a_field_error_not_a_server_error():
    from candour.complaints.staff_forms import ExtensionForm

    form = ExtensionForm({"new_due-day": "1", "new_due-month": "1", "new_due-year": "9" * 30, "reason": "x",
                          "complainant_agreed": "yes"})  # fmt: skip
    assert not form.is_valid()
    assert form.errors["new_due"] == ["New response date must be a real date"]


def test_intake_form(manager_client, tree):
    url = reverse("staff_complaints:new")

    @SETTINGS
    @given(
        text=st.dictionaries(
            st.sampled_from(
                [
                    "complainant_name",
                    "complainant_email",
                    "complainant_phone",
                    "summary",
                    "description",
                    "outcome_sought",
                    "mp_name",
                    "point_1",
                    "point_1_outcome",
                    "reasonable_adjustments",
                    "complainant_address",
                ]
            ),
            weird_text,
            min_size=1,
        ),  # fmt: skip
        choices=st.fixed_dictionaries(
            {
                "channel": st.sampled_from(["email", "phone", "letter", "online", "x", ""]),
                "organisation": st.sampled_from([str(tree["agency"].pk), "0", "abc", "", "-1", "9" * 30]),
                "preferred_contact": st.sampled_from(["email", "phone", "post", "<x>", ""]),
            }
        ),  # fmt: skip
        received=date_fields("received_on"),
        events=date_fields("events_date"),
    )
    def run(text, choices, received, events):
        assert_answered(post(manager_client, url, {**text, **choices, **received, **events}))

    run()


def test_triage_form(manager_client, tree):
    complaint = make_complaint(tree, channel="email")
    url = reverse("staff_complaints:triage", kwargs={"reference": complaint.reference})

    @SETTINGS
    @given(
        decision=st.sampled_from(["complaint", "service_request", "other_route", "", "<x>"]),
        other_route=st.one_of(weird_text, st.sampled_from(["", "foi", "appeal"])),
        signposting=weird_text,
        reason=weird_text,
    )
    def run(decision, other_route, signposting, reason):
        data = {"decision": decision, "other_route": other_route, "signposting": signposting, "reason": reason}
        assert_answered(post(manager_client, url, data))

    run()


@pytest.mark.parametrize("name", ["acknowledge", "withdraw", "escalate", "close"])
def test_transition_form(manager_client, tree, name):
    @SETTINGS
    @given(
        reason=weird_text,
        investigator=st.one_of(weird_text, st.just("investigator")),
        has_conflict=st.one_of(st.sampled_from(["yes", "no", "declared", ""]), weird_text),
        details=weird_text,
    )
    def run(reason, investigator, has_conflict, details):
        complaint = make_complaint(tree)
        url = reverse("staff_complaints:transition", kwargs={"reference": complaint.reference, "name": name})
        data = {"reason": reason, "investigator": investigator, "has_conflict": has_conflict, "details": details}
        assert_answered(post(manager_client, url, data))

    run()


def test_extension_form(manager_client, tree):
    complaint = make_complaint(tree)
    services.transition(actor=None, complaint=complaint, name="acknowledge")
    url = reverse("staff_complaints:extend", kwargs={"reference": complaint.reference})

    @SETTINGS
    @given(new_due=date_fields("new_due"), reason=weird_text, agreed=st.sampled_from(["yes", "no", "", "maybe"]))
    def run(new_due, reason, agreed):
        assert_answered(post(manager_client, url, {**new_due, "reason": reason, "complainant_agreed": agreed}))

    run()


def test_response_form(manager_client, tree):
    complaint = make_complaint(tree)
    services.transition(actor=None, complaint=complaint, name="acknowledge")
    url = reverse("staff_complaints:response", kwargs={"reference": complaint.reference})

    @SETTINGS
    @given(
        text=st.fixed_dictionaries({name: weird_text for name, _ in SEVEN_ELEMENTS}),
        apology=weird_text,
        outcome=st.sampled_from(["", "upheld", "partly_upheld", "not_upheld", "<x>"]),
    )
    def run(text, apology, outcome):
        assert_answered(post(manager_client, url, {**text, "apology": apology, "outcome": outcome}))

    run()


def test_sign_in_form(db, settings):
    settings.AXES_ENABLED = False
    url = reverse("accounts:sign-in")

    @SETTINGS
    @given(username=weird_text, password=weird_text, next_url=weird_text)
    def run(username, password, next_url):
        response = Client().post(url + "?" + "next=x", {"username": username, "password": password, "next": next_url})
        assert_answered(response)

    run()
