"""The complainant survey in a real browser, in English and in Welsh, with axe-core checking each page.

Uses the Playwright harness in tests/browser/conftest.py (fixtures `page` and `axe`); skipped if it is absent.
"""

import datetime
import re

import pytest

from candour.feedback import services
from candour.feedback.models import SurveyResponse
from candour.feedback.statements import COMPLAINANT_STATEMENTS
from candour.notifications.models import Message

pytest.importorskip("tests.browser.conftest", reason="the browser harness (tests/browser/conftest.py) is not here yet")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _survey_path(tree, handler, language: str) -> str:
    from candour.feedback.tests.helpers import close_complaint

    complaint = close_complaint(
        tree["agency"], handler, closed_on=datetime.date.today() - datetime.timedelta(days=30), language=language
    )
    services.invite_complainant(complaint=complaint)
    body = Message.objects.get(idempotency_key=f"complaint:{complaint.pk}:survey").body_text
    return re.search(r"https?://[^/]+(/\S*survey/[A-Za-z0-9_-]+/)", body).group(1)


@pytest.mark.parametrize(
    ("language", "error", "done", "used"),
    [
        ("en", "Choose how much you agree with the statement", "Thank you for your answers", "already answered"),
        ("cy", "Dewiswch i ba raddau rydych yn cytuno", "Diolch am eich atebion", "eisoes wedi ateb"),
    ],
)
def test_the_survey_in_a_browser(page, axe, tree, handler, language, error, done, used):
    path = _survey_path(tree, handler, language)
    assert path.startswith("/cy/") == (language == "cy")
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == language
    axe(page, f"survey-{language}")
    page.get_by_role("button").last.click()
    page.wait_for_selector(".govuk-error-summary")
    assert error in page.content()
    axe(page, f"survey-errors-{language}")
    for statement in COMPLAINANT_STATEMENTS:
        page.locator(f'input[name="{statement.key}"][value="4"]').check()
    page.fill("#id_comments", "Clear and kind")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/survey/thank-you/")
    assert done in page.content()
    axe(page, f"survey-done-{language}")
    page.goto(path)
    assert used in page.content().replace("&#39;", "'")
    axe(page, f"survey-used-{language}")
    assert SurveyResponse.objects.count() == 1
