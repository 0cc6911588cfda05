"""The pages as a colleague meets them: who sees what, links to the cases behind figures, downloads, packs."""

import csv
import io
import re

import pytest
from pypdf import PdfReader

from candour.governance import services as gov
from candour.governance.models import Indicator
from candour.organisations.roles import Role
from candour.reporting import exports

from .conftest import Q3

pytestmark = pytest.mark.django_db
PERIOD = f"?start={Q3[0]}&end={Q3[1]}"


def get(client, user, path):
    client.force_login(user)
    return client.get(path)


def test_a_senior_leader_sees_the_dashboard_with_charts_tables_and_links_to_the_cases(client, world, member):
    leader = member(Role.SENIOR_LEADER, world["agency"])
    response = get(client, leader, f"/staff/governance/agency/{PERIOD}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Complaints dashboard" in html and "1 October 2025 to 31 December 2025" in html
    assert html.count("<desc>") == 3 and 'role="img" aria-label="Complaints by channel"' in html
    assert "Stage 1 responses on time (%)" in html and ">50.0<" in html
    agency_id = world["agency"].pk
    assert (
        f'href="/staff/complaints/?tab=overdue&amp;status=open&amp;organisation={agency_id}'
        f'&amp;received_from=2025-10-01&amp;received_to=2025-12-31&amp;stage=1"' in html
    )
    assert "channel=email" in html and f"service_area={world['licences'].pk}" in html
    assert "Annie Apple" not in html  # figures, never names


def test_a_governance_member_sees_the_figures_but_no_links_to_cases(client, world, member):
    board = member(Role.GOVERNANCE_MEMBER, world["agency"])
    html = get(client, board, f"/staff/governance/agency/{PERIOD}").content.decode()
    assert "Stage 1 responses on time (%)" in html and "/staff/complaints/" not in html


def test_a_sibling_sees_nothing_of_another_body_and_a_handler_no_dashboards(client, world, member, handler):
    sibling_leader = member(Role.SENIOR_LEADER, world["sibling"])
    assert get(client, sibling_leader, "/staff/governance/agency/").status_code == 404
    assert get(client, sibling_leader, "/staff/governance/agency/pack.pdf").status_code == 404
    assert get(client, sibling_leader, "/staff/governance/agency/export/headline.csv").status_code == 404
    assert get(client, sibling_leader, "/staff/governance/dept/oversight/").status_code == 404
    assert get(client, handler, "/staff/governance/").status_code == 403


def test_the_department_sees_its_related_organisations_side_by_side_in_aggregate_only(client, world, member, tree):
    oversight = member(Role.PARENT_OVERSIGHT, tree["dept"])
    gov.set_threshold(actor=None, department=tree["dept"], indicator=Indicator.STAGE1_ON_TIME, value=80)
    html = get(client, oversight, f"/staff/governance/dept/oversight/{PERIOD}").content.decode()
    assert "Department" in html and "Agency" in html and "Sibling Body" in html
    assert "Falls short" in html and "Stage 1 responses on time (%)" in html
    assert "/staff/complaints/" not in html and "Annie Apple" not in html
    assert "Complaints received each month, by organisation" in html
    # The department-wide export: 5 at the agency and 1 at the sibling, side by side and consolidated.
    sheets = exports.read_ods(get(client, oversight, f"/staff/governance/dept/oversight/export.ods{PERIOD}").content)
    side_by_side = next(rows for name, rows in sheets.items() if name.startswith("Related organisations"))
    agency_row = next(row for row in side_by_side if row[0] == "Agency")
    assert agency_row[1:3] == ["5", "1.25"] and agency_row[-1] == "Stage 1 responses on time (%)"
    assert next(row for row in side_by_side if row[0] == "Sibling Body")[1] == "1"
    assert ["Complaints received", "6", ""] in sheets["Headline figures"]
    trend = next(rows for name, rows in sheets.items() if name.startswith("Complaints received each month"))
    assert trend[0] == ["Organisation", "Oct 2025", "Nov 2025", "Dec 2025"]
    assert ["Agency", "0", "0", "5"] in trend and ["Sibling Body", "0", "1", "0"] in trend
    # Oversight reaches the agency's own dashboard too, still without case links.
    page = get(client, oversight, f"/staff/governance/agency/{PERIOD}").content.decode()
    assert "Complaints dashboard" in page and "/staff/complaints/" not in page


def test_an_agency_leader_sees_no_oversight_of_the_department(client, world, member):
    leader = member(Role.SENIOR_LEADER, world["agency"])
    assert get(client, leader, "/staff/governance/dept/oversight/").status_code == 404
    index = get(client, leader, "/staff/governance/").content.decode()
    assert "Agency" in index and "Sibling Body" not in index and "Related organisations" not in index


def test_every_table_downloads_as_csv_and_ods_and_reads_back(client, world, member):
    leader = member(Role.SENIOR_LEADER, world["agency"])
    response = get(client, leader, f"/staff/governance/agency/export/by-channel.csv{PERIOD}")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Channel", "Complaints"] and ["Email", "2"] in rows
    response = get(client, leader, f"/staff/governance/agency/export/all.ods{PERIOD}")
    sheets = exports.read_ods(response.content)
    assert "Headline figures" in sheets and "Complaints by service area" in sheets
    assert ["Complaints received", "5", ""] in sheets["Headline figures"]
    oversight_csv = get(client, leader, f"/staff/governance/agency/oversight/export.csv{PERIOD}")
    assert oversight_csv.status_code == 200 and b"Agency" in oversight_csv.content


def test_the_review_pack_in_html_and_pdf_shows_figures_decisions_and_ombudsman_cases(client, world, member):
    leader = member(Role.SENIOR_LEADER, world["agency"])
    gov.set_governance_body(actor=leader, organisation=world["agency"], name="Customer Board", rhythm="quarterly")
    review = gov.record_review(
        actor=leader,
        organisation=world["agency"],
        period_start=Q3[0],
        period_end=Q3[1],
        held_on=Q3[1],
        attendees="Chair",
        discussion="Discussed delays",
        decisions=["Track call-backs"],
        actions=[gov.ActionInput("Build a tracker", leader, Q3[1])],
    )
    gov.update_decision(actor=leader, decision=review.decisions.get(), status="in_progress", note="Half done")
    html = get(client, leader, f"/staff/governance/agency/pack/{PERIOD}").content.decode()
    assert "Governance review pack" in html and "Customer Board" in html
    assert "Track call-backs" in html and "In progress" in html and "Half done" in html
    assert "Build a tracker" in html  # overdue action with its accountable owner
    assert world["b"].reference in html and "Awaiting the Ombudsman" in html
    assert world["a"].reference in html  # notable: financial redress
    assert "Annie Apple" not in html and "alex@example.com" not in html
    response = get(client, leader, f"/staff/governance/agency/pack.pdf{PERIOD}")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Governance review pack" in text and "Track call-backs" in text and world["b"].reference in text
    assert "Complaints received" in text


def test_a_figures_link_opens_the_work_queue_with_exactly_the_cases_behind_it(client, world, member):
    leader = member(Role.SENIOR_LEADER, world["agency"])
    html = get(client, leader, f"/staff/governance/agency/{PERIOD}").content.decode()
    links = {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a class="govuk-link" href="(/staff/complaints/\?[^"]+)">([^<]+)</a>', html)
    }
    overdue = client.get(links["Overdue now"]).content.decode()
    assert world["d"].reference in overdue and world["a"].reference not in overdue
    received = client.get(links["Complaints received"]).content.decode()
    for key in "abcdg":
        assert world[key].reference in received
    email = client.get(links["Email"]).content.decode()
    assert world["b"].reference in email and world["a"].reference not in email


def test_themes_and_overdue_improvement_actions_from_learning_appear_on_the_dashboard_and_pack(client, world, member):
    from candour.learning import services as learning
    from candour.learning.models import RootCause

    leader = member(Role.SENIOR_LEADER, world["agency"])
    cause = RootCause.objects.create(organisation=world["agency"], name="Process")
    for key in "ab":
        learning.save_learning_record(
            actor=None,
            complaint=world[key],
            what_went_wrong="Call-backs were not tracked",
            root_cause=cause,
            themes=["Call-backs"],
        )
    learning.create_action(
        actor=None,
        organisation=world["agency"],
        description="Track every promised call-back",
        senior_owner=leader,
        due_date=Q3[1],
    )
    html = get(client, leader, f"/staff/governance/agency/{PERIOD}").content.decode()
    assert "Complaints by theme" in html and "Call-backs" in html
    assert re.search(r"Improvement actions open</td>\s*<td[^>]*>1</td>\s*<td[^>]*>1 overdue", html)
    pack = get(client, leader, f"/staff/governance/agency/pack/{PERIOD}").content.decode()
    assert "Call-backs" in pack and "Track every promised call-back" in pack
