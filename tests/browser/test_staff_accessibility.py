"""axe-core on the main staff pages, with demo-like data: no serious or critical accessibility violations."""

import datetime

import pytest

from candour.complaints import services
from candour.complaints.services import PointInput
from candour.organisations.roles import Role
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(tree, member):
    """A few complaints in the agency at different points of their life, and the colleagues who look at them."""
    agency = tree["agency"]
    handler = member(Role.COMPLAINT_HANDLER, agency)
    manager = member(Role.COMPLAINTS_MANAGER, agency)
    leader = member(Role.SENIOR_LEADER, agency)
    today = services.today()
    stories = [
        ("Licence arrived late", "My licence took three months to arrive.", "The licence was late"),
        ("Rude on the phone", "The adviser was rude to me when I called.", "The adviser was rude"),
        ("Letter in English only", "I asked for letters in Welsh and got English.", "No Welsh letter"),
        ("Refund not paid", "I was promised a refund that never came.", "The refund was not paid"),
    ]
    complaints = []
    for n, (summary, description, point) in enumerate(stories):
        complaint, _ = services.create_complaint(
            actor=handler,
            organisation=agency,
            channel="phone" if n % 2 else "email",
            description=description,
            received_on=today - datetime.timedelta(days=2 * n),
            points=[PointInput(point, "An apology")],
            complainant_name=f"Person {n + 1}",
            complainant_email=f"person{n + 1}@example.com",
            preferred_contact="email",
            summary=summary,
            reasonable_adjustments="Large print letters" if n == 0 else "",
        )
        complaints.append(complaint)
    # Take the first complaint into early resolution with a part-written response.
    first = complaints[0]
    if first.triage == "pending":
        services.triage(actor=handler, complaint=first, decision="complaint")
    first.refresh_from_db()
    if first.stage1_handler_id is None:
        services.assign(actor=manager, complaint=first, user=handler, stage=1)
    services.transition(actor=handler, complaint=first, name="acknowledge")
    services.transition(actor=handler, complaint=first, name="start_early_resolution")
    first.refresh_from_db()
    services.save_response(
        actor=handler, complaint=first, understanding="You told us your licence took three months to arrive."
    )
    return {"agency": agency, "handler": handler, "manager": manager, "leader": leader, "complaint": first}


def sign_in(page, user):
    page.goto("/staff/sign-in/")
    page.fill('input[name="username"]', user.get_username())
    page.fill('input[name="password"]', PASSWORD)
    page.click('button:has-text("Sign in")')
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def visit(page, axe, path, name):
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    axe(page, name)


def test_the_sign_in_page(page, axe, demo):
    visit(page, axe, "/staff/sign-in/", "sign-in")


def test_a_complaints_managers_pages(page, axe, demo):
    reference = demo["complaint"].reference
    sign_in(page, demo["manager"])
    visit(page, axe, "/staff/", "staff-home")
    visit(page, axe, "/staff/complaints/", "work-queue")
    visit(page, axe, "/staff/complaints/?tab=all", "work-queue-all")
    assert page.locator(f"text={reference}").count(), "the queue lists the demo complaints"
    visit(page, axe, f"/staff/complaints/{reference}/", "case")
    visit(page, axe, f"/staff/complaints/{reference}/response/", "response-editor")
    # Assigning the investigator and escalating ask for the investigator's declaration of interests.
    visit(page, axe, f"/staff/complaints/{reference}/assign/2/", "assign-investigator")
    page.check('input[name="has_conflict"][value="yes"]')  # reveals the details box
    assert page.locator("#id_details").is_visible()
    axe(page, "assign-investigator-conflict")
    visit(page, axe, f"/staff/complaints/{reference}/move/escalate/", "escalate")
    visit(page, axe, "/staff/audit/", "audit-search")
    visit(page, axe, f"/staff/audit/?text={reference}", "audit-search-results")
    visit(page, axe, "/staff/learning/", "learning-dashboard")
    visit(page, axe, "/staff/feedback/", "survey-results")
    visit(page, axe, "/staff/reports/", "reports-index")


def test_a_handlers_pages(page, axe, demo):
    sign_in(page, demo["handler"])
    visit(page, axe, "/staff/", "staff-home")
    visit(page, axe, "/staff/complaints/", "work-queue")
    assert page.locator(f"text={demo['complaint'].reference}").count(), "my cases lists the assigned complaint"
    visit(page, axe, "/staff/complaints/new/", "intake")
    page.click('button:has-text("Record complaint")')
    page.wait_for_selector(".govuk-error-summary")
    axe(page, "intake-errors")


def test_a_senior_leaders_governance_pages(page, axe, demo):
    slug = demo["agency"].slug
    sign_in(page, demo["leader"])
    visit(page, axe, "/staff/governance/", "governance-index")
    visit(page, axe, f"/staff/governance/{slug}/", "governance-dashboard")
    visit(page, axe, f"/staff/governance/{slug}/oversight/", "governance-oversight")
    visit(page, axe, f"/staff/governance/{slug}/reviews/", "governance-reviews")
