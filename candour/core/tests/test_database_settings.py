"""How Candour talks to PostgreSQL: parameters bound by the server, and every query's conversion remembered.

Both were chosen by measurement (docs/performance.md): together about a fifth of a web worker's CPU per complaint
received through the public API.
"""

import pytest
from django.db import connection

from candour.complaints import services
from candour.complaints.models import Channel, Complaint

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connection settings"),
]


def test_parameters_travel_apart_from_the_sql():
    with connection.cursor() as cursor:
        assert type(cursor.cursor).__name__ == "ServerBindingCursor"
        # A value that would break SQL spliced in as text arrives intact as a parameter.
        cursor.execute("SELECT %s::text", ["it's $1 %s"])
        assert cursor.fetchone() == ("it's $1 %s",)


def test_a_complaints_insert_is_converted_once_not_on_every_intake(tree, monkeypatch):
    import psycopg._queries

    columns = len(Complaint._meta.concrete_fields)
    assert columns <= psycopg._queries.MAX_CACHED_STATEMENT_PARAMS, (
        f"A complaint's INSERT has {columns} parameters, more than psycopg remembers: raise the limit in settings."
    )
    uncached = []
    original = psycopg._queries._query2pg_nocache
    monkeypatch.setattr(
        psycopg._queries, "_query2pg_nocache", lambda *args: uncached.append(args[0][:40]) or original(*args)
    )
    for n in range(2):
        services.create_complaint(
            actor=None,
            organisation=tree["agency"],
            channel=Channel.ONLINE,
            description=f"Complaint {n}",
            complainant_name="Sam Person",
            complainant_email="sam@example.com",
        )
    assert Complaint.objects.count() == 2
    assert uncached == []
