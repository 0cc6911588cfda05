"""The benchmark suite: `python -m bench.run` (or `make bench`).

Each benchmark times Candour's own code path and, in the same run, the same work done by hand-written SQL,
and prints median, p95, the ratio and the targets from issue 10 with PASS/FAIL. Results are appended to
docs/performance.md as a dated section with the machine, the data size and EXPLAIN (ANALYZE, BUFFERS) plans.

Adding a benchmark is one function decorated with `@benchmark(...)` returning a `Result`; a benchmark whose
feature has not landed yet returns `not_built(...)`.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# ---- results ---------------------------------------------------------------------------------------


def summarise(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"median": statistics.median(ordered), "p95": p95, "n": len(ordered)}


@dataclass
class Check:
    label: str
    passed: bool | None  # None: not measured

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: "n/a"}[self.passed]


@dataclass
class Result:
    name: str
    lines: list[str] = field(default_factory=list)  # figures, human-readable
    checks: list[Check] = field(default_factory=list)
    plans: dict[str, str] = field(default_factory=dict)
    built: bool = True


def not_built(name: str, what: str, targets: list[str]) -> Result:
    return Result(name, [f"not yet built ({what})"], [Check(t, None) for t in targets], built=False)


BENCHMARKS: list[tuple[str, Callable]] = []


def benchmark(name: str):
    def register(fn):
        BENCHMARKS.append((name, fn))
        return fn

    return register


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(fn, samples: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn(0)
    times = []
    for i in range(samples):
        started = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - started)
    return times


def read_path(name: str, candour: list[float], sql: list[float], target_p95: float) -> Result:
    c, s = summarise(candour), summarise(sql)
    ratio = c["median"] / s["median"] if s["median"] else float("inf")
    result = Result(name)
    result.lines = [
        f"Candour  median {ms(c['median'])}, p95 {ms(c['p95'])} (n={c['n']})",
        f"SQL      median {ms(s['median'])}, p95 {ms(s['p95'])}",
        f"ratio    {ratio:.2f}x (Candour median / SQL median)",
    ]
    result.checks = [
        Check(f"p95 <= {target_p95 * 1000:.0f} ms (got {ms(c['p95'])})", c["p95"] <= target_p95),
        Check(f"within 2x of hand-written SQL (got {ratio:.2f}x)", ratio <= 2.0),
    ]
    return result


# ---- the context every benchmark gets ----------------------------------------------------------------


@dataclass
class Context:
    args: argparse.Namespace
    database_url: str
    orgs: list  # bodies, busiest first
    managers: list  # a complaints manager per organisation, same order
    rng: random.Random


def _explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


# ---- intake ------------------------------------------------------------------------------------------

INTAKE_TEXT = "I applied in March and have heard nothing. I phoned the office four times and nobody called back."


def _intake_payload(i: int) -> dict:
    return {
        "description": f"{INTAKE_TEXT} (benchmark {i})",
        "summary": "Delay in processing my application",
        "outcome_sought": "A decision within two weeks.",
        "complainant_name": "Test Complainant",
        "complainant_email": f"bench{i}@example.com",
    }


@benchmark("Public intake, in-process (services.create_complaint vs direct SQL inserts)")
def bench_intake(ctx: Context) -> Result:
    from django.db import connection, transaction

    from candour.audit.models import AuditEvent
    from candour.complaints import services
    from candour.complaints.models import Complaint, PointOfComplaint, ReferenceCounter, StageTransition
    from candour.organisations.selectors import calendar_for, intake_target

    n = ctx.args.intake
    orgs = ctx.orgs[:5]
    run = uuid.uuid4().hex[:8]

    def candour(i):
        # As the public API does: the organisation and its calendar from intake's per-process memory.
        organisation, calendar = intake_target(orgs[i % len(orgs)].slug)
        payload = _intake_payload(i)
        services.create_complaint(
            actor=None, organisation=organisation, channel="online", calendar=calendar,
            points=[services.PointInput("The time taken", "A decision")],
            submission_key=f"bench-{run}-{i}", **payload,
        )  # fmt: skip

    calendars = {o.id: calendar_for(o) for o in orgs}
    t = {m: m._meta.db_table for m in (Complaint, PointOfComplaint, StageTransition, ReferenceCounter, AuditEvent)}

    def direct(i):
        # The same rows a create_complaint writes, by hand: counter, complaint, point, transition, audit event.
        from django.utils import timezone

        org = orgs[i % len(orgs)]
        today = timezone.localdate()
        cal = calendars[org.id]
        payload = _intake_payload(i)
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cur:
            counter = (
                f"INSERT INTO {t[ReferenceCounter]} (organisation_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608
                f"ON CONFLICT (organisation_id, year) DO UPDATE SET last = {t[ReferenceCounter]}.last + 1 "
                "RETURNING last"
            )
            cur.execute(counter, [org.id, today.year])
            reference = f"{org.slug.upper()}-{today.year}-{cur.fetchone()[0]:06d}"
            s1 = cal.add_working_days(today, org.stage1_response_days)
            search = "\n".join([reference, payload["complainant_name"], payload["summary"], payload["description"],
                                payload["outcome_sought"], "The time taken"])  # fmt: skip
            cur.execute(
                f"""INSERT INTO {t[Complaint]} (reference, organisation_id, channel, language, received_on, created_at,
                submission_key, triage, other_route, signposting, is_anonymous, complainant_name, complainant_email,
                complainant_phone, complainant_address, preferred_contact, on_behalf_of_someone, person_affected_name,
                representative_relationship, consent_confirmed, reasonable_adjustments, contact_opt_out, summary,
                description, events_more_than_12_months_ago, late_reason, late_decision, outcome_sought, mp_name,
                status, stage, closure_reason, acknowledgement_due, stage1_started_on, stage1_due, stage1_extended,
                stage2_extended, response_due, clock_stopped, outcome, escalated_to_stage2, access_token_hash,
                search_text)
                VALUES (%s, %s, 'online', 'en', %s, %s, %s, 'complaint', '', '', false, %s, %s, '', '', 'email', false,
                '', '', false, '', false, %s, %s, false, '', '', %s, '', 'received', 1, '', %s, %s, %s, false, false,
                %s, false, '', false, '', %s) RETURNING id""",  # noqa: S608
                [reference, org.id, today, now, f"bench-sql-{run}-{i}", payload["complainant_name"],
                 payload["complainant_email"], payload["summary"], payload["description"], payload["outcome_sought"],
                 cal.add_working_days(today, org.acknowledge_days), today, s1, s1, search],
            )  # fmt: skip
            cid = cur.fetchone()[0]
            cur.execute(
                f"INSERT INTO {t[PointOfComplaint]} (complaint_id, number, summary, outcome_sought, outcome, "  # noqa: S608
                "should_have_happened, what_happened, finding) "
                "VALUES (%s, 1, 'The time taken', 'A decision', '', '', '', '')",
                [cid],
            )
            cur.execute(
                f"INSERT INTO {t[StageTransition]} (complaint_id, transition, from_status, to_status, "  # noqa: S608
                "actor_label, occurred_at, reason) "
                "VALUES (%s, 'receive', 'received', 'received', 'public', %s, 'Received by online form')",
                [cid, now],
            )
            cur.execute(
                f"INSERT INTO {t[AuditEvent]} (occurred_at, actor_label, organisation_id, object_type, "  # noqa: S608
                "object_id, verb, summary, changes, request_id) "
                "VALUES (%s, 'public', %s, 'complaints.complaint', %s, 'created', %s, '{}', '')",
                [now, org.id, str(cid), f"Complaint {reference} received"],
            )

    candour_times = timed(candour, n, warmup=0)
    sql_times = timed(direct, n, warmup=0)
    c_rate, s_rate = n / sum(candour_times), n / sum(sql_times)
    c, s = summarise(candour_times), summarise(sql_times)
    threads = ctx.args.intake_threads
    cc_times, cc_elapsed = concurrently(candour, n, threads, offset=n)
    sc_times, sc_elapsed = concurrently(direct, n, threads, offset=n)
    cc_rate, sc_rate = n / cc_elapsed, n / sc_elapsed
    cc, sc = summarise(cc_times), summarise(sc_times)
    factor = sc_rate / cc_rate
    result = Result("intake")
    result.lines = [
        f"one at a time ({n} each way; every complaint its own transaction and commit):",
        f"  Candour  {c_rate:,.0f} complaints/s; per complaint median {ms(c['median'])}, p95 {ms(c['p95'])}",
        f"  SQL      {s_rate:,.0f} complaints/s; per complaint median {ms(s['median'])}, p95 {ms(s['p95'])}",
        f"  ratio    direct SQL is {s_rate / c_rate:.2f}x faster",
        f"{threads} concurrent callers ({n} each way), as web workers would be:",
        f"  Candour  {cc_rate:,.0f} complaints/s; per complaint median {ms(cc['median'])}, p95 {ms(cc['p95'])}",
        f"  SQL      {sc_rate:,.0f} complaints/s; per complaint median {ms(sc['median'])}, p95 {ms(sc['p95'])}",
        f"  ratio    direct SQL is {factor:.2f}x faster",
    ]
    result.checks = [
        Check(f">= 300 complaints/s with {threads} callers (got {cc_rate:,.0f}/s)", cc_rate >= 300),
        Check(f"within 5x of direct inserts with {threads} callers (got {factor:.2f}x)", factor <= 5),
    ]
    return result


def concurrently(fn, n: int, threads: int, offset: int = 0) -> tuple[list[float], float]:
    """Run fn(offset + i) for i < n on `threads` threads (each with its own database connection)."""
    import concurrent.futures

    from django.db import connection

    latencies: list[float] = []

    def one(i):
        started = time.perf_counter()
        fn(offset + i)
        latencies.append(time.perf_counter() - started)

    def worker(indexes):
        try:
            for i in indexes:
                one(i)
        finally:
            connection.close()

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(worker, [range(t, n, threads) for t in range(threads)]))
    return latencies, time.perf_counter() - started


def _cpu_line(n: int, workers: float, database: float, client: float) -> str:
    total = workers + database + client
    if not total:
        return "CPU per complaint: not measured"
    cores = os.cpu_count() or 1
    return (f"CPU per complaint: web workers {1000 * workers / n:.2f} ms, PostgreSQL {1000 * database / n:.2f} ms, "
            f"this client {1000 * client / n:.2f} ms; {1000 * total / n:.2f} ms in all, so {cores} cores busy "
            f"throughout would take {cores * n / total:,.0f}/s")  # fmt: skip


@benchmark("Public intake over HTTP (gunicorn, 2 workers, loopback) and web worker memory")
def bench_http_intake(ctx: Context) -> Result:
    import concurrent.futures
    import http.client

    from bench import server

    n = ctx.args.intake
    slugs = [o.slug for o in ctx.orgs[:5]]
    run = uuid.uuid4().hex[:8]
    threads = ctx.args.gunicorn_threads
    with server.gunicorn(
        ctx.database_url, workers=2, threads=threads, log_path=ROOT / "var" / "bench-gunicorn.log"
    ) as (base, pid):

        # The client shares the two cores with the server: bodies are made before the clock starts and sent with
        # http.client (urllib's opener machinery cost ~0.3 ms of CPU a request, ~5 % of the whole).
        host, port = base.removeprefix("http://").split(":")
        bodies = [json.dumps(_intake_payload(i)).encode() for i in range(n)]

        def post(i):
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            try:
                conn.request(
                    "POST",
                    f"/api/v1/organisations/{slugs[i % len(slugs)]}/complaints",
                    body=bodies[i],
                    headers={"Content-Type": "application/json", "Idempotency-Key": f"bench-http-{run}-{i}"},
                )
                response = conn.getresponse()
                response.read()
                return response.status
            finally:
                conn.close()

        latencies = []

        def one(i):
            started = time.perf_counter()
            status = post(i)
            latencies.append(time.perf_counter() - started)
            return status

        # Warm each worker (connections, caches) before the clock starts; those complaints are not counted.
        warm = [json.dumps(_intake_payload(n + i)).encode() for i in range(20)]
        bodies.extend(warm)
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(post, range(n, n + len(warm))))
        # CPU by process while the clock runs: what each submission costs, whatever pace the machine runs at.
        workers = server.worker_pids(pid)
        backends = server.backend_pids(ctx.database_url)
        cpu_before = {p: server.cpu_seconds(p) for p in workers + backends}
        client_before = time.process_time()
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(one, range(n)))
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_before
        used = {p: server.cpu_seconds(p) - cpu_before[p] for p in cpu_before}
        memory = server.workers_rss(pid)
    peak = max((m["peak"] for m in memory.values()), default=0.0)
    rss_line = "web worker RSS " + ", ".join(f"{m['rss']:.0f} MB (peak {m['peak']:.0f} MB)" for m in memory.values())
    rss_check = Check(f"web worker RSS < 250 MB (peak {peak:.0f} MB)", peak < 250)
    lat = summarise(latencies)
    rate = n / elapsed
    ok = sum(1 for s in statuses if s == 201)
    result = Result("http intake")
    result.lines = [
        f"Candour  {rate:,.0f} complaints/s over HTTP with 8 concurrent clients; latency median {ms(lat['median'])},"
        f" p95 {ms(lat['p95'])}; {ok}/{n} answered 201",
        _cpu_line(n, sum(used[p] for p in workers), sum(used[p] for p in backends), client_cpu),
        rss_line,
    ]
    result.checks = [Check(f">= 300 complaints/s over HTTP (got {rate:,.0f}/s)", rate >= 300), rss_check]
    return result


# ---- the staff work queue and search -------------------------------------------------------------------


def _queue_module():
    if importlib.util.find_spec("candour.complaints.queue") is None:
        return None
    from candour.complaints import queue

    return queue if hasattr(queue, "filter_queue") else None


QUEUE_SQL = """
SELECT c.*, o.name, sa.name, u1.username, u2.username
FROM complaints_complaint c
JOIN organisations_organisation o ON o.id = c.organisation_id
LEFT JOIN organisations_servicearea sa ON sa.id = c.service_area_id
LEFT JOIN accounts_user u1 ON u1.id = c.stage1_handler_id
LEFT JOIN accounts_user u2 ON u2.id = c.stage2_handler_id
WHERE c.organisation_id = ANY(%s) AND c.status = ANY(%s)
ORDER BY c.response_due ASC NULLS LAST, c.received_on, c.id
LIMIT 50
"""


# The user's reach: the paths of the organisations where they hold a role that may view cases (a role reaches
# its organisation and everything beneath it; the benchmark's managers are members of bodies).
SCOPE_SQL = """
SELECT DISTINCT o.path FROM organisations_membership m
JOIN organisations_organisation o ON o.id = m.organisation_id
WHERE m.user_id = %s AND m.role = ANY(%s)
"""


@benchmark("Staff work queue: an organisation's open complaints by response date, a page of 50")
def bench_queue(ctx: Context) -> Result:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import F

    from candour.complaints import selectors
    from candour.complaints.states import OPEN_STATES
    from candour.organisations.roles import ROLE_SPECS, Cap
    from candour.permissions import forget_scope, organisation_ids_with

    queue = _queue_module()
    User = get_user_model()
    managers = ctx.managers
    open_states = sorted(OPEN_STATES)

    users = [User.objects.get(pk=m.pk) for m in managers]

    def candour(i):
        user = users[i % len(users)]
        forget_scope(user)  # as in a new request: the user's scope is worked out again
        qs = selectors.complaints_visible_to(user)
        if queue is not None:
            qs = queue.for_listing(queue.filter_queue(qs, {"tab": "all", "status": "open", "sort": "due"}, user))
        else:
            qs = qs.filter(status__in=open_states).select_related(
                "organisation", "service_area", "stage1_handler", "stage2_handler"
            ).order_by(F("response_due").asc(nulls_last=True), "received_on", "id")
        rows = list(qs[:50])
        assert rows, "the work queue is empty"

    scopes = {}
    for manager in managers:
        user = User.objects.get(pk=manager.pk)
        scopes[manager.pk] = sorted(organisation_ids_with(user, Cap.VIEW_CASES))

    viewing_roles = sorted(role for role, spec in ROLE_SPECS.items() if Cap.VIEW_CASES in spec.capabilities)

    def sql(i):
        # The same work as a request: the user's memberships, the organisations they reach, then the page.
        with connection.cursor() as cur:
            cur.execute(SCOPE_SQL, [managers[i % len(managers)].pk, viewing_roles])
            prefixes = [path + "%" for (path,) in cur.fetchall()]
            cur.execute("SELECT id FROM organisations_organisation WHERE path LIKE ANY(%s)", [prefixes])
            ids = [pk for (pk,) in cur.fetchall()]
            cur.execute(QUEUE_SQL, [ids, open_states])
            assert cur.fetchall()

    def sql_scope_known(i):
        with connection.cursor() as cur:
            cur.execute(QUEUE_SQL, [scopes[managers[i % len(managers)].pk], open_states])
            assert cur.fetchall()

    result = read_path("work queue", timed(candour, ctx.args.samples), timed(sql, ctx.args.samples), 0.100)
    known = summarise(timed(sql_scope_known, ctx.args.samples))
    result.lines.append(f"SQL with the scope already known (the page query alone): median {ms(known['median'])}, "
                        f"p95 {ms(known['p95'])}")  # fmt: skip
    result.lines.append("path: " + ("candour.complaints.queue.filter_queue" if queue else "ORM equivalent (queue.py "
                                    "not on main yet): complaints_visible_to + status filter + order"))  # fmt: skip
    result.plans["work queue (hand-written SQL, busiest organisation)"] = _explain(
        QUEUE_SQL, [scopes[managers[0].pk], open_states]
    )
    return result


SEARCH_TERMS = ["refund", "large print", "appointment cancelled", "Gallagher", "documents lost", "rent"]
SEARCH_SQL = """
SELECT c.id, c.reference, c.summary, c.status, c.received_on
FROM complaints_complaint c
WHERE c.organisation_id = ANY(%s)
  AND (to_tsvector('english', COALESCE(c.search_text, '')) @@ plainto_tsquery('english', %s) OR c.reference = upper(%s))
ORDER BY c.received_on DESC, c.id DESC
LIMIT 50
"""


@benchmark("Full-text search over search_text within the user's organisations, first 50")
def bench_search(ctx: Context) -> Result:
    from django.contrib.auth import get_user_model
    from django.contrib.postgres.search import SearchQuery, SearchVector
    from django.db import connection

    from candour.complaints import selectors
    from candour.organisations.roles import Cap
    from candour.permissions import forget_scope, organisation_ids_with

    queue = _queue_module()
    User = get_user_model()
    managers = ctx.managers

    users = [User.objects.get(pk=m.pk) for m in managers]

    def candour(i):
        user = users[i % len(users)]
        forget_scope(user)
        qs = selectors.complaints_visible_to(user)
        term = SEARCH_TERMS[i % len(SEARCH_TERMS)]
        if queue is not None:
            qs = queue.search(qs, term)
        else:
            qs = qs.annotate(v=SearchVector("search_text", config="english")).filter(
                v=SearchQuery(term, config="english", search_type="plain")
            )
        list(qs.order_by("-received_on", "-id").values_list("id", "reference", "summary", "status", "received_on")[:50])

    scopes = {m.pk: sorted(organisation_ids_with(User.objects.get(pk=m.pk), Cap.VIEW_CASES)) for m in managers}

    def sql(i):
        with connection.cursor() as cur:
            term = SEARCH_TERMS[i % len(SEARCH_TERMS)]
            cur.execute(SEARCH_SQL, [scopes[managers[i % len(managers)].pk], term, term])
            cur.fetchall()

    samples = max(5, ctx.args.samples // 4)
    result = read_path("search", timed(candour, samples, warmup=1), timed(sql, samples, warmup=1), 0.300)
    result.lines.append("path: " + ("candour.complaints.queue.search" if queue else "ORM SearchVector/SearchQuery "
                                    "(queue.py not on main yet)"))  # fmt: skip
    result.plans["search 'refund' (hand-written SQL, busiest organisation)"] = _explain(
        SEARCH_SQL, [scopes[managers[0].pk], "refund", "refund"]
    )
    return result


# ---- governance and reporting figures ------------------------------------------------------------------


def _latest_financial_year(today: datetime.date) -> int:
    """The last complete financial year (1 April to 31 March) before `today`."""
    return (today.year if today.month >= 4 else today.year - 1) - 1


def _stage_sql(n: int) -> str:
    r, due = f"stage{n}_responded_on", f"stage{n}_due"
    overdue = (f"({r} IS NULL AND {due} < %(today)s AND stage = {n} AND status = ANY(%(awaiting)s) "
               "AND NOT clock_stopped)")  # fmt: skip
    return (
        f"count(*) FILTER (WHERE stage{n}_started_on IS NOT NULL) AS stage{n}_started, "
        f"count(*) FILTER (WHERE {r} IS NOT NULL) AS stage{n}_responded, "
        f"count(*) FILTER (WHERE {r} <= {due}) AS stage{n}_on_time, "
        f"count(*) FILTER (WHERE {r} > {due} OR {overdue}) AS stage{n}_late, "
        f"count(*) FILTER (WHERE {overdue}) AS stage{n}_overdue, "
        f"count(*) FILTER (WHERE stage{n}_extended) AS stage{n}_extended, "
        f"avg(stage{n}_working_days) AS stage{n}_avg_days"
    )


# The dashboard's per-cohort counts, by hand: one SELECT of conditional aggregates.
DASHBOARD_AGGREGATES = (
    "count(*) AS received, "
    "count(*) FILTER (WHERE acknowledged_on <= acknowledgement_due) AS ack_on_time, "
    "count(*) FILTER (WHERE acknowledged_on > acknowledgement_due OR (acknowledged_on IS NULL "
    "AND acknowledgement_due < %(today)s AND status = ANY(%(open)s))) AS ack_late, "
    "count(*) FILTER (WHERE escalated_to_stage2) AS escalated, "
    "count(*) FILTER (WHERE status = ANY(%(open)s)) AS open, "
    "count(*) FILTER (WHERE status = ANY(%(awaiting)s) AND response_due < %(today)s AND NOT clock_stopped) AS overdue, "
    + f"{_stage_sql(1)}, {_stage_sql(2)}"
)
COHORT = "organisation_id = ANY(%(ids)s) AND received_on BETWEEN %(start)s AND %(end)s"
COHORT_C = "c.organisation_id = ANY(%(ids)s) AND c.received_on BETWEEN %(start)s AND %(end)s"
DASHBOARD_SQL = f"SELECT {DASHBOARD_AGGREGATES} FROM complaints_complaint WHERE {COHORT}"  # noqa: S608
DASHBOARD_SIDE_SQL = {
    "by_channel": f"SELECT channel, count(*) FROM complaints_complaint WHERE {COHORT} GROUP BY channel",  # noqa: S608
    "by_service_area": "SELECT c.service_area_id, sa.name, count(*) FROM complaints_complaint c "  # noqa: S608
    f"LEFT JOIN organisations_servicearea sa ON sa.id = c.service_area_id WHERE {COHORT_C} "
    "GROUP BY 1, 2",
    "by_month": "SELECT date_trunc('month', received_on)::date, count(*), "  # noqa: S608
    "count(*) FILTER (WHERE stage1_responded_on <= stage1_due), "
    "count(*) FILTER (WHERE stage1_responded_on > stage1_due OR (stage1_responded_on IS NULL AND stage1_due < "
    "%(today)s AND stage = 1 AND status = ANY(%(awaiting)s) AND NOT clock_stopped)) "
    f"FROM complaints_complaint WHERE {COHORT} GROUP BY 1",
    "outcomes": "SELECT r.stage, r.outcome, count(*) FROM complaints_response r "  # noqa: S608
    "JOIN complaints_complaint c ON c.id = r.complaint_id "
    f"WHERE {COHORT_C} AND r.status = 'issued' AND r.outcome <> '' GROUP BY 1, 2",
    "ombudsman": "SELECT o.decision, o.compliance, count(*) FROM complaints_ombudsmanreferral o "  # noqa: S608
    f"JOIN complaints_complaint c ON c.id = o.complaint_id WHERE {COHORT_C} GROUP BY 1, 2",
    "remedies": "SELECT m.type, count(*), count(DISTINCT m.complaint_id), sum(m.amount) FROM complaints_remedy m "  # noqa: S608
    f"JOIN complaints_complaint c ON c.id = m.complaint_id WHERE {COHORT_C} GROUP BY 1",
}
PARENT_SQL = (
    f"SELECT organisation_id, {DASHBOARD_AGGREGATES} FROM complaints_complaint WHERE {COHORT} "  # noqa: S608
    "GROUP BY organisation_id"
)
PARENT_MONTHLY_SQL = (
    "SELECT organisation_id, date_trunc('month', received_on)::date, count(*) FROM complaints_complaint "  # noqa: S608
    f"WHERE {COHORT} GROUP BY 1, 2"
)


def _params(ids, start, end, today) -> dict:
    from candour.complaints.states import AWAITING_RESPONSE, OPEN_STATES

    return {"ids": list(ids), "start": start, "end": end, "today": today, "open": sorted(OPEN_STATES),
            "awaiting": sorted(AWAITING_RESPONSE)}  # fmt: skip


def _fetch_dicts(cur, sql, params) -> list[dict]:
    cur.execute(sql, params)
    names = [c.name for c in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _days(value):
    from decimal import Decimal

    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def _dashboard_sql(ids, start, end, today) -> dict:
    """The dashboard's figures by hand-written SQL: the scalar aggregates and the breakdowns."""
    from django.db import connection

    params = _params(ids, start, end, today)
    with connection.cursor() as cur:
        figures = _fetch_dicts(cur, DASHBOARD_SQL, params)[0]
        for key, sql in DASHBOARD_SIDE_SQL.items():
            cur.execute(sql, params)
            figures[key] = cur.fetchall()
    return figures


HEADLINE = ["received", "ack_on_time", "ack_late", "escalated", "open", "overdue"] + [
    f"stage{n}_{k}" for n in (1, 2) for k in ("started", "responded", "on_time", "late", "overdue", "extended")
]


def _compare_dashboard(candour: dict, sql: dict) -> list[str]:
    """Differences between the dashboard's figures and the hand-written SQL's (empty when they agree)."""
    diffs = [k for k in HEADLINE if candour[k] != sql[k]]
    diffs += [f"stage{n}_avg_days" for n in (1, 2) if candour[f"stage{n}_avg_days"] != _days(sql[f"stage{n}_avg_days"])]
    outcomes = {(stage, row["outcome"]): row["count"] for stage, rows in candour["outcomes"].items() for row in rows}
    if {k: v for k, v in outcomes.items() if v} != {(s, o): n for s, o, n in sql["outcomes"]}:
        diffs.append("outcomes")
    if {r["channel"]: r["count"] for r in candour["by_channel"]} != dict(sql["by_channel"]):
        diffs.append("by_channel")
    if sum(m["received"] for m in candour["by_month"]) != sum(n for _m, n, _o, _l in sql["by_month"]):
        diffs.append("by_month")
    if candour["ombudsman_referred"] != sum(n for _d, _c, n in sql["ombudsman"]):
        diffs.append("ombudsman")
    return diffs


def _agreement(diffs: list[str]) -> Check:
    return Check("same figures as hand-written SQL" + (f" (differ: {', '.join(diffs)})" if diffs else ""), not diffs)


@benchmark("Organisation dashboard: a financial year's figures (governance.selectors.dashboard_figures)")
def bench_dashboard(ctx: Context) -> Result:
    from django.utils import timezone

    from candour.governance.selectors import dashboard_figures

    today = timezone.localdate()
    year = _latest_financial_year(today)
    start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    orgs = ctx.orgs[:5]

    def candour(i):
        return dashboard_figures([orgs[i % len(orgs)].pk], start, end, today)

    def sql(i):
        return _dashboard_sql([orgs[i % len(orgs)].pk], start, end, today)

    # Comparing every organisation's figures first also warms both paths up.
    figures = candour(0)
    diffs = [f"{o.slug}: {d}" for i, o in enumerate(orgs) for d in _compare_dashboard(figures if i == 0 else candour(i),
                                                                                      sql(i))]  # fmt: skip
    samples = ctx.args.samples
    result = read_path("dashboard", timed(candour, samples, warmup=0), timed(sql, samples, warmup=0), 1.0)
    result.lines.append(f"period {start} to {end}; the 5 busiest organisations in turn; busiest: {orgs[0].slug}, "
                        f"{figures['received']:,} complaints received, stage 1 on time {figures['stage1_on_time']:,}, "
                        f"average {figures['stage1_avg_days']} working days")  # fmt: skip
    result.lines.append("SQL: the scalar aggregates, channel, service area, month, outcomes, Ombudsman and remedies "
                        "(not: interaction volumes, review and improvement actions, themes)")  # fmt: skip
    result.checks.append(_agreement(diffs))
    params = _params([orgs[0].pk], start, end, today)
    result.plans[f"dashboard aggregates (hand-written SQL, {orgs[0].slug}, {start} to {end})"] = _explain(
        DASHBOARD_SQL, params
    )
    result.plans[f"dashboard outcomes (hand-written SQL, {orgs[0].slug})"] = _explain(
        DASHBOARD_SIDE_SQL["outcomes"], params
    )
    return result


def _department_bodies(ctx: Context):
    from candour.organisations.models import BODY_KIND_VALUES, Organisation

    department = Organisation.objects.filter(slug__startswith="syn-", parent__isnull=True).order_by("id").first()
    bodies = list(
        Organisation.objects.filter(kind__in=BODY_KIND_VALUES, path__startswith=department.path).order_by("path")
    )
    return department, bodies


@benchmark("Parent-department view: every organisation side by side (governance oversight page's reads)")
def bench_parent(ctx: Context) -> Result:
    from django.db import connection
    from django.utils import timezone

    from candour.governance import selectors

    today = timezone.localdate()
    year = _latest_financial_year(today)
    start, end = datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
    department, bodies = _department_bodies(ctx)
    ids = [b.pk for b in bodies]

    def candour(i):
        # As governance.views._oversight_data does (the user's scope already worked out: every body).
        rows, consolidated, trend = selectors.oversight_figures(bodies, start, end, today)
        thresholds = selectors.thresholds_for(department)
        for row in rows:
            row["shortfalls"] = selectors.shortfalls(row, thresholds)
        return rows, consolidated, trend

    def sql(i):
        params = _params(ids, start, end, today)
        with connection.cursor() as cur:
            rows = _fetch_dicts(cur, PARENT_SQL, params)
            cur.execute(PARENT_MONTHLY_SQL, params)
            monthly = cur.fetchall()
        return rows, _dashboard_sql(ids, start, end, today), monthly

    (c_rows, c_consolidated, c_trend), (s_rows, s_consolidated, s_monthly) = candour(0), sql(0)
    diffs = _compare_dashboard(c_consolidated, s_consolidated)
    by_org = {r["organisation_id"]: r for r in s_rows}
    for row in c_rows:
        s = by_org.get(row["organisation"].pk)
        if s is None:
            if row["received"]:
                diffs.append(f"{row['organisation'].slug}: missing")
            continue
        diffs += [f"{row['organisation'].slug}: {k}" for k in HEADLINE if row[k] != s[k]]
        diffs += [f"{row['organisation'].slug}: stage{n}_avg_days" for n in (1, 2)
                  if row[f"stage{n}_avg_days"] != _days(s[f"stage{n}_avg_days"])]  # fmt: skip
    if sum(sum(v) for v in c_trend["series"].values()) != sum(n for _o, _m, n in s_monthly):
        diffs.append("monthly trend")
    samples = ctx.args.samples
    result = read_path("parent view", timed(candour, samples, warmup=0), timed(sql, samples, warmup=0), 2.0)
    result.lines.append(f"{department.slug} and {len(bodies) - 1} bodies beneath it, {start} to {end}: "
                        f"{c_consolidated['received']:,} complaints received")  # fmt: skip
    result.lines.append("path: oversight_figures (organisation_comparison, consolidated dashboard_figures, "
                        "monthly_by_organisation) + thresholds/shortfalls; SQL: per-organisation GROUP BY, the "
                        "consolidated dashboard SQL and the monthly GROUP BY")  # fmt: skip
    result.lines.append("Candour totals its per-organisation counts for the consolidated figures; the SQL counts the "
                        "cohort again, an independent check that the totals agree")  # fmt: skip
    result.checks.append(_agreement(diffs))
    params = _params(ids, start, end, today)
    result.plans["parent view per-organisation aggregates (hand-written SQL)"] = _explain(PARENT_SQL, params)
    outcomes = DASHBOARD_SIDE_SQL["outcomes"]
    result.plans["parent view consolidated outcomes (hand-written SQL)"] = _explain(outcomes, params)
    return result


def _annual_core_sql(n: int) -> str:
    r = f"stage{n}_responded_on"
    s = f"({r} >= %(start)s AND {r} < %(end)s)"
    return (f"count(*) FILTER (WHERE {s}) AS s{n}_responded, count(*) FILTER (WHERE {s} AND {r} <= stage{n}_due) "
            f"AS s{n}_on_time, avg(stage{n}_working_days) FILTER (WHERE {s}) AS s{n}_avg, "
            f"count(*) FILTER (WHERE {s} AND stage{n}_extended) AS s{n}_extended")  # fmt: skip


IN_YEAR = "(received_on >= %(start)s AND received_on < %(end)s)"
ANNUAL_SQL = (
    f"SELECT count(*) FILTER (WHERE {IN_YEAR}) AS received, "  # noqa: S608
    f"count(*) FILTER (WHERE {IN_YEAR} AND acknowledged_on IS NOT NULL) AS acknowledged, "
    f"count(*) FILTER (WHERE {IN_YEAR} AND acknowledged_on <= acknowledgement_due) AS ack_on_time, "
    f"count(*) FILTER (WHERE {IN_YEAR} AND escalated_to_stage2) AS escalated, "
    f"count(*) FILTER (WHERE {IN_YEAR} AND outcome IN ('upheld', 'partly_upheld')) AS upheld, "
    f"{_annual_core_sql(1)}, {_annual_core_sql(2)} "
    "FROM complaints_complaint WHERE organisation_id = ANY(%(ids)s) AND triage <> ALL(%(excluded)s) AND "
    f"({IN_YEAR} OR (stage1_responded_on >= %(start)s AND stage1_responded_on < %(end)s) "
    "OR (stage2_responded_on >= %(start)s AND stage2_responded_on < %(end)s))"
)
ANNUAL_SIDE_SQL = {
    "channels": "SELECT channel, count(*) FROM complaints_complaint WHERE organisation_id = ANY(%(ids)s) "  # noqa: S608
    f"AND triage <> ALL(%(excluded)s) AND {IN_YEAR} GROUP BY 1",
    "outcomes": "SELECT r.stage, r.outcome, count(*) FROM complaints_response r JOIN complaints_complaint c "
    "ON c.id = r.complaint_id WHERE c.organisation_id = ANY(%(ids)s) AND r.status = 'issued' "
    "AND r.issued_on >= %(start)s AND r.issued_on < %(end)s AND r.outcome <> '' GROUP BY 1, 2",
    "remedies": "SELECT m.type, count(*), sum(m.amount) FROM complaints_remedy m JOIN complaints_complaint c "
    "ON c.id = m.complaint_id WHERE c.organisation_id = ANY(%(ids)s) AND c.received_on >= %(start)s "
    "AND c.received_on < %(end)s GROUP BY 1",
    "referrals": "SELECT o.decision, count(*) FROM complaints_ombudsmanreferral o JOIN complaints_complaint c "
    "ON c.id = o.complaint_id WHERE c.organisation_id = ANY(%(ids)s) AND o.mp_referral_date >= %(start)s "
    "AND o.mp_referral_date < %(end)s GROUP BY 1",
}
ANNUAL_EXTRA_SQL = {
    "by_service_area": "SELECT sa.name, count(*) FROM complaints_complaint c LEFT JOIN organisations_servicearea sa "
    "ON sa.id = c.service_area_id WHERE c.organisation_id = ANY(%(ids)s) AND c.triage <> ALL(%(excluded)s) "
    "AND c.received_on >= %(start)s AND c.received_on < %(end)s GROUP BY 1",
    "by_organisation": f"SELECT organisation_id, count(*) FILTER (WHERE {IN_YEAR}), "  # noqa: S608
    "count(*) FILTER (WHERE stage1_responded_on >= %(start)s AND stage1_responded_on < %(end)s), "
    "count(*) FILTER (WHERE stage1_responded_on >= %(start)s AND stage1_responded_on < %(end)s "
    f"AND stage1_responded_on <= stage1_due), count(*) FILTER (WHERE {IN_YEAR} AND escalated_to_stage2) "
    "FROM complaints_complaint WHERE organisation_id = ANY(%(ids)s) AND triage <> ALL(%(excluded)s) AND "
    f"({IN_YEAR} OR (stage1_responded_on >= %(start)s AND stage1_responded_on < %(end)s)) GROUP BY 1",
}


def _annual_sql(ids, year: int) -> dict:
    from django.db import connection

    from candour.reporting.selectors import EXCLUDED_TRIAGE, year_bounds

    out = {}
    with connection.cursor() as cur:
        for y in (year, year - 1):
            start, end = year_bounds(y)
            params = {"ids": list(ids), "start": start, "end": end, "excluded": list(EXCLUDED_TRIAGE)}
            figures = _fetch_dicts(cur, ANNUAL_SQL, params)[0]
            for key, sql in ANNUAL_SIDE_SQL.items():
                cur.execute(sql, params)
                figures[key] = cur.fetchall()
            if y == year:
                for key, sql in ANNUAL_EXTRA_SQL.items():
                    cur.execute(sql, params)
                    figures[key] = cur.fetchall()
            out[y] = figures
    return out


def _compare_annual(candour: dict, sql: dict) -> list[str]:
    diffs = []
    for label, c, s in (("year", candour, sql[candour["year"]]), ("previous", candour["previous"],
                                                                   sql[candour["year"] - 1])):  # fmt: skip
        pairs = {"received": s["received"], "acknowledged": s["acknowledged"], "ack_on_time": s["ack_on_time"],
                 "escalated": s["escalated"], "upheld": s["upheld"]}  # fmt: skip
        got = {"received": c["received"], "acknowledged": c["acknowledgement"]["acknowledged"],
               "ack_on_time": c["acknowledgement"]["on_time"], "escalated": c["escalated_to_stage2"],
               "upheld": c["upheld_or_partly"]}  # fmt: skip
        diffs += [f"{label}: {k}" for k in pairs if pairs[k] != got[k]]
        for n in (1, 2):
            st = c[f"stage{n}"]
            avg = s[f"s{n}_avg"]
            if (st["responded"], st["on_time"], st["extended"]) != (s[f"s{n}_responded"], s[f"s{n}_on_time"],
                                                                     s[f"s{n}_extended"]):  # fmt: skip
                diffs.append(f"{label}: stage {n} counts")
            if st["average_days"] != (None if avg is None else round(float(avg), 1)):
                diffs.append(f"{label}: stage {n} average days")
        if {(o["stage"], o["outcome"]): o["count"] for o in c["outcomes"] if o["count"]} != {
            (st, o): n for st, o, n in s["outcomes"]
        }:
            diffs.append(f"{label}: outcomes")
        if {r["key"]: r["count"] for r in c["by_channel"] if r["count"]} != dict(s["channels"]):
            diffs.append(f"{label}: channels")
        if c["ombudsman"]["referred"] != sum(n for _d, n in s["referrals"]):
            diffs.append(f"{label}: Ombudsman referrals")
    return diffs


# Peak memory from /proc/self/status (VmHWM, this process image's own high-water mark): getrusage's ru_maxrss
# survives exec on Linux, so a child started from the benchmark reported the benchmark's own peak instead.
REPORT_MEMORY_SCRIPT = """
import datetime, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "candour.settings")
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
import django
django.setup()
from candour.organisations.models import Organisation
from candour.reporting import render, selectors
before = hwm()
department = Organisation.objects.get(pk=int(sys.argv[1]))
ids = selectors.report_scope(department, True)
started = time.perf_counter()
report = render.build_report(department, ids, int(sys.argv[2]), True)
html = render.render_html(report)
render.render_csv(report)
render.render_ods(report)
pdf = render.render_pdf(html)
print(json.dumps({"before": before, "peak": hwm(),
                  "seconds": time.perf_counter() - started, "html": len(html), "pdf": len(pdf)}))
"""


def _report_memory(ctx: Context, department, year: int) -> dict:
    """Generate the consolidated report (figures, HTML, CSV, ODS and the PDF) in a fresh process; its peak RSS."""
    import subprocess

    env = dict(os.environ, DATABASE_URL=ctx.database_url)
    done = subprocess.run(
        [sys.executable, "-c", REPORT_MEMORY_SCRIPT, str(department.pk), str(year)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout)[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


@benchmark("Annual report figures: the department's consolidated report (reporting.selectors.annual_report_figures)")
def bench_annual(ctx: Context) -> Result:
    from django.utils import timezone

    from candour.reporting.selectors import annual_report_figures, report_scope

    year = _latest_financial_year(timezone.localdate())
    department, bodies = _department_bodies(ctx)
    scopes = [report_scope(department, True)] + [report_scope(b, False) for b in ctx.orgs[:3] if b != department]

    def candour(i):
        return annual_report_figures(scopes[i % len(scopes)], year)

    def sql(i):
        return _annual_sql(scopes[i % len(scopes)], year)

    figures = candour(0)
    diffs = [f"scope {i}: {d}" for i in range(len(scopes))
             for d in _compare_annual(figures if i == 0 else candour(i), sql(i))]  # fmt: skip
    samples = max(5, ctx.args.samples // 2)
    result = read_path("annual report", timed(candour, samples, warmup=0), timed(sql, samples, warmup=0), 3.0)
    result.lines.append(f"financial year {year} (April {year} to March {year + 1}) and the year before; the "
                        f"department's consolidated report ({len(scopes[0])} organisations, {figures['received']:,} "
                        f"received) in turn with {len(scopes) - 1} single-body reports")  # fmt: skip
    memory = _report_memory(ctx, department, year)
    if "error" in memory:
        result.lines.append(f"report generation failed: {memory['error']}")
        result.checks.append(Check("report generation < 500 MB (not measured: the generation failed)", False))
    else:
        result.lines.append(f"report generation (consolidated figures, HTML, CSV, ODS, PDF; fresh process): "
                            f"{memory['seconds']:.2f} s, peak RSS {memory['peak']:.0f} MB "
                            f"({memory['before']:.0f} MB after Django start-up)")  # fmt: skip
        result.checks.append(Check(f"report generation < 500 MB (peak {memory['peak']:.0f} MB)", memory["peak"] < 500))
    result.checks.append(_agreement(diffs))
    from candour.reporting.selectors import EXCLUDED_TRIAGE, year_bounds

    start, end = year_bounds(year)
    result.plans["annual report core aggregates (hand-written SQL, consolidated)"] = _explain(
        ANNUAL_SQL, {"ids": scopes[0], "start": start, "end": end, "excluded": list(EXCLUDED_TRIAGE)}
    )
    return result


# ---- the data set ------------------------------------------------------------------------------------


def ensure_database(args) -> str:
    """Create the benchmark database if needed; drop it first when its data set has other parameters."""
    import psycopg

    base = args.server.rstrip("/")
    wanted = {"complaints": args.complaints, "organisations": args.organisations, "years": args.years,
              "seed": args.seed}  # fmt: skip
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone()
        if exists:
            with psycopg.connect(f"{base}/{args.database}") as conn:
                found = conn.execute("SELECT to_regclass('bench_dataset')").fetchone()[0]
                params = conn.execute("SELECT params FROM bench_dataset").fetchone() if found else None
            if params and params[0] == wanted and not getattr(args, "fresh", False):
                print(f"Reusing the data set in {args.database}: {wanted}")
                return "reused"
            print(f"Dropping {args.database}: its data set {params and params[0]} is not {wanted}")
            admin.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')
    return "new"


def generate_dataset(args) -> dict:
    import psycopg
    from django.core.management import call_command

    from candour.synthetic.generator import Params, dangling_keys, generate

    call_command("migrate", verbosity=0)
    print(f"Generating {args.complaints:,} complaints over {args.organisations} organisations and {args.years} years")
    result = generate(
        Params(complaints=args.complaints, organisations=args.organisations, years=args.years, seed=args.seed,
               skip_fk_checks=True, defer_indexes=True),
        log=lambda message: print("  " + message, flush=True),
    )  # fmt: skip
    dangling = dangling_keys()
    if dangling:
        raise SystemExit(f"The generated data has keys that point nowhere: {dangling}")
    info = {"rate": round(result.complaints_per_second), "loading_rate": round(result.loading_per_second),
            "seconds": {k: round(v, 1) for k, v in result.seconds.items()}, "counts": result.counts}  # fmt: skip
    with psycopg.connect(f"{args.server.rstrip('/')}/{args.database}", autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_dataset (params jsonb, info jsonb, generated_at timestamptz DEFAULT now())")
        wanted = {"complaints": args.complaints, "organisations": args.organisations, "years": args.years,
                  "seed": args.seed}  # fmt: skip
        conn.execute("INSERT INTO bench_dataset (params, info) VALUES (%s, %s)", [json.dumps(wanted), json.dumps(info)])
    return info


def dataset_info(args) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT info, generated_at FROM bench_dataset")
        info, generated_at = cursor.fetchone()
        info = json.loads(info) if isinstance(info, str) else info
        info["generated_at"] = generated_at.isoformat(timespec="seconds")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        info["database_size"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM complaints_complaint")
        info["complaints_now"] = cursor.fetchone()[0]
    return info


# ---- report ------------------------------------------------------------------------------------------


def machine() -> str:
    mem = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) / 1024 / 1024
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores, {mem:.0f} GB memory, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, load average at start {load[0]:.1f}")  # fmt: skip


def render(args, info, results, started_load) -> str:
    from django.db import connection

    today = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    out = [f"\n## Benchmark run {today}{' (smoke)' if args.smoke else ''}\n"]
    out.append(f"- Machine: {started_load}; PostgreSQL {connection.pg_version // 10000}")
    out.append(
        f"- Data: {args.complaints:,} complaints over {args.organisations} organisations and {args.years} years "
        f"(seed {args.seed}); {info['complaints_now']:,} complaints in the database now; database size "
        f"{info['database_size']}; generated {info['generated_at']} at {info['rate']:,} complaints/s with their "
        f"related rows, index rebuilds included"
        + (f" (loading {info['loading_rate']:,}/s)" if "loading_rate" in info else "")
        + f" (steps {info['seconds']})"
    )
    out.append(f"- Samples per read benchmark: {args.samples}; intake: {args.intake} complaints each way, one at a "
               f"time and with {args.intake_threads} concurrent callers")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.append(f"- Benchmark process peak RSS: {peak:.0f} MB\n")
    for title, result in results:
        out.append(f"### {title}\n")
        out.append("```")
        out.extend(result.lines)
        out.extend(f"{c.verdict:4}  {c.label}" for c in result.checks)
        out.append("```\n")
    for _title, result in results:
        for label, plan in result.plans.items():
            out.append(f"#### EXPLAIN (ANALYZE, BUFFERS): {label}\n\n```\n{plan}\n```\n")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=25)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="candour_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--intake", type=int, default=500, help="Complaints created each way in the intake benchmark.")
    parser.add_argument("--intake-threads", type=int, default=8)
    parser.add_argument("--gunicorn-threads", type=int, default=1,
                        help="Threads per gunicorn worker in the HTTP benchmark (>1 is the gthread worker).")
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"), help="'-' for none.")
    parser.add_argument("--only", default="", help="Run only benchmarks whose title contains any of these (a,b).")
    parser.add_argument("--smoke", action="store_true", help="Label the run as a smoke run.")
    parser.add_argument("--fresh", action="store_true", help="Drop and regenerate the data set even if it matches.")
    args = parser.parse_args(argv)

    started_load = machine()
    state = ensure_database(args)
    database_url = f"{args.server.rstrip('/')}/{args.database}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "candour.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a reused data set still gets new indexes and columns
    if state == "new":
        generate_dataset(args)
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmarks run on PostgreSQL.")
    info = dataset_info(args)
    ctx = make_context(args, database_url)
    results = []
    for title, fn in BENCHMARKS:
        if args.only and not any(part.strip().lower() in title.lower() for part in args.only.split(",")):
            continue
        print(f"\n== {title}", flush=True)
        result = fn(ctx)
        for line in result.lines:
            print("   " + line)
        for check in result.checks:
            print(f"   {check.verdict:4}  {check.label}")
        results.append((title, result))
    report = render(args, info, results, started_load)
    if args.output != "-":
        path = Path(args.output)
        if not path.exists():
            path.write_text(HEADER)
        with path.open("a") as f:
            f.write(report)
        print(f"\nAppended to {path}")
    return 0


def make_context(args, database_url) -> Context:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from candour.organisations.models import Organisation
    from candour.organisations.roles import Role

    orgs = list(
        Organisation.objects.filter(slug__startswith="syn-", accepts_complaints=True)
        .annotate(n=Count("complaints"))
        .order_by("-n", "id")
    )
    User = get_user_model()
    managers = [
        User.objects.filter(memberships__organisation=o, memberships__role=Role.COMPLAINTS_MANAGER).first()
        for o in orgs[:5]
    ]
    return Context(args=args, database_url=database_url, orgs=orgs, managers=managers, rng=random.Random(args.seed))


HEADER = """# Performance

`make bench` measures Candour's own code paths against the same work done by hand-written SQL, on PostgreSQL,
over synthetic data from `manage.py generate_synthetic`. Absolute times on a shared machine vary; the ratios
hold. `make loadtest` runs the locust load test. Each run appends a dated section below.
"""


if __name__ == "__main__":
    sys.exit(main())
