"""Results as a complaints manager, a leader and a parent department see them: scores per statement and
section, response rates and breakdowns, with anything under 5 responses suppressed; free text for
complaints managers only; self-assessments with live evidence, kept as dated versions, side by side."""

import datetime

import pytest
import time_machine

from candour.feedback import selectors, services
from candour.feedback.models import Expectation, Rating, SelfAssessment
from candour.feedback.statements import COMPLAINANT_STATEMENTS
from candour.notifications.models import Message
from candour.organisations.roles import Role

from .helpers import close_complaint

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=datetime.UTC)
CLOSED = datetime.date(2026, 3, 2)
YEAR = (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _answer_surveys(organisation, handler, scores: list[int], outcome="upheld", comments=""):
    """One closed complaint per score; each complainant answers every statement with that score."""
    import re

    for index, score in enumerate(scores):
        complaint = close_complaint(
            organisation, handler, closed_on=CLOSED, outcome=outcome, email=f"p{index}-{organisation.slug}@example.com"
        )
        services.invite_complainant(complaint=complaint)
        body = Message.objects.get(idempotency_key=f"complaint:{complaint.pk}:survey").body_text
        token = re.search(r"/survey/([A-Za-z0-9_-]+)/", body).group(1)
        services.submit_complainant_response(
            token=token, answers={s.key: score for s in COMPLAINANT_STATEMENTS}, comments=comments
        )


def test_scores_per_statement_and_section_with_response_rates(tree, handler):
    _answer_surveys(tree["agency"], handler, [5, 4, 4, 2, 1])
    results = selectors.survey_results([tree["agency"].pk], *YEAR)["complainant"]
    easy = next(r for r in results["statements"] if r["statement"] == "easy")
    assert easy == {
        "statement": "easy",
        "text": "It was easy to make my complaint",
        "section": 1,
        "responses": 5,
        "suppressed": False,
        "percent_agree": 60.0,
        "mean": 3.2,
    }
    section_2 = next(r for r in results["sections"] if r["section"] == 2)  # two statements, five people
    assert (section_2["responses"], section_2["percent_agree"], section_2["mean"]) == (5, 60.0, 3.2)
    assert results["response_rate"] == {"invited": 5, "answered": 5, "percent": 100.0}
    assert results["by_stage"][0]["stage"] == 1 and results["by_stage"][0]["percent_agree"] == 60.0
    assert results["trend"][0]["month"] == datetime.date(2026, 3, 1)


def test_any_breakdown_under_five_responses_is_suppressed(tree, handler, member):
    other = member(Role.COMPLAINT_HANDLER, tree["sibling"])
    _answer_surveys(tree["agency"], handler, [5, 5, 5, 4, 4], outcome="upheld")
    _answer_surveys(tree["sibling"], other, [1, 2], outcome="not_upheld")
    results = selectors.survey_results([tree["agency"].pk, tree["sibling"].pk], *YEAR)["complainant"]
    by_org = {r["organisation"]: r for r in results["by_organisation"]}
    assert by_org["Agency"]["percent_agree"] == 100.0
    assert by_org["Sibling Body"] == {
        "organisation_id": tree["sibling"].pk,
        "organisation": "Sibling Body",
        "responses": 2,
        "suppressed": True,
        "percent_agree": None,
        "mean": None,
    }
    by_outcome = {r["outcome"]: r for r in results["by_outcome"]}
    assert by_outcome["not_upheld"]["suppressed"] and by_outcome["not_upheld"]["mean"] is None
    assert not by_outcome["upheld"]["suppressed"]
    # The sibling on its own: every figure suppressed, on the page too.
    alone = selectors.survey_results([tree["sibling"].pk], *YEAR)["complainant"]
    assert all(r["suppressed"] for r in alone["statements"] + alone["sections"] + [alone["overall"]])
    summary = selectors.survey_summary([tree["sibling"].pk], *YEAR)
    assert summary[0]["percent_agree"] is None and summary[0]["responses"] == "fewer than 5"


def test_the_results_page_hides_small_groups_and_only_managers_read_comments(client, tree, handler, member):
    _answer_surveys(tree["agency"], handler, [5, 4, 3, 2], comments="The letter used jargon")
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    board = member(Role.GOVERNANCE_MEMBER, tree["agency"])
    client.force_login(board)
    page = client.get("/staff/feedback/?year=2025").content.decode()
    assert "Fewer than 5 responses" in page and "Read survey comments" not in page
    assert "The letter used jargon" not in page
    assert client.get("/staff/feedback/comments/").status_code == 403
    client.force_login(handler)
    assert client.get("/staff/feedback/").status_code == 403
    client.force_login(manager)
    assert "Read survey comments" in client.get("/staff/feedback/").content.decode()
    comments = client.get("/staff/feedback/comments/?year=2025").content.decode()
    assert comments.count("The letter used jargon") == 4
    assert "Alex Example" not in comments


def test_complaints_manager_predicate_needs_both_capabilities(tree, member):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    leader = member(Role.SENIOR_LEADER, tree["agency"])  # manage_cases and view_audit too
    oversight = member(Role.PARENT_OVERSIGHT, tree["dept"])
    admin = member(Role.SYSTEM_ADMIN, tree["dept"])  # view_audit without manage_cases
    assert manager.has_perm("feedback.read_comments", tree["agency"])
    assert not manager.has_perm("feedback.read_comments", tree["sibling"])
    assert leader.has_perm("feedback.read_comments", tree["agency"])
    assert not oversight.has_perm("feedback.read_comments", tree["agency"])
    assert not admin.has_perm("feedback.read_comments", tree["agency"])


def _rate_all(rating=Rating.MET):
    return {
        e.pk: {"rating": rating, "evidence": "Published process", "improvement_plan": "Train teams"}
        for e in Expectation.objects.filter(active=True)
    }


def test_live_evidence_figures(tree, handler):
    _answer_surveys(tree["agency"], handler, [5, 5, 4, 4, 1])
    evidence = selectors.live_evidence(tree["agency"], *YEAR)
    # Each complaint was answered at stage 1 eleven days after receipt: later than its 5 working days.
    assert evidence["on_time"]["stage1"] == 5 and evidence["on_time"]["stage1_percent"] == 0.0
    assert evidence["complainant_survey"]["overall"]["percent_agree"] == 80.0
    assert evidence["complainant_survey"]["response_rate"]["percent"] == 100.0
    assert evidence["colleague_survey"]["response_rate"] == {"invited": 5, "answered": 0, "percent": 0.0}
    for key in ("training", "governance_reviews", "actions"):  # the other apps' figures, or None until they exist
        assert key in evidence


def test_self_assessments_are_dated_versions_and_need_plans_where_not_met(client, tree, member):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    with pytest.raises(Exception, match="improvement plan"):
        ratings = _rate_all(Rating.NOT_MET)
        first = next(iter(ratings))
        ratings[first]["improvement_plan"] = ""
        services.record_self_assessment(
            actor=manager,
            organisation=tree["agency"],
            assessed_on=datetime.date(2026, 3, 1),
            ratings=ratings,
            evidence={},
        )
    one = services.record_self_assessment(
        actor=manager,
        organisation=tree["agency"],
        assessed_on=datetime.date(2025, 9, 1),
        ratings=_rate_all(Rating.PARTLY_MET),
        evidence={},
    )
    two = services.record_self_assessment(
        actor=manager,
        organisation=tree["agency"],
        assessed_on=datetime.date(2026, 3, 1),
        ratings=_rate_all(),
        evidence={},
    )
    assert (one.version, two.version) == (1, 2)
    assert one.ratings.filter(rating=Rating.PARTLY_MET).count() == Expectation.objects.count()
    latest = selectors.latest_self_assessments([tree["agency"].pk, tree["sibling"].pk])
    assert list(latest) == [tree["agency"].pk]
    assert latest[tree["agency"].pk]["version"] == 2
    assert latest[tree["agency"].pk]["counts"] == {"met": Expectation.objects.count(), "partly_met": 0, "not_met": 0}
    # Changing an expectation's wording keeps what earlier versions rated.
    expectation = Expectation.objects.get(section=4, number=7)
    old = expectation.text
    admin = member(Role.SYSTEM_ADMIN, tree["dept"])
    services.save_expectation(
        actor=admin,
        organisation=tree["agency"],
        section=4,
        text="Feedback is used to show performance.",
        expectation=expectation,
    )
    assert one.ratings.get(expectation=expectation).expectation_text == old
    # The change is the agency's own: the shared wording and every other organisation's list are unchanged.
    assert Expectation.objects.get(pk=expectation.pk).text == old
    assert selectors.expectations_for(tree["sibling"]).get(section=4, number=7).text == old
    changed = selectors.expectations_for(tree["agency"]).get(section=4, number=7)
    assert changed.text == "Feedback is used to show performance." and changed.organisation == tree["agency"]
    # The next self-assessment rates the agency's wording, starting from the last version's ratings.
    three = services.record_self_assessment(
        actor=manager,
        organisation=tree["agency"],
        assessed_on=datetime.date(2026, 4, 1),
        ratings={
            e.pk: {"rating": Rating.MET, "evidence": "", "improvement_plan": ""}
            for e in selectors.expectations_for(tree["agency"])
        },
        evidence={},
    )
    assert three.ratings.get(section=4, expectation__number=7).expectation_text == changed.text
    client.force_login(manager)
    page = client.get("/staff/feedback/self-assessment/agency/new/").content.decode()
    assert f'name="rating_{changed.pk}"' in page and "Feedback is used to show performance." in page


def test_the_self_assessment_form_keeps_input_and_saves_a_version_with_evidence(client, tree, member):
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    client.force_login(manager)
    page = client.get("/staff/feedback/self-assessment/agency/new/").content.decode()
    assert "Stage 1 responses on time" in page and "Training compliance" in page
    expectations = list(Expectation.objects.filter(active=True))
    data = {f"rating_{e.pk}": "met" for e in expectations}
    data[f"rating_{expectations[0].pk}"] = "not_met"
    data[f"evidence_{expectations[0].pk}"] = "Only online and post"
    response = client.post("/staff/feedback/self-assessment/agency/new/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Give an improvement plan for expectation 1.1" in page and "Only online and post" in page
    data[f"plan_{expectations[0].pk}"] = "Add phone and in-person routes by June"
    response = client.post("/staff/feedback/self-assessment/agency/new/", data)
    assert response.status_code == 302 and response["Location"].endswith("/self-assessment/agency/1/")
    saved = SelfAssessment.objects.get()
    assert "on_time" in saved.evidence
    assert "Add phone and in-person routes by June" in client.get(response["Location"]).content.decode()


def test_a_parent_department_sees_its_organisations_side_by_side(client, tree, member):
    oversight = member(Role.PARENT_OVERSIGHT, tree["dept"])
    agency_manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    sibling_manager = member(Role.COMPLAINTS_MANAGER, tree["sibling"])
    services.record_self_assessment(
        actor=agency_manager,
        organisation=tree["agency"],
        assessed_on=datetime.date(2026, 3, 1),
        ratings=_rate_all(),
        evidence={},
    )
    services.record_self_assessment(
        actor=sibling_manager,
        organisation=tree["sibling"],
        assessed_on=datetime.date(2026, 3, 2),
        ratings=_rate_all(Rating.NOT_MET),
        evidence={},
    )
    client.force_login(oversight)
    page = client.get("/staff/feedback/self-assessment/compare/").content.decode()
    assert "Agency" in page and "Sibling Body" in page and "Department" in page
    assert page.count("govuk-tag--green") == Expectation.objects.count()
    assert page.count("govuk-tag--red") == Expectation.objects.count()
    assert "Not assessed yet" in page  # the department itself
    # Oversight sees, but cannot assess; a manager of one body cannot compare others.
    assert client.get("/staff/feedback/self-assessment/agency/new/").status_code == 403
    client.force_login(agency_manager)
    page = client.get("/staff/feedback/self-assessment/compare/").content.decode()
    assert "Sibling Body" not in page


def test_settings_and_expectation_pages_for_a_system_administrator(client, tree, member):
    from conftest import verify_two_factor

    admin = member(Role.SYSTEM_ADMIN, tree["dept"])
    client.force_login(admin)
    verify_two_factor(client, admin)  # system administrators must sign in with two-factor
    assert "The default is 10" in client.get("/staff/feedback/settings/agency/").content.decode()
    page = client.post("/staff/feedback/settings/agency/", {"survey_delay_days": "99"}).content.decode()
    assert "The delay must be 60 working days or fewer" in page and 'value="99"' in page
    assert client.post("/staff/feedback/settings/agency/", {"survey_delay_days": "5"}).status_code == 302
    assert services.survey_delay_days(tree["agency"]) == 5
    index = client.get("/staff/feedback/expectations/").content.decode()
    assert "/staff/feedback/expectations/agency/" in index and "/staff/feedback/expectations/sibling/" in index
    assert "Promoting a learning culture" in client.get("/staff/feedback/expectations/agency/").content.decode()
    expectation = Expectation.objects.get(section=1, number=1)
    url = f"/staff/feedback/expectations/agency/{expectation.pk}/"
    page = client.post(url, {"text": "  "}).content.decode()
    assert "Enter the expectation" in page
    assert client.post(url, {"text": "Many channels."}).status_code == 302
    assert client.post("/staff/feedback/expectations/agency/add/4/", {"text": "A new one."}).status_code == 302
    agency_list = client.get("/staff/feedback/expectations/agency/").content.decode()
    assert "Many channels." in agency_list and "A new one." in agency_list
    sibling_list = client.get("/staff/feedback/expectations/sibling/").content.decode()
    assert "Many channels." not in sibling_list and "A new one." not in sibling_list
    assert Expectation.objects.get(pk=expectation.pk).text != "Many channels."  # the shared wording is unchanged
    manager = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    client.force_login(manager)
    assert client.get("/staff/feedback/settings/agency/").status_code == 403
    assert client.get("/staff/feedback/expectations/").status_code == 403
    assert client.get("/staff/feedback/expectations/agency/").status_code == 403
    listing = client.get("/staff/feedback/self-assessment/").content.decode()
    assert "Not assessed yet" in listing
    assert "Evidence Candour holds now" in client.get("/staff/feedback/self-assessment/agency/").content.decode()
    assert client.get("/staff/feedback/self-assessment/sibling/").status_code == 403


def test_a_sibling_organisations_administrator_cannot_change_the_agencys_expectations(client, tree, member):
    from conftest import verify_two_factor

    admin = member(Role.SYSTEM_ADMIN, tree["sibling"])
    client.force_login(admin)
    verify_two_factor(client, admin)
    expectation = Expectation.objects.get(section=1, number=1)
    assert client.get("/staff/feedback/expectations/").status_code == 302  # straight to their only organisation
    assert client.get("/staff/feedback/expectations/agency/").status_code == 403
    edit = f"/staff/feedback/expectations/agency/{expectation.pk}/"
    assert client.post(edit, {"text": "Hijacked"}).status_code == 403
    assert client.post("/staff/feedback/expectations/agency/add/1/", {"text": "Hijacked"}).status_code == 403
    assert client.post(edit, {"retire": "1"}).status_code == 403
    assert not Expectation.objects.filter(text="Hijacked").exists()
    assert Expectation.objects.filter(active=False).count() == 0
    # Their own organisation's list they may change; the agency's stays the shared wording.
    assert client.post(f"/staff/feedback/expectations/sibling/{expectation.pk}/", {"text": "Ours"}).status_code == 302
    assert selectors.expectations_for(tree["sibling"]).get(section=1, number=1).text == "Ours"
    assert selectors.expectations_for(tree["agency"]).get(section=1, number=1).text == expectation.text
    # An expectation another organisation owns cannot be reached through one's own organisation's address.
    theirs = selectors.expectations_for(tree["sibling"]).get(section=1, number=1)
    agency_admin = member(Role.SYSTEM_ADMIN, tree["agency"])
    client.force_login(agency_admin)
    verify_two_factor(client, agency_admin)
    assert client.post(f"/staff/feedback/expectations/agency/{theirs.pk}/", {"text": "x"}).status_code == 404
