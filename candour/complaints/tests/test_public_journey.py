"""The public "Make a complaint" journey, as a member of the public uses it, in English and in Welsh."""

import datetime
import html
import re

import pytest
import time_machine

from candour.audit.models import AuditEvent
from candour.complaints.models import Complaint
from candour.notifications.models import Message
from candour.organisations import services as org_services

pytestmark = pytest.mark.django_db

# Tuesday 20 January 2026.
TODAY = datetime.date(2026, 1, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def page(response) -> str:
    return html.unescape(response.content.decode())


def go(client, url, data=None):
    """POST (or GET) and follow redirects; returns the final response."""
    if data is None:
        return client.get(url, follow=True)
    return client.post(url, data, follow=True)


def answer_everything(client, prefix="", slug="agency", *, anonymous=False, on_behalf=False, date=(3, 11, 2025)):
    base = f"{prefix}/complain/{slug}"
    go(client, f"{base}/")
    go(client, f"{base}/anonymous/", {"anonymous": "yes" if anonymous else "no"})
    if not anonymous:
        go(client, f"{base}/who/", {"who": "someone_else" if on_behalf else "myself"})
        if on_behalf:
            go(client, f"{base}/someone-else/", {"person_name": "Sam Person", "relationship": "Son", "consent": "on"})
        go(
            client,
            f"{base}/contact/",
            {
                "name": "Alex Example",
                "email": "alex@example.com",
                "phone": "",
                "address": "",
                "preferred_contact": "email",
            },
        )
    go(client, f"{base}/what-happened/", {"description": "My licence took three months."})
    go(client, f"{base}/points/", {"summary": "It was late", "point_outcome": "An apology", "action": "add"})
    go(client, f"{base}/points/", {"summary": "", "point_outcome": "", "action": "continue"})
    response = go(client, f"{base}/when/", {"day": str(date[0]), "month": str(date[1]), "year": str(date[2])})
    if "why-now" in response.request["PATH_INFO"]:
        go(client, f"{base}/why-now/", {"late_reason": "I only found out last week."})
    go(client, f"{base}/outcome/", {"outcome_sought": "An apology and my licence."})
    go(client, f"{base}/adjustments/", {"adjustments": "yes", "adjustments_details": "Large print letters"})
    return go(client, f"{base}/files/", {"action": "continue"})


def submission_key(response) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f]+)"', page(response)).group(1)


def test_the_whole_journey_in_english_records_the_complaint_and_confirms_it(client, tree):
    check = answer_everything(client)
    assert check.request["PATH_INFO"] == "/complain/agency/check-your-answers/"
    text = page(check)
    assert "Check your answers before sending your complaint" in text
    for answer in [
        "Alex Example",
        "alex@example.com",
        "My licence took three months.",
        "It was late",
        "3 November 2025",
    ]:
        assert answer in text
    assert "Large print letters" in text
    confirmation = go(client, "/complain/agency/check-your-answers/", {"submission_key": submission_key(check)})
    complaint = Complaint.objects.get()
    text = page(confirmation)
    assert "Complaint sent" in text and complaint.reference in text
    # The organisation's timescales, as dates (3 and 5 working days after Tuesday 20 January 2026).
    assert "within 3 working days, by 23 January 2026" in text
    assert "within 5 working days, by 27 January 2026" in text
    assert complaint.channel == "online" and complaint.language == "en" and complaint.triage == "complaint"
    assert complaint.complainant_name == "Alex Example" and complaint.preferred_contact == "email"
    assert complaint.outcome_sought == "An apology and my licence."
    assert complaint.reasonable_adjustments == "Large print letters"
    assert complaint.events_date == datetime.date(2025, 11, 3) and not complaint.events_more_than_12_months_ago
    assert [(p.summary, p.outcome_sought) for p in complaint.points.all()] == [("It was late", "An apology")]
    # The progress link on the confirmation page opens the complaint.
    link = re.search(r'href="(/complaint/progress/[^"]+)"', text).group(1)
    assert complaint.reference in page(client.get(link))
    # The confirmation e-mail is in the outbox, in English, with the reference and the same progress link.
    message = Message.objects.get()
    assert message.recipient == "alex@example.com" and message.template == "acknowledgement"
    assert message.language == "en" and complaint.reference in message.subject
    assert link in message.body_text and "27 January 2026" in message.body_text
    assert message.idempotency_key == f"complaint-confirmation-{complaint.pk}"


def test_the_whole_journey_in_welsh_records_a_welsh_complaint(client, tree):
    check = answer_everything(client, prefix="/cy", on_behalf=True)
    assert check.request["PATH_INFO"] == "/cy/complain/agency/check-your-answers/"
    assert "Gwiriwch eich atebion cyn anfon eich cwyn" in page(check)
    confirmation = go(client, "/cy/complain/agency/check-your-answers/", {"submission_key": submission_key(check)})
    complaint = Complaint.objects.get()
    assert complaint.language == "cy"
    assert complaint.on_behalf_of_someone and complaint.consent_confirmed
    assert complaint.person_affected_name == "Sam Person" and complaint.representative_relationship == "Son"
    text = page(confirmation)
    assert "Cwyn wedi'i hanfon" in text and complaint.reference in text
    assert "23 Ionawr 2026" in text
    assert '<html lang="cy"' in text
    message = Message.objects.get()
    assert message.language == "cy" and "/cy/complaint/progress/" in message.body_text


def test_double_submission_creates_one_complaint_and_shows_the_same_confirmation(client, tree):
    check = answer_everything(client)
    key = submission_key(check)
    first = go(client, "/complain/agency/check-your-answers/", {"submission_key": key})
    second = go(client, "/complain/agency/check-your-answers/", {"submission_key": key})
    assert Complaint.objects.count() == 1
    reference = Complaint.objects.get().reference
    assert reference in page(first) and reference in page(second)
    assert Message.objects.count() == 1, "one confirmation e-mail"


def test_anonymous_journey_asks_no_contact_details_and_explains_no_reply(client, tree):
    check = answer_everything(client, anonymous=True)
    text = page(check)
    assert "Your contact details" not in text
    assert "we can't reply to you" in text
    confirmation = go(client, "/complain/agency/check-your-answers/", {"submission_key": submission_key(check)})
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous and complaint.complainant_name == "" and complaint.complainant_email == ""
    assert not Message.objects.exists(), "nothing is sent for an anonymous complaint"
    assert "can't reply to you" in page(confirmation)


def test_organisations_that_do_not_take_anonymous_complaints_never_offer_it(client, tree):
    org_services.update_organisation(actor=None, organisation=tree["dept"], allows_anonymous_complaints=False)
    start = go(client, "/complain/dept/")
    assert 'href="/complain/dept/who/"' in page(start)
    assert go(client, "/complain/dept/anonymous/").request["PATH_INFO"] == "/complain/dept/who/"


def test_events_more_than_12_months_ago_ask_why_now_and_are_recorded_not_refused(client, tree):
    response = go(client, "/complain/agency/")
    go(client, "/complain/agency/anonymous/", {"anonymous": "yes"})
    go(client, "/complain/agency/what-happened/", {"description": "Long ago"})
    go(client, "/complain/agency/points/", {"action": "continue"})
    response = go(client, "/complain/agency/when/", {"day": "1", "month": "1", "year": "2024"})
    assert response.request["PATH_INFO"] == "/complain/agency/why-now/"
    assert "Why are you complaining now?" in page(response)
    response = go(client, "/complain/agency/why-now/", {"late_reason": ""})
    assert "Tell us why you are complaining now" in page(response)
    go(client, "/complain/agency/why-now/", {"late_reason": "I was in hospital."})
    go(client, "/complain/agency/outcome/", {"outcome_sought": "Sorted"})
    go(client, "/complain/agency/adjustments/", {"adjustments": "no"})
    check = go(client, "/complain/agency/files/", {"action": "continue"})
    assert "I was in hospital." in page(check)
    go(client, "/complain/agency/check-your-answers/", {"submission_key": submission_key(check)})
    complaint = Complaint.objects.get()
    assert complaint.events_more_than_12_months_ago and complaint.late_reason == "I was in hospital."


def test_a_recent_date_does_not_ask_why_now(client, tree):
    go(client, "/complain/agency/anonymous/", {"anonymous": "yes"})
    go(client, "/complain/agency/what-happened/", {"description": "x"})
    go(client, "/complain/agency/points/", {"action": "continue"})
    response = go(client, "/complain/agency/when/", {"day": "21", "month": "1", "year": "2025"})
    assert response.request["PATH_INFO"] == "/complain/agency/outcome/"


def test_change_links_return_to_check_your_answers(client, tree):
    check = answer_everything(client)
    assert 'href="/complain/agency/outcome/?change=1"' in page(check)
    response = go(client, "/complain/agency/outcome/?change=1", {"outcome_sought": "A refund"})
    assert response.request["PATH_INFO"] == "/complain/agency/check-your-answers/"
    assert "A refund" in page(response)
    # Changing to "someone else" asks about that person before going back.
    response = go(client, "/complain/agency/who/?change=1", {"who": "someone_else"})
    assert response.request["PATH_INFO"] == "/complain/agency/someone-else/"


def test_check_answers_sends_you_back_to_what_is_missing(client, tree):
    go(client, "/complain/agency/anonymous/", {"anonymous": "no"})
    response = go(client, "/complain/agency/check-your-answers/")
    assert response.request["PATH_INFO"] == "/complain/agency/who/"


def test_up_to_10_points_can_be_added_and_removed(client, tree):
    go(client, "/complain/agency/anonymous/", {"anonymous": "yes"})
    go(client, "/complain/agency/what-happened/", {"description": "x"})
    for n in range(10):
        go(client, "/complain/agency/points/", {"summary": f"Problem {n}", "action": "add"})
    response = go(client, "/complain/agency/points/")
    assert "Problem 9" in page(response) and "the most you can add" in page(response)
    response = go(client, "/complain/agency/points/", {"summary": "Eleventh", "action": "add"})
    assert "You can add up to 10 points" in page(response)
    response = go(client, "/complain/agency/points/", {"action": "remove-0"})
    assert "Problem 0" not in page(response) and "Problem 1" in page(response)


def test_unknown_or_closed_organisations_are_not_found(client, tree):
    assert client.get("/complain/nobody/").status_code == 404
    assert client.get("/complain/agency-team/").status_code == 404
    assert client.get("/complain/agency/no-such-question/").status_code == 404


def test_submitting_records_an_audit_event_without_personal_data(client, tree):
    check = answer_everything(client)
    go(client, "/complain/agency/check-your-answers/", {"submission_key": submission_key(check)})
    events = AuditEvent.objects.filter(verb="created", object_type="complaints.complaint")
    assert events.count() == 1
    assert "Alex" not in events.get().summary


def test_the_home_page_links_each_organisation_to_its_start_page(client, tree):
    assert 'href="/complain/agency/"' in page(client.get("/"))
    assert 'href="/cy/complain/agency/"' in page(client.get("/cy/"))
