"""The public complaint journey in a real browser: in English by keyboard alone, and in Welsh, with axe-core
checking every page for serious or critical accessibility problems."""

import datetime

import pytest

from candour.complaints.models import Complaint
from tests.browser.conftest import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date_last_month():
    day = datetime.date.today() - datetime.timedelta(days=30)
    return str(day.day), str(day.month), str(day.year)


def test_the_journey_in_english_by_keyboard_alone(page, axe, tree):
    keyboard = page.keyboard
    page.goto("/")
    axe(page, "home")
    tab_to(page, 'a[href="/complain/agency/"]')
    keyboard.press("Enter")
    page.wait_for_url("**/complain/agency/")
    axe(page, "start")
    tab_to(page, "a.govuk-button--start")
    keyboard.press("Enter")

    page.wait_for_url("**/anonymous/")
    axe(page, "anonymous")
    # Continue without answering: the error summary takes focus and links to the question.
    tab_to(page, "button.govuk-button")
    keyboard.press("Enter")
    page.wait_for_selector(".govuk-error-summary")
    axe(page, "anonymous-error")
    tab_to(page, 'input[name="anonymous"][value="no"]')
    keyboard.press("Space")
    tab_to(page, "button.govuk-button")
    keyboard.press("Enter")

    page.wait_for_url("**/who/")
    axe(page, "who")
    tab_to(page, 'input[name="who"][value="myself"]')
    keyboard.press("Space")
    tab_to(page, "button.govuk-button")
    keyboard.press("Enter")

    page.wait_for_url("**/contact/")
    axe(page, "contact")
    tab_to(page, "#id_name")
    keyboard.type("Alex Example")
    tab_to(page, "#id_email")
    keyboard.type("alex@example.com")
    tab_to(page, 'input[name="preferred_contact"]')
    keyboard.press("Space")  # the first option, e-mail
    tab_to(page, "button.govuk-button")
    keyboard.press("Enter")

    page.wait_for_url("**/what-happened/")
    axe(page, "what-happened")
    tab_to(page, "#id_description")
    keyboard.type("My licence took three months to arrive.")
    tab_to(page, "button.govuk-button")
    keyboard.press("Enter")

    page.wait_for_url("**/points/")
    axe(page, "points")
    tab_to(page, "#id_summary")
    keyboard.type("It was late")
    tab_to(page, 'button[value="add"]')
    keyboard.press("Enter")
    page.wait_for_selector("text=Point 1")
    axe(page, "points-added")
    tab_to(page, 'button[value="continue"]')
    keyboard.press("Enter")

    page.wait_for_url("**/when/")
    axe(page, "when")
    day, month, year = _date_last_month()
    tab_to(page, "#events_date-day")
    keyboard.type(day)
    tab_to(page, "#events_date-month")
    keyboard.type(month)
    tab_to(page, "#events_date-year")
    keyboard.type(year)
    tab_to(page, "button.govuk-button")
    keyboard.press("Enter")

    page.wait_for_url("**/outcome/")
    axe(page, "outcome")
    tab_to(page, "#id_outcome_sought")
    keyboard.type("An apology.")
    tab_to(page, "button.govuk-button")
    keyboard.press("Enter")

    page.wait_for_url("**/adjustments/")
    axe(page, "adjustments")
    tab_to(page, 'input[name="adjustments"][value="yes"]')
    keyboard.press("Space")
    tab_to(page, "#id_adjustments_details")
    keyboard.type("Large print, please.")
    tab_to(page, "button.govuk-button:not(.govuk-button--secondary)")
    keyboard.press("Enter")

    page.wait_for_url("**/files/")
    axe(page, "files")
    tab_to(page, 'button[value="continue"]')
    keyboard.press("Enter")

    page.wait_for_url("**/check-your-answers/")
    axe(page, "check-your-answers")
    assert "Large print, please." in page.content()
    tab_to(page, 'form button.govuk-button[type="submit"]')
    keyboard.press("Enter")

    page.wait_for_url("**/complaint-sent/")
    axe(page, "confirmation")
    complaint = Complaint.objects.get()
    assert complaint.reference in page.inner_text(".govuk-panel")
    assert complaint.language == "en" and complaint.reasonable_adjustments == "Large print, please."

    tab_to(page, 'a[href*="/complaint/progress/"]')
    keyboard.press("Enter")
    page.wait_for_url("**/complaint/progress/**")
    axe(page, "progress")
    assert "We have received your complaint" in page.content()


def test_the_journey_in_welsh(page, axe, tree):
    page.goto("/cy/complain/agency/")
    axe(page, "start")
    page.click("a.govuk-button--start")

    page.wait_for_url("**/anonymous/")
    axe(page, "anonymous")
    page.check('input[name="anonymous"][value="no"]')
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/who/")
    axe(page, "who")
    page.check('input[name="who"][value="someone_else"]')
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/someone-else/")
    axe(page, "someone-else")
    page.fill("#id_person_name", "Sam Person")
    page.fill("#id_relationship", "Mab")
    page.click('button:has-text("Parhau")')
    page.wait_for_selector(".govuk-error-summary")
    axe(page, "someone-else-error")
    assert page.input_value("#id_person_name") == "Sam Person"
    page.check("#id_consent")
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/contact/")
    axe(page, "contact")
    page.fill("#id_name", "Alex Enghraifft")
    page.fill("#id_email", "alex@example.com")
    page.check('input[name="preferred_contact"][value="email"]')
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/what-happened/")
    axe(page, "what-happened")
    page.fill("#id_description", "Roedd fy nhrwydded yn hwyr.")
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/points/")
    axe(page, "points")
    page.click('button[value="continue"]')

    page.wait_for_url("**/when/")
    axe(page, "when")
    page.fill("#events_date-day", "1")
    page.fill("#events_date-month", "1")
    page.fill("#events_date-year", str(datetime.date.today().year - 2))
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/why-now/")
    axe(page, "why-now")
    page.fill("#id_late_reason", "Roeddwn yn yr ysbyty.")
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/outcome/")
    axe(page, "outcome")
    page.fill("#id_outcome_sought", "Ymddiheuriad.")
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/adjustments/")
    axe(page, "adjustments")
    page.check('input[name="adjustments"][value="no"]')
    page.click('button:has-text("Parhau")')

    page.wait_for_url("**/files/")
    axe(page, "files")
    page.set_input_files("#id_file", files=[{"name": "llythyr.txt", "mimeType": "text/plain", "buffer": b"Nodyn"}])
    page.click('button[value="add"]')
    page.wait_for_selector("text=llythyr.txt")
    axe(page, "files-added")
    page.click('button[value="continue"]')

    page.wait_for_url("**/check-your-answers/")
    axe(page, "check-your-answers")
    assert page.locator("html").get_attribute("lang") == "cy"
    page.click('button:has-text("Anfon y gŵyn")')

    page.wait_for_url("**/cy/complain/agency/complaint-sent/")
    axe(page, "confirmation")
    complaint = Complaint.objects.get()
    assert complaint.language == "cy" and complaint.events_more_than_12_months_ago
    assert complaint.attachments.get().original_name == "llythyr.txt"
    assert complaint.reference in page.inner_text(".govuk-panel")
