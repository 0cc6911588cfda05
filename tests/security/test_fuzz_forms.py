"""Hypothesis fuzzing of the staff complaint forms, the sign-in form and the public forms (the complaint journey
in English and Welsh, the progress page's forms, the survey), through their pages.

Arbitrary text (any Unicode, control characters, huge strings, markup) and weird dates: the page either
accepts the input (redirect) or shows the form again with field errors; it never answers 500, and whatever
was typed comes back escaped.
"""

from __future__ import annotations

import datetime

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


# ---- the public forms: the complaint journey (English and Welsh), the progress page, the survey ----------------
#
# Anyone can reach these, so they get the nastiest input: a server error is never acceptable. Either the page
# moves on (302) or it shows a GOV.UK error and keeps what was typed (the marker, escaped, is back in the page).

PUBLIC_SETTINGS = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ESCAPED_MARKER = "&lt;b id=fuzz&gt;"
public_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),  # control characters, NUL included
    st.sampled_from(["", " ", "\x00", "a\x00b", "\r\n\t", "\u202e\u200b", "𝕏" * 3000, "a" * 20_000, "{{7*7}}", "${7*7}",
                     "\ud7ff\ue000", "<script>alert(1)</script>", "# [x](http://evil.example)"]),
).map(lambda s: s + MARKER if len(s) < 1000 else s)  # fmt: skip


def assert_public_answer(response, data: dict) -> None:
    """Never a server error; a page with errors shows the GOV.UK error summary and keeps what was typed."""
    assert response.status_code in (200, 302, 404), response.status_code
    if response.status_code != 200:
        return
    page = response.content.decode()
    assert MARKER not in page, "typed markup came back unescaped"
    if "govuk-error-summary" in page:
        typed = [v for v in data.values() if isinstance(v, str) and v.endswith(MARKER) and "\x00" not in v]
        if typed:
            assert ESCAPED_MARKER in page, "what was typed was not kept"


@pytest.fixture
def public_org(tree):
    return tree["agency"]


@pytest.mark.parametrize("language", ["", "/cy"])
def test_nul_bytes_control_characters_and_overlong_text_get_a_govuk_error_that_keeps_the_answer(public_org, language):
    """The checks above are not vacuous: these inputs do reach the error branch and the answer is kept."""
    client = Client()
    url = f"{language}/complain/{public_org.slug}/what-happened/"
    for typed in ("before\x00after" + MARKER, "a" * 10_001 + MARKER):
        response = client.post(url, {"description": typed})
        page = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in page, typed[:20]
        assert ESCAPED_MARKER in page and MARKER not in page


# Journey pages with free text, the answers that make each one apply, and their fields.
JOURNEY = {
    "contact": ({}, ["name", "email", "phone", "address"]),
    "someone-else": ({"who": "someone_else"}, ["person_name", "relationship"]),
    "what-happened": ({}, ["description"]),
    "points": ({}, ["summary", "point_outcome"]),
    "when": ({}, ["day", "month", "year"]),
    "outcome": ({}, ["outcome_sought"]),
    "adjustments": ({}, ["adjustments_details"]),
}


@pytest.mark.parametrize("language", ["", "/cy"])
@pytest.mark.parametrize("step", list(JOURNEY))
def test_public_complaint_journey(public_org, language, step):
    client = Client()
    setup, fields = JOURNEY[step]
    for name, value in setup.items():
        client.post(f"{language}/complain/{public_org.slug}/who/", {name: value})
    url = f"{language}/complain/{public_org.slug}/{step}/"
    assert client.get(url).status_code == 200

    @PUBLIC_SETTINGS
    @given(
        text=st.fixed_dictionaries(dict.fromkeys(fields, public_text)),
        extra=st.fixed_dictionaries(
            {
                "preferred_contact": st.sampled_from(["email", "phone", "post", "<x>", "", "\x00"]),
                "adjustments": st.sampled_from(["yes", "no", "", "maybe"]),
                "consent": st.sampled_from(["on", "", "\x00"]),
                "action": st.sampled_from(["", "add", "continue", "remove-0", "remove-99", "remove-x"]),
            }
        ),
    )
    def run(text, extra):
        data = {**text, **extra}
        assert_public_answer(client.post(url, data), text)

    run()


@pytest.fixture
def progress_token(public_org):
    complaint = make_complaint({"agency": public_org})
    return services.issue_access_link(complaint)


@pytest.mark.parametrize("page", ["add-information", "withdraw"])
@pytest.mark.parametrize("language", ["", "/cy"])
def test_public_progress_forms(progress_token, page, language):
    client = Client()
    url = f"{language}/complaint/progress/{progress_token}/{page}/"

    @PUBLIC_SETTINGS
    @given(information=public_text, reason=public_text)
    def run(information, reason):
        # Withdrawing for real would end the journey for later examples: only the invalid forms are sent there.
        data = {"information": information} if page == "add-information" else {"reason": reason, "confirm": ""}
        assert_public_answer(client.post(url, data), data)

    run()


@pytest.mark.parametrize("language", ["", "/cy"])
def test_public_survey_form(public_org, language):
    from candour.feedback import services as feedback_services
    from candour.feedback.statements import STATEMENTS, Kind
    from candour.privacy.tests import factories

    complaint = factories.responded(
        make_complaint({"agency": public_org}), on=datetime.date.today(), close_on=datetime.date.today()
    )
    token = feedback_services.invite_complainant(complaint=complaint)
    url = f"{language}/survey/{token}/"
    client = Client()
    keys = [s.key for s in STATEMENTS[Kind.COMPLAINANT]]

    @PUBLIC_SETTINGS
    @given(
        comments=public_text,
        scores=st.fixed_dictionaries(
            dict.fromkeys(keys, st.sampled_from(["", "0", "6", "x", "\x00", "９", "-1", "1e3"]))
        ),
    )
    def run(comments, scores):
        # Scores are always invalid so the single-use link survives every example.
        data = {"comments": comments, **scores}
        assert_public_answer(client.post(url, data), {"comments": comments})

    run()
