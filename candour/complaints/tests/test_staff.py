"""Staff pages: who may open them, what a handler sees, and a complaint handled from intake to closure."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from candour.audit.models import AuditEvent
from candour.complaints import services
from candour.complaints.models import Attachment, Channel, Complaint, Triage
from candour.complaints.services import PointInput
from candour.complaints.states import Status
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 20)  # a Tuesday


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def complaint(tree, handler):
    c, _ = services.create_complaint(
        actor=handler,
        organisation=tree["agency"],
        channel=Channel.PHONE,
        description="My licence was delayed.",
        received_on=datetime.date(2026, 1, 19),
        complainant_name="Alex Example",
        complainant_email="alex@example.com",
        reasonable_adjustments="Large print letters, please",
        points=[PointInput("The licence took 3 months", "An apology")],
    )
    return c


def case_url(complaint, name="case", *args):
    return reverse(f"staff_complaints:{name}", args=[complaint.reference, *args])


def text(response) -> str:
    """The page's visible text, roughly: tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def intake_data(organisation, **overrides):
    data = {
        "channel": "phone",
        "received_on-day": "16",
        "received_on-month": "1",
        "received_on-year": "2026",
        "organisation": str(organisation.pk),
        "complainant_name": "Sam Caller",
        "preferred_contact": "email",
        "complainant_email": "sam@example.com",
        "description": "Nobody called me back about my claim.",
        "point_1": "No call back",
        "point_1_outcome": "A call back and an apology",
        "reasonable_adjustments": "Calls after 2pm only",
    }
    data.update(overrides)
    return data


# ---- permissions ---------------------------------------------------------------------------------------


def every_case_page(complaint):
    return [
        case_url(complaint),
        case_url(complaint, "triage"),
        case_url(complaint, "add-point"),
        case_url(complaint, "point", 1),
        case_url(complaint, "assign", 1),
        case_url(complaint, "transition", "acknowledge"),
        case_url(complaint, "stop-clock"),
        case_url(complaint, "extend"),
        case_url(complaint, "remedy"),
        case_url(complaint, "response"),
        case_url(complaint, "issue"),
        case_url(complaint, "letter-preview"),
        case_url(complaint, "letter", "pdf"),
        case_url(complaint, "ombudsman"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, complaint):
    for page in [reverse("staff_complaints:queue"), reverse("staff_complaints:new"), *every_case_page(complaint)]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:sign-in")), page


def test_a_handler_of_another_organisation_is_refused_every_case_page(client, complaint, tree, member):
    client.force_login(member(Role.COMPLAINT_HANDLER, tree["sibling"]))
    for page in every_case_page(complaint):
        assert client.get(page).status_code == 403, page
    assert client.post(case_url(complaint, "restart-clock")).status_code == 403
    assert client.post(case_url(complaint, "transition", "acknowledge"), {"reason": ""}).status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


def test_colleagues_without_case_access_cannot_open_the_queue_or_record(client, tree, member):
    client.force_login(member(Role.GOVERNANCE_MEMBER, tree["agency"]))
    assert client.get(reverse("staff_complaints:queue")).status_code == 403
    assert client.get(reverse("staff_complaints:new")).status_code == 403


def test_a_senior_leader_can_read_a_case_but_not_change_it(client, complaint, tree, member):
    client.force_login(member(Role.SENIOR_LEADER, tree["agency"]))
    page = client.get(case_url(complaint))
    assert page.status_code == 200 and "Write the stage 1 response" not in text(page)
    assert client.get(case_url(complaint, "transition", "acknowledge")).status_code == 403


# ---- intake and triage ----------------------------------------------------------------------------------


def test_intake_records_a_phone_complaint_then_asks_for_triage(client, handler, tree):
    client.force_login(handler)
    response = client.post(reverse("staff_complaints:new"), intake_data(tree["agency"]))
    complaint = Complaint.objects.get()
    assert response["Location"] == case_url(complaint, "triage")
    assert (complaint.channel, complaint.received_on, complaint.triage) == (
        "phone",
        datetime.date(2026, 1, 16),
        "pending",
    )
    assert complaint.points.get().outcome_sought == "A call back and an apology"
    page = client.get(case_url(complaint))
    assert "This contact has not been triaged" in text(page)


def test_intake_only_offers_organisations_the_user_handles(client, handler, tree):
    client.force_login(handler)
    page = text(client.get(reverse("staff_complaints:new")))
    assert "Agency" in page and "Sibling Body" not in page
    response = client.post(reverse("staff_complaints:new"), intake_data(tree["sibling"]))
    assert response.status_code == 200 and "Choose the organisation" in text(response)
    assert not Complaint.objects.exists()


def test_intake_errors_are_summarised_and_keep_what_was_typed(client, handler, tree):
    client.force_login(handler)
    data = intake_data(
        tree["agency"],
        channel="mp",
        **{"received_on-day": "21", "received_on-month": "1", "received_on-year": "2026"},
        description="",
        complainant_email="not-an-email",
        complainant_name="Kept <Name>",
    )
    response = client.post(reverse("staff_complaints:new"), data)
    page = text(response)
    assert response.status_code == 200 and not Complaint.objects.exists()
    assert "There is a problem" in page
    assert "Date received must be today or in the past" in page
    assert "Enter the name of the MP who wrote to us" in page
    assert "Enter what the complaint is about" in page
    assert "Enter an email address in the correct format" in page
    html = response.content.decode()
    assert 'value="Kept &lt;Name&gt;"' in html and 'value="not-an-email"' in html
    assert 'href="#id_received_on-day"' in html and 'id="id_received_on-day"' in html
    assert "<title>Error: Record a complaint" in html


def test_intake_checks_the_date_is_real(client, handler, tree):
    client.force_login(handler)
    response = client.post(
        reverse("staff_complaints:new"),
        intake_data(tree["agency"], **{"received_on-day": "31", "received_on-month": "2"}),
    )
    assert "Date received must be a real date" in text(response)
    response = client.post(reverse("staff_complaints:new"), intake_data(tree["agency"], **{"received_on-month": ""}))
    assert "Date received must include a month" in text(response)


def test_mp_correspondence_records_the_mp(client, handler, tree):
    client.force_login(handler)
    client.post(reverse("staff_complaints:new"), intake_data(tree["agency"], channel="mp", mp_name="Jo Member MP"))
    complaint = Complaint.objects.get()
    assert complaint.channel == "mp" and complaint.mp_name == "Jo Member MP"


def test_triage_as_another_route_needs_signposting_and_closes_the_contact(client, handler, complaint):
    client.force_login(handler)
    response = client.post(case_url(complaint, "triage"), {"decision": "other_route", "other_route": "foi_sar"})
    assert "Record how the person was signposted" in text(response)
    response = client.post(
        case_url(complaint, "triage"),
        {"decision": "other_route", "other_route": "foi_sar", "signposting": "Sent the SAR form"},
    )
    complaint.refresh_from_db()
    assert (complaint.triage, complaint.other_route, complaint.status) == ("other_route", "foi_sar", "not_accepted")
    assert complaint.signposting == "Sent the SAR form"


def test_a_complaint_not_accepted_needs_a_reason(client, handler, complaint):
    client.force_login(handler)
    response = client.post(case_url(complaint, "triage"), {"decision": "not_accepted", "signposting": "Told them"})
    assert "Give the reason the complaint is not accepted" in text(response)
    assert 'value="not_accepted" checked' in response.content.decode()
    client.post(
        case_url(complaint, "triage"),
        {"decision": "not_accepted", "signposting": "Told them", "reason": "Already answered at the final stage"},
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.NOT_ACCEPTED and complaint.closure_reason == "Already answered at the final stage"


# ---- the case page --------------------------------------------------------------------------------------


def test_the_case_page_shows_adjustments_first_and_records_the_view(client, handler, complaint):
    client.force_login(handler)
    before = AuditEvent.objects.filter(verb="viewed").count()
    page = text(client.get(case_url(complaint)))
    assert page.index("Reasonable adjustments: Large print letters, please") < page.index("Details")
    assert "Alex Example" in page and "The licence took 3 months" in page
    assert AuditEvent.objects.filter(verb="viewed").count() == before + 1


def test_deadline_tags_show_overdue_cases(client, handler, tree):
    old, _ = services.create_complaint(
        actor=handler,
        organisation=tree["agency"],
        channel=Channel.EMAIL,
        description="x",
        received_on=datetime.date(2026, 1, 2),
        complainant_name="Old Case",
    )
    client.force_login(handler)
    page = text(client.get(case_url(old)))
    assert "Overdue" in page


def test_free_text_is_escaped_on_the_case_page(client, handler, tree):
    c, _ = services.create_complaint(
        actor=handler,
        organisation=tree["agency"],
        channel=Channel.EMAIL,
        description="<script>alert(1)</script>",
        complainant_name="<b>Bold</b>",
    )
    client.force_login(handler)
    html = client.get(case_url(c)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html


def test_stage_2_investigator_must_differ_from_the_stage_1_handler(client, complaint, tree, member, handler):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    first = member(Role.INVESTIGATOR, tree["agency"], username="first-investigator")
    services.assign(actor=manager, complaint=complaint, user=first, stage=1)
    client.force_login(manager)
    response = client.post(case_url(complaint, "assign", 2), {"user": str(first.pk), "has_conflict": "no"})
    assert "The stage 2 investigator cannot be the colleague who handled stage 1" in text(response)
    investigator = member(Role.INVESTIGATOR, tree["agency"], username="second-investigator")
    client.post(case_url(complaint, "assign", 2), {"user": str(investigator.pk), "has_conflict": "no"})
    assert Complaint.objects.get(pk=complaint.pk).stage2_handler == investigator


def test_assigning_the_investigator_asks_for_their_declaration(client, complaint, tree, member):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    leader = member(Role.SENIOR_LEADER, tree["agency"])
    investigator = member(Role.INVESTIGATOR, tree["agency"], username="the-investigator")
    client.force_login(manager)
    page = text(client.get(case_url(complaint, "assign", 2)))
    assert "Does the investigator have a conflict of interest in this complaint?" in page
    assert "Does the investigator" not in text(client.get(case_url(complaint, "assign", 1)))  # not for stage 1

    unanswered = text(client.post(case_url(complaint, "assign", 2), {"user": str(investigator.pk)}))
    assert (
        "There is a problem" in unanswered and "Say whether the investigator has a conflict of interest" in unanswered
    )
    no_details = text(
        client.post(case_url(complaint, "assign", 2), {"user": str(investigator.pk), "has_conflict": "yes"})
    )
    assert "Describe the conflict of interest" in no_details
    # "Already declared" with nothing on record is refused, saying where to declare.
    undeclared = client.post(
        case_url(complaint, "assign", 2), {"user": str(investigator.pk), "has_conflict": "declared"}
    )
    assert "has not declared whether they have a conflict of interest" in text(undeclared)
    assert "Declare any conflict of interest" in text(undeclared)

    # A declared conflict is recorded, refuses the assignment and keeps what was typed.
    conflict = {"user": str(investigator.pk), "has_conflict": "yes", "details": "Plays in a band with the complainant"}
    refused = client.post(case_url(complaint, "assign", 2), conflict)
    assert "declared a conflict of interest" in text(refused)
    assert "Plays in a band with the complainant" in refused.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).stage2_handler is None
    declaration = complaint.conflict_declarations.get()

    # Once a senior leader overrides it, the assignment goes ahead on the declaration on record.
    from candour.investigations.services import override_conflict

    override_conflict(actor=leader, declaration=declaration, reason="No one else is trained")
    done = client.post(case_url(complaint, "assign", 2), {"user": str(investigator.pk), "has_conflict": "declared"})
    assert done.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).stage2_handler == investigator


def test_a_handler_can_only_assign_themselves(client, complaint, tree, member, handler):
    other = member(Role.COMPLAINT_HANDLER, tree["agency"], username="other-handler")
    client.force_login(handler)
    page = text(client.get(case_url(complaint, "assign", 1)))
    assert handler.username in page and "other-handler" not in page
    response = client.post(case_url(complaint, "assign", 1), {"user": str(other.pk)})
    assert response.status_code == 200 and Complaint.objects.get(pk=complaint.pk).stage1_handler is None


def test_escalating_shows_the_refusal_when_the_investigator_handled_stage_1(client, complaint, handler, tree, member):
    services.assign(actor=handler, complaint=complaint, user=handler, stage=1)
    services.transition(actor=handler, complaint=complaint, name="acknowledge")
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    client.force_login(manager)
    escalate = {"reason": "Still unhappy", "investigator": str(manager.pk)}
    unanswered = text(client.post(case_url(complaint, "transition", "escalate"), escalate))
    assert "Say whether the investigator has a conflict of interest" in unanswered
    undeclared = text(
        client.post(case_url(complaint, "transition", "escalate"), {**escalate, "has_conflict": "declared"})
    )
    assert "has not declared whether they have a conflict of interest" in undeclared
    assert Complaint.objects.get(pk=complaint.pk).stage == 1
    response = client.post(case_url(complaint, "transition", "escalate"), {**escalate, "has_conflict": "no"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.stage == 2 and complaint.stage2_handler == manager
    # Without a reason the transition is refused with a GOV.UK error.
    other, _ = services.create_complaint(actor=handler, organisation=tree["agency"], channel="email", description="y")
    response = client.post(case_url(other, "transition", "withdraw"), {"reason": ""})
    assert "There is a problem" in text(response) and "Give a reason" in text(response)


def test_a_transition_not_available_now_is_explained(client, complaint, handler):
    client.force_login(handler)
    page = text(client.get(case_url(complaint, "transition", "close")))
    assert "cannot be moved with “Close”" in page


def test_the_clock_and_extensions(client, complaint, handler):
    client.force_login(handler)
    response = client.post(case_url(complaint, "stop-clock"), {"reason": ""})
    assert "Say what you are waiting for" in text(response)
    client.post(case_url(complaint, "stop-clock"), {"reason": "Waiting for their licence number"})
    assert "Clock stopped" in text(client.get(case_url(complaint)))
    client.post(case_url(complaint, "restart-clock"))
    complaint.refresh_from_db()
    assert not complaint.clock_stopped
    response = client.post(
        case_url(complaint, "extend"),
        {"new_due-day": "1", "new_due-month": "1", "new_due-year": "2026", "reason": "", "complainant_agreed": "yes"},
    )
    page = text(response)
    assert "The new date must be after the current due date" in page or "Give the reason" in page
    assert 'value="1"' in response.content.decode()
    client.post(
        case_url(complaint, "extend"),
        {
            "new_due-day": "6",
            "new_due-month": "2",
            "new_due-year": "2026",
            "reason": "Need records",
            "complainant_agreed": "yes",
        },
    )
    complaint.refresh_from_db()
    assert complaint.response_due == datetime.date(2026, 2, 6) and complaint.stage1_extended


def test_financial_remedies_need_an_amount(client, complaint, handler):
    client.force_login(handler)
    response = client.post(case_url(complaint, "remedy"), {"type": "financial", "description": "For distress"})
    assert "Enter the amount of financial redress" in text(response)
    client.post(case_url(complaint, "remedy"), {"type": "financial", "description": "For distress", "amount": "150"})
    assert "£150.00" in text(client.get(case_url(complaint)))


def test_attachments_are_served_to_those_who_may_see_the_case_and_the_view_is_audited(
    client, complaint, handler, tree, member, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "abc123.pdf").write_bytes(b"%PDF-1.4 evidence")
    item = Attachment.objects.create(
        complaint=complaint,
        stored_name="abc123.pdf",
        original_name="letter.pdf",
        content_type="application/pdf",
        size=17,
        sha256="0" * 64,
    )
    client.force_login(member(Role.COMPLAINT_HANDLER, tree["sibling"]))
    assert client.get(case_url(complaint, "attachment", item.pk)).status_code == 403
    client.force_login(handler)
    assert "letter.pdf" in text(client.get(case_url(complaint)))
    response = client.get(case_url(complaint, "attachment", item.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert 'filename="letter.pdf"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="viewed", summary=f"Viewed attachment {item.pk}").exists()


# ---- the journey ----------------------------------------------------------------------------------------


def test_a_staff_journey_from_intake_to_closure(client, handler, tree):
    client.force_login(handler)
    response = client.post(reverse("staff_complaints:new"), intake_data(tree["agency"]))
    complaint = Complaint.objects.get()
    client.post(case_url(complaint, "triage"), {"decision": "complaint"})
    assert Complaint.objects.get().triage == Triage.COMPLAINT
    client.post(case_url(complaint, "assign", 1), {"user": str(handler.pk)})

    page = text(client.get(case_url(complaint)))
    assert "Acknowledge" in page and "Start early resolution" in page
    assert client.post(case_url(complaint, "transition", "acknowledge"), {"reason": ""}).status_code == 302
    client.post(case_url(complaint, "transition", "start_early_resolution"), {"reason": ""})
    assert Complaint.objects.get().status == Status.EARLY_RESOLUTION

    client.post(
        case_url(complaint, "point", 1),
        {
            "summary": "No call back",
            "outcome_sought": "A call back",
            "outcome": "upheld",
            "should_have_happened": "A call back within 2 days (service standard 4.1)",
            "what_happened": "No call",
            "finding": "We did not call back",
        },
    )
    client.post(case_url(complaint, "remedy"), {"type": "apology", "description": "A written apology"})

    # An incomplete response cannot be issued: the checklist says what is missing.
    client.post(case_url(complaint, "response"), {"understanding": "You were not called back."})
    page = text(client.get(case_url(complaint, "response")))
    assert "To do Say what was looked into" in page and "Issue the response" not in page
    response = client.post(case_url(complaint, "issue"), {"delivery_method": "email"})
    assert "There is a problem" in text(response)

    elements = {
        "understanding": "You were not called back and want a call and an apology.",
        "what_was_investigated": "Whether we called you back.",
        "how_it_was_investigated": "We read the call log.",
        "decision_reasoning": "Our standard is 2 days; we took none.",
        "impact": "You were worried for a week.",
        "what_will_happen": "We will call you and remind the team of the standard.",
        "next_steps": services.escalation_rights_text(complaint),
        "outcome": "upheld",
        "apology": "We are sorry we did not call you back.",
    }
    client.post(case_url(complaint, "response"), elements)
    page = text(client.get(case_url(complaint, "response")))
    assert "To do" not in page and "Issue the response" in page
    preview = text(client.get(case_url(complaint, "letter-preview")))
    assert "What we looked into" in preview and "We are sorry we did not call you back." in preview

    response = client.post(case_url(complaint, "issue"), {"delivery_method": "email"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED and complaint.outcome == "upheld"
    issued = complaint.responses.get()
    assert issued.delivery_method == "email" and "Parliamentary and Health Service Ombudsman" in issued.letter_html

    client.post(case_url(complaint, "transition", "close"), {"reason": ""})
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    page = text(client.get(case_url(complaint)))
    assert "Closed" in page and "letter (PDF)" in page
    assert [t.transition for t in complaint.transitions.all()] == [
        "receive", "acknowledge", "start_early_resolution", "resolve", "close",
    ]  # fmt: skip
