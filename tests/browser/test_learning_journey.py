"""From closing an upheld complaint to a verified improvement action, in a real browser (issue 5), with axe-core
checking each main page. The upheld stage 1 response is issued through the services; the browser does the rest."""

import datetime

import pytest

from candour.complaints import services as cs
from candour.complaints.models import Channel, Complaint
from candour.complaints.services import PointInput
from candour.learning.models import ImprovementAction, LearningRecord, RootCause
from candour.organisations.roles import Role
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def upheld(tree, member):
    agency = tree["agency"]
    people = {
        "handler": member(Role.COMPLAINT_HANDLER, agency, "handler"),
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "leader": member(Role.SENIOR_LEADER, agency, "leader"),
        "delivery": member(Role.COMPLAINT_HANDLER, agency, "delivery"),
        "verifier": member(Role.COMPLAINTS_MANAGER, agency, "verifier"),
    }
    names = {
        "handler": ("Hana", "Handler"),
        "manager": ("Mari", "Manager"),
        "leader": ("Lowri", "Leader"),
        "delivery": ("Dafydd", "Delivery"),
        "verifier": ("Vera", "Verifier"),
    }
    for key, user in people.items():
        user.first_name, user.last_name = names[key]
        user.save()
    handler = people["handler"]
    complaint, _ = cs.create_complaint(
        actor=handler,
        organisation=agency,
        channel=Channel.ONLINE,
        description="My tax payment failed.",
        received_on=datetime.date.today() - datetime.timedelta(days=5),
        complainant_name="Alex Sample",
        complainant_email="alex@example.com",
        points=[PointInput("The payment failed", "A refund")],
    )
    complaint = cs.assign(actor=handler, complaint=complaint, user=handler, stage=1)
    cs.transition(actor=handler, complaint=complaint, name="start_early_resolution")
    for point in complaint.points.all():
        cs.update_point(actor=handler, point=point, outcome="upheld")
    response = cs.save_response(
        actor=handler, complaint=complaint, outcome="upheld", understanding="u", what_was_investigated="w",
        how_it_was_investigated="h", decision_reasoning="d", impact="i", what_will_happen="x",
        apology="We are sorry.",
    )  # fmt: skip
    cs.issue_response(actor=handler, response=response, delivery_method="email", letter_html="l")
    complaint.refresh_from_db()
    assert complaint.outcome == "upheld" and complaint.status != "closed"
    return complaint, people


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto("/staff/sign-in/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click('button:has-text("Sign in")')
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url


def submit(page, text):
    page.click(f'main button.govuk-button:has-text("{text}")')
    page.wait_for_load_state()


def move(page, name, reason=""):
    page.check(f'input[name="name"][value="{name}"]')
    if reason:
        page.fill("#id_reason", reason)
    submit(page, "Save status")
    assert "Action status changed" in page.content()


def test_from_closing_an_upheld_complaint_to_a_verified_action(page, axe, upheld):
    complaint, people = upheld
    ref = complaint.reference
    # A default root cause (seeded by a migration, which an earlier transactional test's flush may have removed).
    cause, _ = RootCause.objects.get_or_create(organisation=None, name="Process")

    # The handler records the learning: what went wrong, the root cause and a theme.
    sign_in(page, people["handler"])
    page.goto(f"/staff/learning/complaints/{ref}/")
    axe(page, "learning-record")
    page.fill("#id_what_went_wrong", "The payment page failed on older browsers.")
    page.check(f'input[name="root_cause"][value="{cause.pk}"]')
    page.fill("#id_themes", "Payment page failures")
    submit(page, "Save learning")
    assert "Learning recorded" in page.content()
    record = LearningRecord.objects.get(complaint=complaint)
    assert record.root_cause == cause and [t.name for t in record.themes.all()] == ["Payment page failures"]

    # ... and closes the complaint.
    page.goto(f"/staff/complaints/{ref}/")
    page.click('a.govuk-button:text-is("Close")')
    page.wait_for_url(f"**/{ref}/move/close/")
    axe(page, "close")
    submit(page, "Confirm: Close")
    page.wait_for_url(f"**/staff/complaints/{ref}/**")
    assert Complaint.objects.get(pk=complaint.pk).status == "closed"

    # A complaints manager proposes an improvement action from it, with owners and a due date.
    sign_in(page, people["manager"])
    page.goto(f"/staff/learning/complaints/{ref}/")
    page.click("text=Propose an improvement action")
    page.wait_for_url("**/staff/learning/actions/new/**")
    axe(page, "action-new")
    assert page.input_value("#id_complaints") == ref
    assert page.input_value("#id_themes") == "Payment page failures"
    page.fill("#id_description", "Test the payment page on older browsers before each release.")
    page.select_option("#id_senior_owner", str(people["leader"].pk))
    page.select_option("#id_delivery_owner", str(people["delivery"].pk))
    due = datetime.date.today() + datetime.timedelta(days=60)
    page.fill('input[name="due_date_day"]', str(due.day))
    page.fill('input[name="due_date_month"]', str(due.month))
    page.fill('input[name="due_date_year"]', str(due.year))
    page.fill("#id_expected_impact", "Fewer failed payments.")
    page.fill("#id_how_measured", "Complaints about payments per month.")
    submit(page, "Save action")
    page.wait_for_url("**/staff/learning/actions/*/")
    action = ImprovementAction.objects.get()
    assert list(action.complaints.all()) == [Complaint.objects.get(pk=complaint.pk)]
    assert action.senior_owner == people["leader"] and action.delivery_owner == people["delivery"]
    assert action.due_date == due
    detail = f"/staff/learning/actions/{action.pk}/"
    axe(page, "action-proposed")

    # The senior owner agrees it.
    sign_in(page, people["leader"])
    page.goto(detail)
    axe(page, "action-to-agree")
    move(page, "agree")
    assert page.inner_text("#action-status") == "Agreed"

    # The delivery owner starts it, then completes it with evidence.
    sign_in(page, people["delivery"])
    page.goto(detail)
    axe(page, "action-to-start")
    move(page, "start")
    assert page.inner_text("#action-status") == "In progress"
    page.fill("#id_evidence", "Released on 1 March with browser testing in the release checklist.")
    submit(page, "Save evidence")
    assert "Evidence saved" in page.content()
    axe(page, "action-evidence")
    move(page, "complete")
    assert page.inner_text("#action-status") == "Done"
    assert page.locator('input[name="name"][value="verify_effective"]').count() == 0

    # A different colleague verifies that it worked.
    sign_in(page, people["verifier"])
    page.goto(detail)
    axe(page, "action-to-verify")
    move(page, "verify_effective", reason="Complaints about failed payments stopped after the release.")
    assert page.inner_text("#action-status") == "Verified effective"
    assert "Vera Verifier" in page.content()
    axe(page, "action-verified")
    action.refresh_from_db()
    assert action.status == "verified_effective" and action.verified_by == people["verifier"]
