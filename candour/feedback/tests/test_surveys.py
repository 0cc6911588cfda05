"""The complainant and colleague surveys as people meet them: who is invited and when, the link (single use,
60 days, nothing but the reference), both languages, and answers recorded once."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError

from candour.audit.models import AuditEvent
from candour.complaints import services as complaint_services
from candour.feedback import services, sweeps
from candour.feedback.models import Answer, SurveyInvitation, SurveyResponse
from candour.feedback.statements import COMPLAINANT_STATEMENTS, Kind
from candour.notifications.models import Message
from candour.organisations.roles import Role

from .helpers import close_complaint

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=datetime.UTC)  # a Friday
CLOSED = datetime.date(2026, 3, 2)  # a Monday: 10 working days later is Monday 16 March


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def closed(tree, handler):
    return close_complaint(tree["agency"], handler, closed_on=CLOSED)


def _token(complaint) -> str:
    message = Message.objects.get(idempotency_key=f"complaint:{complaint.pk}:survey")
    return re.search(r"/survey/([A-Za-z0-9_-]+)/", message.body_text).group(1)


def _all_agree(score=5):
    return {s.key: str(score) for s in COMPLAINANT_STATEMENTS}


# ---- invitations --------------------------------------------------------------------------------------------


def test_the_sweep_invites_the_complainant_once_after_ten_working_days(closed, tree):
    assert sweeps.complaints_due_an_invitation(datetime.date(2026, 3, 13)) == []  # 9 working days
    assert sweeps.complaints_due_an_invitation(datetime.date(2026, 3, 16)) == [closed]
    assert sweeps.send_invitations(datetime.date(2026, 3, 16)).startswith("1 survey invitations")
    assert sweeps.send_invitations(datetime.date(2026, 3, 17)).startswith("0 survey invitations")
    invitation = SurveyInvitation.objects.get(kind=Kind.COMPLAINANT)
    message = Message.objects.get(idempotency_key=f"complaint:{closed.pk}:survey")
    token = _token(closed)
    # Only the hash of the token is kept on the invitation.
    assert invitation.token_hash == services.hash_token(token) and token not in invitation.token_hash
    assert message.recipient == "alex@example.com"
    assert closed.reference in message.body_text
    assert "My licence was late" not in message.body_text
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=60)


def test_each_organisation_sets_its_own_delay(closed, tree, member):
    admin = member(Role.SYSTEM_ADMIN, tree["dept"])
    services.set_survey_delay(actor=admin, organisation=tree["agency"], days=3)
    assert sweeps.complaints_due_an_invitation(datetime.date(2026, 3, 5)) == [closed]
    assert AuditEvent.objects.filter(verb="updated", summary="Changed the complainant survey delay").exists()


def test_a_welsh_complainant_gets_a_welsh_invitation_with_a_welsh_link(tree, handler):
    complaint = close_complaint(tree["agency"], handler, closed_on=CLOSED, language="cy")
    sweeps.send_invitations(datetime.date(2026, 3, 16))
    message = Message.objects.get(idempotency_key=f"complaint:{complaint.pk}:survey")
    assert message.language == "cy"
    assert "Dywedwch wrthym am eich profiad o gwyno" in message.subject
    assert "/cy/survey/" in message.body_text


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"is_anonymous": True}, "anonymous"),
        ({"contact_opt_out": True}, "opted out"),
    ],
)
def test_anonymous_and_opted_out_complainants_are_never_surveyed(tree, handler, fields, reason):
    complaint = close_complaint(tree["agency"], handler, closed_on=CLOSED, **fields)
    assert services.why_not_survey(complaint) == reason
    sweeps.send_invitations(datetime.date(2026, 3, 30))
    assert services.invite_complainant(complaint=complaint) is None
    assert not SurveyInvitation.objects.filter(kind=Kind.COMPLAINANT).exists()
    assert not Message.objects.filter(idempotency_key__endswith=":survey").exists()


def test_a_complainant_under_a_contact_restriction_is_never_surveyed(closed, monkeypatch):
    monkeypatch.setattr(services, "CONTACT_RESTRICTION_CHECKS", [lambda complaint: complaint.pk == closed.pk])
    sweeps.send_invitations(datetime.date(2026, 3, 30))
    assert services.why_not_survey(closed) == "contact restricted"
    assert not SurveyInvitation.objects.filter(kind=Kind.COMPLAINANT).exists()


def test_a_reopened_complaint_is_not_surveyed(closed, handler):
    complaint_services.transition(actor=handler, complaint=closed, name="reopen", reason="New information")
    sweeps.send_invitations(datetime.date(2026, 3, 30))
    assert not SurveyInvitation.objects.filter(kind=Kind.COMPLAINANT).exists()


# ---- the public page -----------------------------------------------------------------------------------------


def test_the_survey_shows_the_reference_and_nothing_else_about_the_complaint(client, closed):
    sweeps.send_invitations(datetime.date(2026, 3, 16))
    page = client.get(f"/survey/{_token(closed)}/").content.decode()
    assert closed.reference in page
    for secret in ("Alex Example", "alex@example.com", "licence was late", "Agency", "Upheld"):
        assert secret not in page
    assert "It was easy to make my complaint" in page
    assert 'lang="en"' in page


def test_the_survey_in_welsh(client, closed):
    sweeps.send_invitations(datetime.date(2026, 3, 16))
    page = client.get(f"/cy/survey/{_token(closed)}/").content.decode()
    assert '<html lang="cy"' in page
    assert "Roedd yn hawdd gwneud fy nghwyn" in page
    assert "Cytuno'n gryf" in page or "Cytuno&#39;n gryf" in page


def test_missing_answers_are_shown_as_errors_and_what_was_typed_is_kept(client, closed):
    sweeps.send_invitations(datetime.date(2026, 3, 16))
    url = f"/survey/{_token(closed)}/"
    response = client.post(url, {"easy": "4", "comments": "The forms were long"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("Choose how much you agree with the statement") >= 2 * (len(COMPLAINANT_STATEMENTS) - 1)
    assert "The forms were long" in page
    assert re.search(r'value="4"\s+checked', page) or 'value="4" checked' in page
    assert not SurveyResponse.objects.exists()
    welsh = client.post(f"/cy/survey/{_token(closed)}/", {}).content.decode()
    assert "Dewiswch i ba raddau rydych yn cytuno" in welsh


def test_answers_are_recorded_once_and_the_link_then_says_so(client, closed):
    sweeps.send_invitations(datetime.date(2026, 3, 16))
    url = f"/survey/{_token(closed)}/"
    response = client.post(url, {**_all_agree(), "comments": "Thank you"})
    assert response.status_code == 302 and response["Location"] == "/survey/thank-you/"
    again = client.post(url, {**_all_agree(1), "comments": "Second go"})
    assert again.status_code == 410
    assert "You have already answered this survey" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.filter(score=5).count() == len(COMPLAINANT_STATEMENTS)
    response_row = SurveyResponse.objects.get()
    assert (response_row.stage, response_row.outcome, response_row.comments) == (1, "upheld", "Thank you")
    assert client.get(url).status_code == 410
    event = AuditEvent.objects.get(verb="survey answered")
    assert "Thank you" not in event.summary and event.actor_label == "public"


def test_the_service_records_a_repeated_submission_once(closed):
    sweeps.send_invitations(datetime.date(2026, 3, 16))
    token = _token(closed)
    services.submit_complainant_response(token=token, answers=_all_agree())
    with pytest.raises(services.SurveyUnavailable) as problem:
        services.submit_complainant_response(token=token, answers=_all_agree())
    assert problem.value.reason == "used"
    assert SurveyResponse.objects.count() == 1


def test_impossible_scores_are_refused(closed):
    sweeps.send_invitations(datetime.date(2026, 3, 16))
    with pytest.raises(ValidationError):
        services.submit_complainant_response(token=_token(closed), answers={**_all_agree(), "easy": "9"})
    assert not SurveyResponse.objects.exists()


def test_the_link_expires_after_60_days(client, closed, frozen):
    sweeps.send_invitations(datetime.date(2026, 3, 16))
    url = f"/survey/{_token(closed)}/"
    frozen.shift(datetime.timedelta(days=59))
    assert client.get(url).status_code == 200
    frozen.shift(datetime.timedelta(days=1, seconds=1))
    response = client.get(url)
    assert response.status_code == 410
    assert "This survey link has expired" in response.content.decode()
    assert client.post(url, _all_agree()).status_code == 410
    assert "Mae'r ddolen arolwg hon wedi dod i ben" in client.get("/cy" + url).content.decode().replace("&#39;", "'")
    assert not SurveyResponse.objects.exists()


def test_an_unknown_link_gets_a_clear_page(client, closed):
    response = client.get("/survey/not-a-real-token/")
    assert response.status_code == 404
    assert "This survey link is not valid" in response.content.decode()


# ---- colleagues ---------------------------------------------------------------------------------------------


def test_colleagues_involved_are_invited_when_the_complaint_closes_and_answer_once(client, closed, handler):
    invitation = SurveyInvitation.objects.get(kind=Kind.COLLEAGUE)
    assert invitation.colleague == handler and invitation.colleague_role == "handler"
    client.force_login(handler)
    listing = client.get("/staff/feedback/colleague/").content.decode()
    assert closed.reference in listing and "To answer" in listing
    url = f"/staff/feedback/colleague/{closed.reference}/"
    assert "I had enough time" in client.get(url).content.decode()
    answers = {"support": "4", "time": "2", "training": "5", "process_fair": "4"}
    assert client.post(url, {**answers, "comments": "More time please"}).status_code == 302
    assert client.post(url, answers).status_code == 410
    assert SurveyResponse.objects.filter(kind=Kind.COLLEAGUE).count() == 1


def test_a_colleague_not_involved_cannot_answer(client, closed, member, tree):
    other = member(Role.COMPLAINT_HANDLER, tree["agency"], username="other")
    client.force_login(other)
    assert client.get(f"/staff/feedback/colleague/{closed.reference}/").status_code == 404


def test_the_stage_2_investigator_is_invited_as_investigator(tree, handler, member):
    investigator = member(Role.INVESTIGATOR, tree["agency"])
    complaint = close_complaint(tree["agency"], handler, closed_on=CLOSED)
    complaint_services.transition(actor=handler, complaint=complaint, name="reopen", reason="New evidence")
    complaint_services.transition(
        actor=handler,
        complaint=complaint,
        name="escalate",
        reason="Not satisfied",
        investigator=investigator,
        declaration=complaint_services.Declaration(has_conflict=False),
    )
    found = services.colleagues_involved(complaint.__class__.objects.get(pk=complaint.pk))
    assert found[investigator.pk][1] == "investigator"
    assert found[handler.pk][1] == "handler"
