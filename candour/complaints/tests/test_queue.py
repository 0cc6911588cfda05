"""The work queue: tabs, filters, search, sorting, deadline tags and a fixed number of queries per page."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from candour.complaints import queue, services
from candour.complaints.models import Channel, Complaint
from candour.complaints.selectors import complaints_visible_to
from candour.complaints.services import PointInput
from candour.organisations.models import ClosureDay
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 20)  # Tuesday


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def make(tree, handler, org="agency", received=datetime.date(2026, 1, 19), **fields):
    fields.setdefault("complainant_name", "Pat Person")
    c, _ = services.create_complaint(
        actor=handler,
        organisation=tree[org],
        channel=fields.pop("channel", Channel.EMAIL),
        description=fields.pop("description", "Something went wrong"),
        received_on=received,
        points=fields.pop("points", None),
        **fields,
    )
    return c


def refs(user, **params):
    return [c.reference for c in queue.filter_queue(complaints_visible_to(user), params, user)]


def page_refs(response) -> list[str]:
    return re.findall(r'href="/staff/complaints/([A-Z]+-\d{4}-\d{6})/"', response.content.decode())


def test_tabs(tree, handler, member):
    other = member(Role.COMPLAINT_HANDLER, tree["agency"], username="other")
    mine = services.assign(actor=handler, complaint=make(tree, handler), user=handler, stage=1)
    theirs = services.assign(actor=handler, complaint=make(tree, handler), user=other, stage=1)
    nobody = make(tree, handler)
    late = make(tree, handler, received=datetime.date(2026, 1, 5))  # due 12 January: overdue
    soon = make(tree, handler, received=datetime.date(2026, 1, 15))  # due 22 January: 2 working days away
    closed = services.assign(actor=handler, complaint=make(tree, handler), user=handler, stage=1)
    services.transition(actor=handler, complaint=closed, name="withdraw", reason="They withdrew")

    assert refs(handler, tab="mine") == [mine.reference]
    assert set(refs(handler, tab="unassigned")) == {nobody.reference, late.reference, soon.reference}
    assert refs(handler, tab="overdue") == [late.reference]
    assert refs(handler, tab="due_soon") == [soon.reference]
    assert theirs.reference in refs(handler, tab="team")
    assert refs(handler, tab="mine", status="withdrawn") == [closed.reference]
    assert closed.reference in refs(handler, tab="all", status="finished")


def test_due_soon_follows_the_organisations_working_days(tree, handler):
    # 2 working days from Tuesday 20 January is Thursday 22; a closure day on the 21st moves it to Friday 23.
    friday = make(tree, handler, received=datetime.date(2026, 1, 16))  # due Friday 23 January
    assert refs(handler, tab="due_soon") == []
    ClosureDay.objects.create(organisation=tree["agency"], date=datetime.date(2026, 1, 21), reason="Office move")
    assert refs(handler, tab="due_soon") == [friday.reference]


def test_filters(tree, handler, member):
    area = tree["agency"].service_areas.create(name="Licensing")
    phone = make(tree, handler, channel=Channel.PHONE, received=datetime.date(2026, 1, 2), service_area=area)
    letter = make(tree, handler, channel=Channel.LETTER, received=datetime.date(2026, 1, 12))
    manager = member(Role.COMPLAINTS_MANAGER, tree["dept"])
    dept_case = make(tree, manager, org="dept")
    assert refs(handler, tab="all", channel="phone") == [phone.reference]
    assert refs(handler, tab="all", service_area=str(area.pk)) == [phone.reference]
    assert refs(handler, tab="all", received_from="2026-01-10") == [letter.reference]
    assert refs(handler, tab="all", received_to="2026-01-10") == [phone.reference]
    assert refs(handler, tab="all", stage="2") == []
    assert refs(handler, tab="all", organisation=str(tree["agency"].pk), sort="received") == [
        letter.reference,
        phone.reference,
    ]
    assert dept_case.reference not in refs(handler, tab="all")  # never outside the user's scope
    # Nonsense parameters fall back to the defaults rather than failing.
    assert refs(handler, tab="nonsense", stage="x", received_from="yesterday", sort="?") == []


def test_sorting_by_due_date_or_received_date(tree, handler):
    newer = make(tree, handler, received=datetime.date(2026, 1, 19))
    older = make(tree, handler, received=datetime.date(2026, 1, 5))
    assert refs(handler, tab="all") == [older.reference, newer.reference]
    assert refs(handler, tab="all", sort="received") == [newer.reference, older.reference]
    assert refs(handler, tab="all", sort="oldest") == [older.reference, newer.reference]


def test_search_over_reference_names_and_text(tree, handler):
    licence = make(
        tree,
        handler,
        complainant_name="Alex Smith",
        description="My driving licence renewal was delayed",
        points=[PointInput("Nobody answered the phone")],
    )
    other = make(tree, handler, complainant_name="Jo Bloggs", description="Rude letter about tax")
    assert refs(handler, tab="all", q="licence") == [licence.reference]
    assert refs(handler, tab="all", q="smith licence") == [licence.reference]
    assert refs(handler, tab="all", q="answered") == [licence.reference]
    assert refs(handler, tab="all", q="bloggs") == [other.reference]
    assert refs(handler, tab="all", q=other.reference) == [other.reference]
    assert refs(handler, tab="all", q="smith tax") == []
    assert set(queue.search(Complaint.objects.all(), "")) == {licence, other}


def test_the_queue_page_shows_tags_and_keeps_filters_in_links(client, tree, handler):
    late = services.assign(
        actor=handler, complaint=make(tree, handler, received=datetime.date(2026, 1, 5)), user=handler, stage=1
    )
    client.force_login(handler)
    response = client.get(reverse("staff_complaints:queue"))
    page = response.content.decode()
    assert page_refs(response) == [late.reference] and "Overdue" in page
    response = client.get(reverse("staff_complaints:queue"), {"tab": "all", "channel": "email", "q": "wrong"})
    page = response.content.decode()
    assert 'value="wrong"' in page and "channel=email" in page and 'aria-current="page"' in page


def test_the_queue_paginates_at_50(client, tree, handler):
    for _ in range(51):
        make(tree, handler)
    client.force_login(handler)
    first = client.get(reverse("staff_complaints:queue"), {"tab": "all"})
    assert len(page_refs(first)) == 50 and "51 complaints" in first.content.decode()
    second = client.get(reverse("staff_complaints:queue"), {"tab": "all", "page": "2"})
    assert len(page_refs(second)) == 1


@pytest.mark.parametrize("tab", ["all", "due_soon", "mine", "team"])
def test_a_page_of_the_queue_takes_a_fixed_number_of_queries(
    client, tree, handler, member, django_assert_num_queries, tab
):
    other = member(Role.COMPLAINT_HANDLER, tree["agency"], username="other")
    area = tree["agency"].service_areas.create(name="Licensing")

    def add(n):
        for i in range(n):
            c = make(tree, handler, received=datetime.date(2026, 1, 19 - i % 14), service_area=area)
            services.assign(actor=handler, complaint=c, user=handler if i % 2 else other, stage=1)

    def count_queries():
        client.force_login(handler)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("staff_complaints:queue"), {"tab": tab, "q": "went"}).status_code == 200
        return len(captured)

    add(5)
    few = count_queries()
    add(55)
    with django_assert_num_queries(few):
        client.get(reverse("staff_complaints:queue"), {"tab": tab, "q": "went"})


def test_on_postgresql_search_uses_the_gin_index(tree, handler):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("The GIN index exists on PostgreSQL only")
    make(tree, handler, description="licence")
    qs = queue.search(Complaint.objects.all(), "licence")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "complaint_search_text_gin" in plan


def test_on_postgresql_sessions_have_memory_for_a_common_search_terms_bitmap(db):
    """At 4 MB (PostgreSQL's default) a search for a common phrase over 100,000 complaints went lossy and took 14.6 s
    instead of 0.24 s (docs/performance.md); Candour's connections ask for 16 MB."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("work_mem is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_bytes(current_setting('work_mem'))")
        assert cursor.fetchone()[0] >= 16 * 1024 * 1024
