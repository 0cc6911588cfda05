"""Each question page's validation, in English and in Welsh: a GOV.UK error summary linking to the field,
the message beside it, and what the person typed kept."""

import datetime
import html

import pytest
import time_machine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def post(client, language, step, data, slug="agency"):
    prefix = "/cy" if language == "cy" else ""
    response = client.post(f"{prefix}/complain/{slug}/{step}/", data)
    assert response.status_code == 200, "an invalid answer shows the page again"
    return html.unescape(response.content.decode())


def assert_error(text, message, href):
    assert 'class="govuk-error-summary' in text
    assert f'href="{href}"' in text, f"the summary links to {href}"
    assert text.count(message) >= 2, "the message is in the summary and beside the field"


@pytest.fixture
def named(client, tree):
    client.post("/complain/agency/anonymous/", {"anonymous": "no"})
    client.post("/complain/agency/who/", {"who": "someone_else"})
    return client


CASES = [
    # step, data, (English message, Welsh message), error link, something typed that must be kept
    (
        "anonymous",
        {},
        (
            "Select whether you want to give your name and contact details",
            "Dewiswch a ydych eisiau rhoi eich enw a'ch manylion cyswllt",
        ),
        "#id_anonymous",
        None,
    ),
    ("who", {}, ("Select who the complaint is for", "Dewiswch ar ran pwy mae'r gŵyn"), "#id_who", None),
    (
        "someone-else",
        {"person_name": "Sam Person", "relationship": "Son"},
        (
            "Confirm that the person has agreed to you complaining for them",
            "Cadarnhewch fod y person wedi cytuno i chi gwyno ar ei ran",
        ),
        "#id_consent",
        'value="Sam Person"',
    ),
    (
        "contact",
        {"name": "Alex Example", "phone": "01632 960 001", "preferred_contact": "email"},
        (
            "Enter your email address, or choose another way for us to contact you",
            "Rhowch eich cyfeiriad e-bost, neu dewiswch ffordd arall i ni gysylltu â chi",
        ),
        "#id_email",
        'value="01632 960 001"',
    ),
    (
        "contact",
        {"name": "Alex Example", "email": "not-an-email", "preferred_contact": "email"},
        (
            "Enter an email address in the correct format, like name@example.com",
            "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@example.com",
        ),
        "#id_email",
        'value="not-an-email"',
    ),
    (
        "contact",
        {"name": "Alex Example", "email": "a@example.com", "preferred_contact": "post"},
        (
            "Enter your postal address, or choose another way for us to contact you",
            "Rhowch eich cyfeiriad post, neu dewiswch ffordd arall i ni gysylltu â chi",
        ),
        "#id_address",
        'value="a@example.com"',
    ),
    (
        "what-happened",
        {"description": "   "},
        ("Tell us what happened", "Dywedwch wrthym beth ddigwyddodd"),
        "#id_description",
        None,
    ),
    (
        "points",
        {"summary": "", "point_outcome": "An apology", "action": "add"},
        ("Describe what went wrong", "Disgrifiwch beth aeth o'i le"),
        "#id_summary",
        ">An apology</textarea>",
    ),
    (
        "when",
        {"day": "31", "month": "2", "year": "2025"},
        ("The date must be a real date", "Rhaid i'r dyddiad fod yn ddyddiad go iawn"),
        "#events_date-day",
        'value="31"',
    ),
    (
        "when",
        {"day": "3", "month": "", "year": "2025"},
        ("The date must include a month", "Rhaid i'r dyddiad gynnwys mis"),
        "#events_date-month",
        'value="2025"',
    ),
    (
        "when",
        {"day": "3", "month": "3", "year": "2027"},
        ("The date must be today or in the past", "Rhaid i'r dyddiad fod heddiw neu yn y gorffennol"),
        "#events_date-day",
        'value="2027"',
    ),
    (
        "outcome",
        {},
        ("Tell us what you would like to happen", "Dywedwch wrthym beth yr hoffech iddo ddigwydd"),
        "#id_outcome_sought",
        None,
    ),
    (
        "adjustments",
        {"adjustments": "yes"},
        ("Tell us what changes you need", "Dywedwch wrthym pa newidiadau sydd eu hangen arnoch"),
        "#id_adjustments_details",
        None,
    ),
    (
        "files",
        {"action": "add"},
        ("Choose a file to upload", "Dewiswch ffeil i'w huwchlwytho"),
        "#id_file",
        None,
    ),
]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(("step", "data", "messages", "href", "kept"), CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_question_pages_explain_errors_and_keep_what_was_typed(named, language, step, data, messages, href, kept):
    text = post(named, language, step, data)
    message = messages[0] if language == "en" else messages[1]
    assert_error(text, message, href)
    assert "<title>Error: " in text or "<title>Gwall: " in text
    if kept:
        assert kept in text


def test_why_now_is_only_asked_when_needed_and_is_validated(client, tree):
    client.post("/complain/agency/when/", {"day": "1", "month": "1", "year": "2024"})
    text = post(client, "cy", "why-now", {"late_reason": ""})
    assert_error(text, "Dywedwch wrthym pam rydych yn cwyno nawr", "#id_late_reason")


@pytest.mark.parametrize("step", ["what-happened", "outcome", "adjustments", "points", "contact", "someone-else"])
def test_unanswered_questions_start_empty(client, tree, step):
    text = html.unescape(client.get(f"/complain/agency/{step}/").content.decode())
    assert ">None<" not in text and 'value="None"' not in text
