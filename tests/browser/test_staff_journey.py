"""A complaint handler's journey in a real browser: record a phone complaint, triage it, acknowledge it, resolve
it early with a complete response (after an incomplete one is refused), and close it. axe-core checks each page."""

from urllib.parse import urlsplit

import pytest

from candour.complaints.models import Complaint
from candour.complaints.services import SEVEN_ELEMENTS
from candour.organisations.roles import Role
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, axe, user):
    page.goto("/staff/sign-in/")
    axe(page, "sign-in")
    page.fill('input[name="username"]', user.get_username())
    page.fill('input[name="password"]', PASSWORD)
    page.click('button:has-text("Sign in")')
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def on_case_page(page, complaint):
    """Wait for the case page (redirects may add an #anchor)."""
    path = f"/staff/complaints/{complaint.reference}/"
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def move(page, axe, label, name):
    """Follow a 'What you can do next' button on the case page and confirm the move."""
    page.click(f'#main-content a.govuk-button:has-text("{label}")')
    page.wait_for_url(f"**/move/{name}/")
    axe(page, f"move-{name}")
    page.click('button:has-text("Confirm:")')
    page.wait_for_selector("h1:has-text('Complaint ')")


def test_a_handler_takes_a_phone_complaint_from_intake_to_closure(page, axe, tree, member, notify_stub):
    handler = member(Role.COMPLAINT_HANDLER, tree["agency"])
    sign_in(page, axe, handler)
    axe(page, "staff-home")

    # Record the complaint as it was given on the phone.
    page.goto("/staff/complaints/new/")
    axe(page, "intake")
    page.check('input[name="channel"][value="phone"]')
    page.select_option('select[name="organisation"]', label="Agency")
    page.fill('input[name="complainant_name"]', "Pat Caller")
    page.check('input[name="preferred_contact"][value="email"]')
    page.fill('input[name="complainant_email"]', "pat@example.com")
    page.fill('input[name="complainant_phone"]', "01632 960 001")
    page.fill('input[name="summary"]', "Licence arrived late")
    page.fill('textarea[name="description"]', "They rang to say their licence took three months to arrive.")
    page.fill('textarea[name="outcome_sought"]', "An explanation and an apology.")
    page.fill('textarea[name="point_1"]', "The licence was three months late")
    page.fill('textarea[name="point_1_outcome"]', "An apology")
    page.click('button:has-text("Record complaint")')

    # Triage: it is a complaint we will handle.
    page.wait_for_url("**/triage/")
    axe(page, "triage")
    complaint = Complaint.objects.get()
    assert complaint.channel == "phone" and complaint.complainant_name == "Pat Caller"
    page.check('input[name="decision"][value="complaint"]')
    page.click('button:has-text("Save decision")')
    on_case_page(page, complaint)
    axe(page, "case-received")

    # Take the case if nobody has it yet.
    complaint.refresh_from_db()
    if complaint.stage1_handler_id != handler.pk:
        page.click('a[href$="/assign/1/"]')
        page.wait_for_url("**/assign/1/")
        axe(page, "assign")
        page.check(f'input[name="user"][value="{handler.pk}"]')
        page.click('button:has-text("Assign")')
        on_case_page(page, complaint)

    move(page, axe, "Acknowledge", "acknowledge")
    move(page, axe, "Start early resolution", "start_early_resolution")
    axe(page, "case-early-resolution")

    # Give the point of complaint its outcome.
    page.click('a[href$="/points/1/"]')
    page.wait_for_url("**/points/1/")
    axe(page, "point")
    page.check('input[name="outcome"][value="partly_upheld"]')
    page.fill('textarea[name="finding"]', "The application waited in a queue for eight weeks.")
    page.click('button:has-text("Save point")')
    on_case_page(page, complaint)

    # Start the response but leave most of it empty, then try to issue it: it is refused.
    page.click('#main-content a.govuk-button:has-text("Write the stage 1 response")')
    page.wait_for_url("**/response/")
    axe(page, "response-empty")
    page.fill('textarea[name="understanding"]', "You told us your licence took three months to arrive.")
    page.click('button:has-text("Save response")')
    page.wait_for_selector(".govuk-notification-banner, .govuk-tag")
    assert page.locator('a.govuk-button:has-text("Issue the response")').count() == 0
    page.goto(f"/staff/complaints/{complaint.reference}/response/issue/")
    axe(page, "issue-incomplete")
    page.check('input[name="delivery_method"][value="email"]')
    page.click('form button:has-text("Issue the response")')
    summary = page.wait_for_selector(".govuk-error-summary")
    assert "Choose the overall outcome" in summary.inner_text()
    axe(page, "issue-refused")
    complaint.refresh_from_db()
    assert complaint.status == "early_resolution"

    # Write the whole response: the seven elements, the outcome and an apology.
    page.goto(f"/staff/complaints/{complaint.reference}/response/")
    texts = {
        "understanding": "You told us your licence took three months to arrive and you want an explanation.",
        "what_was_investigated": "We looked at how your application was processed.",
        "how_it_was_investigated": "We read the case record and spoke to the licensing team.",
        "decision_reasoning": "Our service standard is four weeks; yours took twelve, so we partly uphold it.",
        "impact": "We understand you could not drive for work while you waited.",
        "what_will_happen": "We have changed how the queue is checked each week.",
    }
    for name, text in texts.items():
        page.fill(f'textarea[name="{name}"]', text)
    assert page.input_value('textarea[name="next_steps"]').strip(), "the escalation rights are pre-filled"
    page.check('input[name="outcome"][value="partly_upheld"]')
    page.fill('textarea[name="apology"]', "We are sorry: your application waited too long and that was our fault.")
    page.click('button:has-text("Save response")')
    page.wait_for_selector('a.govuk-button:has-text("Issue the response")')
    axe(page, "response-complete")
    assert set(dict(SEVEN_ELEMENTS)) - set(texts) == {"next_steps"}

    # Issue it by email.
    page.click('a.govuk-button:has-text("Issue the response")')
    page.wait_for_url("**/response/issue/")
    axe(page, "issue")
    page.check('input[name="delivery_method"][value="email"]')
    page.click('form button:has-text("Issue the response")')
    on_case_page(page, complaint)
    axe(page, "case-resolved")
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.outcome == "partly_upheld"

    # Close it (recording the learning first if the organisation requires it).
    page.click('#main-content a.govuk-button:has-text("Close")')
    page.wait_for_url("**/move/close/")
    axe(page, "move-close")
    if page.locator(".govuk-error-summary").count():
        pytest.fail("Closing was refused: " + page.inner_text(".govuk-error-summary"))
    page.click('button:has-text("Confirm:")')
    on_case_page(page, complaint)
    axe(page, "case-closed")
    assert "Closed" in page.inner_text("#main-content .govuk-tag >> nth=0")
    complaint.refresh_from_db()
    assert complaint.status == "closed"
