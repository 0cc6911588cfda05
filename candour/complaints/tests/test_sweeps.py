"""The daily deadline sweep: handlers are reminded of cases due soon and overdue, complaints managers are
told about overdue and unassigned ones, once per case, person and day."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from candour.complaints import services, sweeps
from candour.complaints.models import Channel
from candour.complaints.tests.outbox import Outbox
from candour.organisations import services as org_services
from candour.organisations.roles import Role
from candour.scheduling import DAILY, REGISTRY

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)  # Tuesday


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 7, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def outbox():
    return Outbox()


@pytest.fixture
def people(tree, make_user):
    def person(username, role, organisation, email=True):
        user = make_user(username=username, email=f"{username}@example.gov.uk" if email else "")
        org_services.add_membership(actor=None, user=user, organisation=organisation, role=role)
        return user

    return {
        "handler": person("handler", Role.COMPLAINT_HANDLER, tree["agency"]),
        "quiet": person("quiet", Role.COMPLAINT_HANDLER, tree["agency"], email=False),
        "manager": person("manager", Role.COMPLAINTS_MANAGER, tree["agency"]),
        "team_manager": person("team-manager", Role.COMPLAINTS_MANAGER, tree["team"]),
        "dept_manager": person("dept-manager", Role.COMPLAINTS_MANAGER, tree["dept"]),
        "sibling_manager": person("sibling-manager", Role.COMPLAINTS_MANAGER, tree["sibling"]),
    }


def make(tree, received_on, handler=None, organisation="agency"):
    complaint, _ = services.create_complaint(
        actor=None, organisation=tree[organisation], channel=Channel.EMAIL, description="x", received_on=received_on
    )
    if handler is not None:
        complaint = services.assign(actor=None, complaint=complaint, user=handler, stage=1)
    return complaint


@pytest.fixture
def cases(tree, people):
    return {
        # Received Mon 2 March: 5 working days -> due Mon 9 March: overdue.
        "overdue": make(tree, datetime.date(2026, 3, 2), people["handler"]),
        # Received Wed 4 March: due Wed 11 March: due soon.
        "due_soon": make(tree, datetime.date(2026, 3, 4), people["handler"]),
        "unassigned": make(tree, datetime.date(2026, 3, 5)),  # due Thu 12 March: due soon
        "on_track": make(tree, TODAY, people["handler"]),  # due Tue 17 March
        "quiet": make(tree, datetime.date(2026, 3, 4), people["quiet"]),  # due soon; handler has no e-mail
    }


def test_who_is_told_about_what(tree, people, cases):
    stopped = make(tree, datetime.date(2026, 2, 2), people["handler"])
    services.stop_clock(actor=None, complaint=stopped, reason="Waiting for documents", on=datetime.date(2026, 2, 3))
    withdrawn = make(tree, datetime.date(2026, 2, 2), people["handler"])
    services.transition(actor=None, complaint=withdrawn, name="withdraw", reason="No longer needed")
    elsewhere = make(tree, datetime.date(2026, 3, 2), organisation="sibling")

    told = {(r.complaint.pk, r.user.username, r.kind) for r in sweeps.reminders(TODAY)}
    overdue, due_soon, unassigned, quiet = cases["overdue"].pk, cases["due_soon"].pk, cases["unassigned"].pk, cases[
        "quiet"].pk  # fmt: skip
    assert told == {
        (overdue, "handler", "overdue"),
        (overdue, "manager", "escalation"),
        (overdue, "team-manager", "escalation"),  # a manager in one of the agency's teams manages the agency
        (due_soon, "handler", "due_soon"),
        (unassigned, "manager", "unassigned"),
        (unassigned, "team-manager", "unassigned"),
        (quiet, "quiet", "due_soon"),
        (elsewhere.pk, "sibling-manager", "escalation"),  # the department's manager does not reach the sibling
    }


def test_the_sweep_emails_once_a_day_and_again_the_next_day(tree, people, cases, outbox):
    first = sweeps.deadline_reminders()
    assert first == "6 reminders queued, 1 not sent"  # the handler without an e-mail address is skipped
    keys = {m.key for m in outbox.all()}
    assert f"complaint:{cases['overdue'].pk}:reminder:escalation:{people['manager'].pk}:2026-03-10" in keys
    assert {m.to for m in outbox.all()} == {
        "handler@example.gov.uk", "manager@example.gov.uk", "team-manager@example.gov.uk",
    }  # fmt: skip
    overdue_email = next(m for m in outbox.all() if ":overdue:" in m.key)
    assert cases["overdue"].reference in overdue_email.text and "9 March 2026" in overdue_email.text
    assert f"/staff/complaints/{cases['overdue'].reference}/" in overdue_email.text

    sweeps.deadline_reminders()
    assert len(outbox.all()) == 6

    # Wednesday: the due-soon case is due today (still due soon), and everything is told again.
    with time_machine.travel(datetime.datetime(2026, 3, 11, 7, 0, tzinfo=datetime.UTC), tick=False):
        sweeps.deadline_reminders()
    assert len(outbox.all()) == 12


def test_the_sweep_is_registered_daily_and_runs_from_the_scheduler(tree, people, cases, outbox):
    assert REGISTRY["complaints.deadlines"].every == DAILY
    out = io.StringIO()
    call_command("run_scheduled", "--only", "complaints.deadlines", stdout=out)
    assert "complaints.deadlines: 6 reminders queued" in out.getvalue()
    assert len(outbox.all()) == 6
