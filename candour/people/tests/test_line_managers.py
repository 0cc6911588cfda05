"""Complaints managers and senior leaders set or clear a colleague's line manager on a staff page; the manager
must work in the colleague's organisation or one above it, nobody manages themself, and reporting lines never
loop. Every change is in the audit trail, by field name only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from candour.audit.models import AuditEvent
from candour.organisations import services as org_services
from candour.organisations.roles import Role
from candour.people import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree, agency, member, make_user):
    colleague = make_user("colleague", first_name="Ffion", last_name="Jones", job_title="Caseworker")
    org_services.add_membership(actor=None, user=colleague, organisation=tree["team"], role=Role.COMPLAINT_HANDLER)
    return {
        "colleague": colleague,
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "team_lead": member(Role.INVESTIGATOR, tree["team"], "team-lead"),
        "dept_person": member(Role.COMPLAINT_HANDLER, tree["dept"], "dept-person"),
        "sibling_person": member(Role.COMPLAINT_HANDLER, tree["sibling"], "sibling-person"),
        "sibling_manager": member(Role.COMPLAINTS_MANAGER, tree["sibling"], "sibling-manager"),
        "trainer": member(Role.TRAINER, agency, "trainer"),
        "leader": member(Role.SENIOR_LEADER, agency, "leader"),
    }


def test_a_complaints_manager_sets_and_clears_a_line_manager_from_the_colleagues_page(client, people):
    colleague, manager, team_lead = people["colleague"], people["manager"], people["team_lead"]
    client.force_login(manager)
    profile = client.get(reverse("people:colleague", args=[colleague.pk])).content.decode()
    url = reverse("people:line-manager", args=[colleague.pk])
    assert f'href="{url}"' in profile
    listing = client.get(reverse("people:colleagues")).content.decode()
    assert f'<a class="govuk-link" href="{reverse("people:colleague", args=[colleague.pk])}">Ffion Jones</a>' in listing
    assert f'<a class="govuk-link govuk-!-margin-left-2" href="{url}">Set' in listing

    page = client.get(url).content.decode()
    assert "team-lead" in page and "dept-person" in page  # same organisation, or one above it
    assert "sibling-person" not in page
    response = client.post(url, {"line_manager": team_lead.pk}, follow=True)
    assert "team-lead is now Ffion Jones’s line manager" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.line_manager == team_lead
    event = AuditEvent.objects.get(verb="line_manager_set")
    assert event.changes == {"fields": ["line_manager"]} and event.organisation.slug == "agency"
    assert "team-lead" not in event.summary and "Ffion" not in event.summary

    response = client.post(url, {"line_manager": ""}, follow=True)
    assert "Ffion Jones no longer has a line manager" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.line_manager is None
    assert AuditEvent.objects.filter(verb="line_manager_removed").count() == 1


def test_someone_who_works_elsewhere_is_refused_with_a_clear_error(client, people):
    colleague = people["colleague"]
    client.force_login(people["leader"])
    url = reverse("people:line-manager", args=[colleague.pk])
    page = client.post(url, {"line_manager": people["sibling_person"].pk}).content.decode()
    assert "There is a problem" in page and "Select a line manager from the list" in page
    with pytest.raises(ValidationError, match="does not work in Ffion Jones’s organisation"):
        services.set_line_manager(actor=people["leader"], colleague=colleague, line_manager=people["sibling_person"])
    colleague.refresh_from_db()
    assert colleague.line_manager is None


def test_nobody_manages_themself(people):
    with pytest.raises(ValidationError, match="cannot be their own line manager"):
        services.set_line_manager(actor=None, colleague=people["colleague"], line_manager=people["colleague"])


def test_reporting_lines_never_loop_and_the_page_says_why(client, tree, member, people):
    colleague, team_lead = people["colleague"], people["team_lead"]
    services.set_line_manager(actor=None, colleague=team_lead, line_manager=colleague)  # lead reports to colleague
    with pytest.raises(ValidationError, match="reports to Ffion Jones"):
        services.set_line_manager(actor=None, colleague=colleague, line_manager=team_lead)
    # Longer loops too: newcomer -> team lead -> colleague -> newcomer.
    newcomer = member(Role.COMPLAINT_HANDLER, tree["team"], "newcomer")
    services.set_line_manager(actor=None, colleague=newcomer, line_manager=team_lead)
    client.force_login(people["leader"])
    url = reverse("people:line-manager", args=[colleague.pk])
    page = client.post(url, {"line_manager": newcomer.pk}).content.decode()
    assert "There is a problem" in page
    assert "newcomer reports to Ffion Jones, directly or through others" in page
    assert f'<option value="{newcomer.pk}" selected' in page  # what was chosen is kept
    colleague.refresh_from_db()
    assert colleague.line_manager is None


def test_only_those_who_manage_people_where_the_colleague_works_may_change_it(client, people):
    colleague = people["colleague"]
    url = reverse("people:line-manager", args=[colleague.pk])
    for name in ("trainer", "team_lead", "sibling_manager", "dept_person"):
        client.force_login(people[name])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"line_manager": ""}).status_code == 403, name
    with pytest.raises(PermissionDenied):
        services.set_line_manager(actor=people["trainer"], colleague=colleague, line_manager=people["manager"])
    # Nobody may choose their own line manager, even a manager.
    client.force_login(people["manager"])
    assert client.get(reverse("people:line-manager", args=[people["manager"].pk])).status_code == 403
    client.force_login(people["trainer"])
    page = client.get(reverse("people:colleague", args=[colleague.pk])).content.decode()
    assert url not in page  # the trainer sees training, but no link to change the line manager


def test_a_line_manager_who_has_moved_on_is_still_shown_and_saving_unchanged_is_allowed(client, people):
    colleague, sibling_person = people["colleague"], people["sibling_person"]
    colleague.line_manager = sibling_person  # set before the rule existed, e.g. in the Django admin
    colleague.save()
    client.force_login(people["manager"])
    url = reverse("people:line-manager", args=[colleague.pk])
    assert f'<option value="{sibling_person.pk}" selected' in client.get(url).content.decode()
    assert client.post(url, {"line_manager": sibling_person.pk}).status_code == 302
    assert not AuditEvent.objects.filter(verb__startswith="line_manager").exists()
