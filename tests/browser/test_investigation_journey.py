"""An investigation in a real browser, from assignment to an approved, issued response (issue 4), with axe-core
checking each main page. The complaint reaches stage 2 through the services; the browser does what people do."""

import datetime

import pytest

from candour.complaints import services as cs
from candour.complaints.models import Channel, Complaint, ResponseStatus
from candour.complaints.services import SEVEN_ELEMENTS, PointInput
from candour.investigations import services
from candour.investigations.models import CHECKLIST, InvestigationPlan
from candour.organisations.roles import Role
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def escalated(tree, member):
    agency = tree["agency"]
    people = {
        "handler": member(Role.COMPLAINT_HANDLER, agency, "handler"),
        "investigator": member(Role.INVESTIGATOR, agency, "investigator"),
        "first_investigator": member(Role.INVESTIGATOR, agency, "first_investigator"),
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "reviewer": member(Role.COMPLAINTS_MANAGER, agency, "reviewer"),
        "leader": member(Role.SENIOR_LEADER, agency, "leader"),
    }
    names = {
        "handler": ("Hana", "Handler"),
        "investigator": ("Ivor", "Investigator"),
        "first_investigator": ("Fflur", "First"),
        "manager": ("Mari", "Manager"),
        "reviewer": ("Rhys", "Reviewer"),
        "leader": ("Lowri", "Leader"),
    }
    for key, user in people.items():
        user.first_name, user.last_name = names[key]
        user.save()
    today = datetime.date.today()
    complaint, _ = cs.create_complaint(
        actor=people["handler"],
        organisation=agency,
        channel=Channel.EMAIL,
        description="My licence took three months to arrive.",
        received_on=today - datetime.timedelta(days=1),
        complainant_name="Alex Example",
        complainant_email="alex@example.com",
        points=[PointInput("The licence took three months", "An apology")],
    )
    cs.assign(actor=people["manager"], complaint=complaint, user=people["handler"], stage=1)
    cs.transition(actor=people["handler"], complaint=complaint, name="acknowledge")
    cs.transition(
        actor=people["manager"],
        complaint=complaint,
        name="escalate",
        reason="Still unresolved",
        investigator=people["first_investigator"],
        declaration=cs.Declaration(has_conflict=False),
    )
    services.update_settings(actor=people["leader"], organisation=agency, sign_off="investigations")
    complaint.refresh_from_db()
    assert complaint.stage == 2
    return complaint, people


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/staff/sign-in/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click('button:has-text("Sign in")')
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url


def save(page, text="Save", expect=None):
    page.click(f'main button.govuk-button:has-text("{text}")')
    page.wait_for_load_state()
    if expect:
        problems = page.locator(".govuk-error-summary")
        assert problems.count() == 0, problems.inner_text()
        assert expect in page.inner_text("main")


def test_an_investigation_from_assignment_to_approved_response(page, axe, escalated):
    complaint, people = escalated
    ref = complaint.reference
    case_url = f"/staff/investigations/{ref}/"
    today = datetime.date.today()

    # A complaints manager assigns the investigator (in place of the one named at escalation), who declares no
    # conflict of interest.
    sign_in(page, people["manager"])
    page.goto(case_url)
    axe(page, "investigation-case")
    page.click("text=Assign the stage 2 investigator")
    page.wait_for_url(f"**/{ref}/assign/")
    axe(page, "assign")
    page.select_option('select[name="user"]', str(people["investigator"].pk))
    page.check('input[name="has_conflict"][value="no"]')
    save(page, "Assign", expect="Stage 2 investigator assigned.")
    complaint.refresh_from_db()
    assert complaint.stage2_handler == people["investigator"]
    assert complaint.conflict_declarations.get(user=people["investigator"]).has_conflict is False

    # The investigator writes the plan.
    sign_in(page, people["investigator"])
    page.goto(f"{case_url}plan/")
    axe(page, "plan")
    assert "The licence took three months" in page.input_value('textarea[name="key_issues"]')
    page.fill('textarea[name="outcome_sought"]', "An apology and the licence.")
    page.fill('textarea[name="approach"]', "Read the licensing file and the timeline.")
    page.fill('input[name="final_response_by"]', "Director of Operations")
    target = today + datetime.timedelta(days=28)
    page.fill('input[name="target_date-day"]', str(target.day))
    page.fill('input[name="target_date-month"]', str(target.month))
    page.fill('input[name="target_date-year"]', str(target.year))
    page.fill('input[name="update_every_days"]', "10")
    page.check('input[name="is_complex"][value="no"]')
    save(page, expect="Investigation plan saved.")
    assert InvestigationPlan.objects.get(complaint=complaint).approach.startswith("Read the licensing file")

    # ... logs the evidence relied on ...
    page.click("text=Add to the evidence log")
    page.wait_for_url(f"**/{ref}/evidence/add/")
    axe(page, "evidence")
    page.check('input[name="kind"][value="rule"]')
    page.fill('input[name="title"]', "Licensing charter")
    page.select_option('select[name="point"]', "1")
    page.fill('input[name="rule_reference"]', "Licensing Charter 2024, section 3.1")
    save(page, expect="Evidence recorded.")
    assert "Licensing Charter 2024, section 3.1" in page.content()

    # ... and records the finding on the point.
    page.goto(f"{case_url}points/1/finding/")
    axe(page, "finding")
    page.fill('textarea[name="should_have_happened"]', "Section 3.1: licences are sent within 10 working days.")
    page.fill('textarea[name="what_happened"]', "The licence was sent after 62 working days.")
    page.fill('textarea[name="finding"]', "The licence was late.")
    page.check('input[name="outcome"][value="upheld"]')
    save(page, expect="Finding for point 1 saved.")
    assert complaint.points.get().outcome == "upheld"

    # The investigator drafts the response with all seven elements.
    page.goto(f"/staff/complaints/{ref}/response/")
    axe(page, "response")
    for name, _message in SEVEN_ELEMENTS:
        page.fill(f'textarea[name="{name}"]', f"The {name.replace('_', ' ')} of this complaint.")
    page.fill(
        'textarea[name="next_steps"]',
        "If you are unhappy with this response, you can ask an MP to refer it to the Parliamentary and Health "
        "Service Ombudsman.",
    )
    page.check('input[name="outcome"][value="upheld"]')
    page.fill('textarea[name="apology"]', "We are sorry that your licence was late.")
    save(page, "Save response", expect="Response saved.")
    checklist = page.inner_text(".govuk-grid-column-one-third")
    for _name, message in SEVEN_ELEMENTS[:-1]:
        assert f"Done {message}" in " ".join(checklist.split())
    assert "review and approve" in checklist
    assert page.locator('a.govuk-button:has-text("Issue the response")').count() == 0

    # Issuing it is refused: it has not been reviewed and approved.
    page.goto(f"/staff/complaints/{ref}/response/issue/")
    axe(page, "issue")
    page.check('input[name="delivery_method"][value="post"]')
    save(page, "Issue the response")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "review and approve" in summary.inner_text()
    assert "Ombudsman" not in summary.inner_text()  # the seven elements are there: only the approval is missing
    axe(page, "issue-refused")
    complaint.refresh_from_db()
    assert complaint.status == "investigation"

    # The investigator asks a colleague who did not investigate for a quality review; they are not offered.
    page.goto(case_url)
    page.click("text=Ask for a quality review")
    page.wait_for_url(f"**/{ref}/review/request/")
    axe(page, "request-review")
    assert page.locator(f'select[name="reviewer"] option[value="{people["investigator"].pk}"]').count() == 0
    page.select_option('select[name="reviewer"]', str(people["reviewer"].pk))
    page.check('input[name="has_conflict"][value="no"]')
    save(page, "Ask for review", expect="Review requested.")
    assert complaint.conflict_declarations.get(user=people["reviewer"], role="reviewer").has_conflict is False

    # The reviewer finds it waiting, ticks every check and approves it.
    sign_in(page, people["reviewer"])
    page.goto("/staff/investigations/")
    axe(page, "investigations-home")
    page.click(f"text=Review the stage 2 response to {ref}")
    page.wait_for_url(f"**/{ref}/review/*/")
    axe(page, "review")
    assert "We are sorry that your licence was late." in page.content()
    for name, _label in CHECKLIST:
        page.check(f'input[name="checklist"][value="{name}"]')
    page.check('input[name="decision"][value="approved"]')
    save(page, "Record decision", expect="Review decision recorded.")
    assert complaint.responses.get(stage=2).status == ResponseStatus.APPROVED

    # The investigator issues the approved response.
    sign_in(page, people["investigator"])
    page.goto(f"/staff/complaints/{ref}/response/")
    issue = page.locator('a.govuk-button:has-text("Issue the response")')
    assert issue.count() == 1, page.inner_text(".govuk-grid-column-one-third")
    issue.click()
    page.wait_for_url(f"**/{ref}/response/issue/")
    axe(page, "issue-approved")
    page.check('input[name="delivery_method"][value="post"]')
    save(page, "Issue the response", expect="Stage 2 response issued.")
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.status == "response_issued"
    assert complaint.responses.get(stage=2).status == ResponseStatus.ISSUED
