"""Realistic, deterministic synthetic data at scale, for benchmarks, load tests and demonstrations.

`generate(Params(...))` runs the registered generator steps in order. Each step is a function
`step(ctx: Context) -> None` that reads what earlier steps left in `ctx.shared` and writes rows through
`ctx.sink`. Later capabilities (learning, surveys) add their own with `register_step(name, fn, after=...)`.

Speed: all randomness comes from one `random.Random(seed)`, so a seed always gives the same data. Working-day
deadlines are looked up in per-nation tables built once from the real `WorkingCalendar`. On PostgreSQL rows go
in with COPY (psycopg 3); on SQLite with executemany in batches. Complaint rows skip the services on purpose
(they would take days for a million complaints); `tests/test_generator.py` checks that the rows obey the same
rules the services enforce (deadlines, references, transitions, stage 2 independence).
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import random
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from candour.complaints.models import (
    Complaint,
    OmbudsmanReferral,
    PointOfComplaint,
    ReferenceCounter,
    Remedy,
    Response,
    StageTransition,
)
from candour.complaints.services import escalation_rights_text
from candour.core.calendar import WorkingCalendar
from candour.organisations import services as org_services
from candour.organisations.models import Kind, Membership, Nation, Organisation, ServiceArea
from candour.organisations.roles import Role
from candour.organisations.selectors import _holidays
from candour.synthetic import text as T

SYNTHETIC_PASSWORD = "synthetic-staff-password-2024"
UTC = datetime.UTC


@dataclass(frozen=True)
class Params:
    complaints: int = 10_000
    organisations: int = 5
    years: int = 3
    seed: int = 1
    today: datetime.date | None = None
    # Skip PostgreSQL's per-row foreign-key trigger checks while loading (session_replication_role = replica; needs a
    # superuser). The generator only writes keys it has just created; tests check the rows join up.
    skip_fk_checks: bool = False
    # Drop the generated tables' secondary indexes for the load and build them afterwards, in the same transaction
    # (PostgreSQL DDL is transactional, so a failed load leaves the indexes as they were). Pays off on a fresh,
    # large load; primary keys and unique constraints stay.
    defer_indexes: bool = False
    prefix: str = "syn"
    batch: int = 20_000

    def describe(self) -> str:
        return f"{self.complaints} complaints, {self.organisations} organisations, {self.years} years, seed {self.seed}"


# ---- where rows go --------------------------------------------------------------------------------


class Sink:
    """Writes rows (tuples in `columns` order) into a model's table."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if rows and len(rows[0]) != len(columns):
            raise ValueError(f"{model._meta.db_table}: rows have {len(rows[0])} values for {len(columns)} columns")
        if rows:
            self._write(model._meta.db_table, columns, rows)
            self.counts[model._meta.db_table] = self.counts.get(model._meta.db_table, 0) + len(rows)

    def _write(self, table, columns, rows):  # pragma: no cover - abstract
        raise NotImplementedError


def _copy(table, columns, rows) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)


class CopySink(Sink):
    """PostgreSQL: COPY ... FROM STDIN through psycopg 3, on the caller's connection and transaction."""

    def _write(self, table, columns, rows):
        _copy(table, columns, rows)


_ABORT = object()


class ThreadedCopySink(Sink):
    """PostgreSQL, outside any transaction: COPY from a second thread with its own connection and transaction,
    so PostgreSQL ingests one chunk while Python generates the next (two cores instead of one).
    `finish()` commits; `abort()` rolls back. Callers must not read the rows before `finish()`."""

    def __init__(self, depth: int = 2, skip_fk_checks: bool = False, defer_indexes_of: tuple[str, ...] = ()):
        import queue
        import threading

        super().__init__()
        self.skip_fk_checks = skip_fk_checks
        self.defer_indexes_of = list(defer_indexes_of)
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.index_seconds = 0.0  # rebuilding the deferred indexes, after the last row
        self.thread = threading.Thread(target=self._run, name="synthetic-copy", daemon=True)
        self.thread.start()

    def _run(self):
        finished_reading = False
        try:
            with transaction.atomic():
                if self.skip_fk_checks:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL session_replication_role = replica")
                deferred = self._drop_indexes() if self.defer_indexes_of else []
                while (item := self.queue.get()) is not None:
                    if item is _ABORT:
                        raise RuntimeError("aborted")
                    _copy(*item)
                finished_reading = True
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    # Index builds sort every row: give them memory for this transaction only (default 64 MB).
                    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                    for _name, definition in deferred:
                        cursor.execute(definition)
                self.index_seconds = time.perf_counter() - started
        except BaseException as error:  # noqa: BLE001 - handed to the generating thread
            self.error = error
            while not finished_reading and self.queue.get() is not None:  # drain so the producer never blocks
                pass
        finally:
            connection.close()

    def _drop_indexes(self) -> list[tuple[str, str]]:
        """Secondary indexes of the tables (not those behind primary keys or unique constraints), dropped."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname",
                [self.defer_indexes_of],
            )
            found = cursor.fetchall()
            for name, _definition in found:
                cursor.execute(f'DROP INDEX "{name}"')
        return found

    def _write(self, table, columns, rows):
        if self.error is not None:
            raise RuntimeError("COPY failed") from self.error
        self.queue.put((table, columns, rows))

    def finish(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise RuntimeError("COPY failed") from self.error

    def abort(self) -> None:
        self.queue.put(_ABORT)
        self.queue.put(None)
        self.thread.join()


class BatchInsertSink(Sink):
    """Any other database (SQLite in tests): INSERT with executemany in batches."""

    def _write(self, table, columns, rows):
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        adapt = connection.ops.adapt_datefield_value, connection.ops.adapt_datetimefield_value

        def value(v):
            if isinstance(v, datetime.datetime):
                return adapt[1](v)
            if isinstance(v, datetime.date):
                return adapt[0](v)
            if isinstance(v, Decimal):
                return str(v)
            return v

        with connection.cursor() as cursor:
            for start in range(0, len(rows), 1000):
                cursor.executemany(sql, [tuple(value(v) for v in row) for row in rows[start : start + 1000]])


def sink_for_connection() -> Sink:
    return CopySink() if connection.vendor == "postgresql" else BatchInsertSink()


# ---- working days, precomputed ----------------------------------------------------------------------


class DayTable:
    """`add(d, n)` = the n-th working day after day-number d, for one nation, by table lookup.

    Days are numbered from `first` (0). Built from the real WorkingCalendar, so results are identical to
    `calendar.add_working_days` (tested), only without the per-call walk.
    """

    def __init__(self, nation: str, first: datetime.date, last: datetime.date):
        calendar = WorkingCalendar(nation, holidays=_holidays())
        self.first = first
        span = (last - first).days + 1
        self.working = [i for i in range(span) if calendar.is_working_day(first + datetime.timedelta(days=i))]
        # after[d]: index in `working` of the first working day strictly after day d.
        self.after = [bisect.bisect_right(self.working, d) for d in range(span)]

    def add(self, d: int, n: int) -> int:
        if n == 0:
            return d
        return self.working[self.after[d] + n - 1]


# ---- random draws -------------------------------------------------------------------------------------


def draws(rng: random.Random):
    """(random, randrange(low, high), choice) on `rng`, each one call of the C generator per draw: the library's
    choice and randrange reject-sample with getrandbits in Python, which was a third of the generator's Python time.
    A 53-bit float's bias over these small ranges is nil; the same seed still gives the same data."""
    r = rng.random

    def ri(low: int, high: int) -> int:
        return low + int(r() * (high - low))

    def choice(seq):
        return seq[int(r() * len(seq))]

    return r, ri, choice


# ---- the run ----------------------------------------------------------------------------------------


@dataclass
class Context:
    params: Params
    rng: random.Random
    today: datetime.date
    sink: Sink
    shared: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def log(self, message: str) -> None:
        if self.shared.get("log"):
            self.shared["log"](message)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Context], None]
    # Run inside its own transaction (all-or-nothing). A step that must not (VACUUM cannot run in one) says so,
    # and then runs outside only when the generator was itself called outside a transaction.
    atomic: bool = True


STEPS: list[Step] = []


def register_step(name: str, fn: Callable[[Context], None], after: str | None = None, atomic: bool = True) -> None:
    """Add a generator step (at the end, or right after the step named `after`). Re-registering replaces."""
    STEPS[:] = [s for s in STEPS if s.name != name]
    index = len(STEPS)
    if after is not None:
        index = next(i for i, s in enumerate(STEPS) if s.name == after) + 1
    STEPS.insert(index, Step(name, fn, atomic))


@dataclass
class Result:
    params: Params
    counts: dict[str, int]
    seconds: dict[str, float]

    @property
    def complaints_per_second(self) -> float:
        """Complaints with their related rows per second of the complaints step, index rebuilds included."""
        return self.counts.get(Complaint._meta.db_table, 0) / max(self.seconds.get("complaints", 0), 1e-9)

    @property
    def loading_per_second(self) -> float:
        """The same, rows only: the step less rebuilding the indexes deferred for the load (`defer_indexes`)."""
        loading = self.seconds.get("complaints", 0) - self.seconds.get("complaints: index rebuild", 0)
        return self.counts.get(Complaint._meta.db_table, 0) / max(loading, 1e-9)


def generate(params: Params, log: Callable[[str], None] | None = None) -> Result:
    if params.complaints < 0 or params.organisations < 1 or params.years < 1:
        raise ValueError("Need complaints >= 0, organisations >= 1 and years >= 1.")
    if Organisation.objects.filter(slug=f"{params.prefix}-dept").exists():
        raise ValueError(f"Synthetic data with prefix {params.prefix!r} already exists; use another --prefix.")
    ctx = Context(
        params=params,
        rng=random.Random(params.seed),
        today=params.today or timezone.localdate(),
        sink=sink_for_connection(),
        shared={"log": log, "outside_transaction": not connection.in_atomic_block},
    )
    for step in STEPS:
        started = time.perf_counter()
        if not step.atomic and ctx.shared["outside_transaction"]:
            step.run(ctx)
        else:
            with transaction.atomic():
                step.run(ctx)
        ctx.timings[step.name] = time.perf_counter() - started
        ctx.log(f"{step.name}: {ctx.timings[step.name]:.1f}s")
    return Result(params=params, counts=dict(ctx.sink.counts), seconds=ctx.timings)


# ---- step: organisations ------------------------------------------------------------------------------

NATIONS = [Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND]
BODY_KINDS_CYCLE = [Kind.EXECUTIVE_AGENCY, Kind.NDPB, Kind.OTHER_ALB]


def step_organisations(ctx: Context) -> None:
    """A department (England) and M-1 related organisations across the four nations, each with teams and
    service areas. Sizes are skewed: a few organisations take most complaints, as in real departments."""
    p, rng = ctx.params, ctx.rng
    dept = org_services.create_organisation(
        actor=None,
        slug=f"{p.prefix}-dept",
        name=f"Department for {rng.choice(T.BODY_WORDS)} (synthetic)",
        kind=Kind.DEPARTMENT,
        nation=Nation.ENGLAND,
        accepts_complaints=True,
    )
    bodies = [dept]
    words = rng.sample(T.BODY_WORDS, len(T.BODY_WORDS))
    for i in range(1, p.organisations):
        nation = NATIONS[i % 4]
        kind = BODY_KINDS_CYCLE[i % 3]
        word = words[i % len(words)]
        noun = {Kind.EXECUTIVE_AGENCY: "Agency", Kind.NDPB: "Board", Kind.OTHER_ALB: "Authority"}[kind]
        bodies.append(
            org_services.create_organisation(
                actor=None,
                slug=f"{p.prefix}-{i:03d}",
                name=f"{word} {noun} {i}",
                kind=kind,
                parent=dept,
                nation=nation,
                accepts_complaints=True,
                welsh_language_service=nation == Nation.WALES,
                stage1_response_days=10 if i % 5 == 0 else 5,
            )
        )
    orgs = []
    for index, body in enumerate(bodies):
        teams = [
            org_services.create_organisation(
                actor=None, slug=f"{body.slug}-team-{t}", name=f"{body.name} casework team {t}", kind=Kind.TEAM,
                parent=body,
            )
            for t in range(1, 4)
        ]  # fmt: skip
        services = rng.sample(T.SERVICES, 5)
        areas = [ServiceArea.objects.create(organisation=body, name=name) for name in services]
        orgs.append(
            {
                "org": body,
                "index": index,
                "id": body.id,
                "slug_upper": body.slug.upper(),
                "nation": body.nation,
                "welsh": body.welsh_language_service,
                "ack_days": body.acknowledge_days,
                "s1_days": body.stage1_response_days,
                "s2_days": body.stage2_response_days,
                "teams": [t.id for t in teams],
                "areas": [(a.id, a.name, a.name.lower()) for a in areas],
                # Zipf-like weights: the department and the first agencies are the busiest.
                "weight": 1.0 / (index + 1) ** 0.8,
            }
        )
    ctx.shared["department"] = dept
    ctx.shared["orgs"] = orgs


# ---- step: staff ------------------------------------------------------------------------------------


def step_staff(ctx: Context) -> None:
    """Colleagues with memberships: handlers, investigators and a manager per organisation (more where
    there are more complaints), and senior leaders and parent oversight at the department."""
    p, orgs = ctx.params, ctx.shared["orgs"]
    User = get_user_model()
    password = make_password(SYNTHETIC_PASSWORD, salt="synthetic")
    total_weight = sum(o["weight"] for o in orgs)
    users: list = []
    plan: list[tuple[int, str, str]] = []  # (user index, org slug, role)
    for o in orgs:
        share = p.complaints * o["weight"] / total_weight
        handlers = max(3, min(40, int(share / 5000)))
        investigators = max(2, min(15, int(share / 25000)))
        for role, count in (
            (Role.COMPLAINT_HANDLER, handlers),
            (Role.INVESTIGATOR, investigators),
            (Role.COMPLAINTS_MANAGER, 1),
            (Role.SENIOR_LEADER, 1),
        ):
            for n in range(1, count + 1):
                username = f"{o['org'].slug}-{role.replace('_', '-')}-{n}"
                first, last = ctx.rng.choice(T.FIRST_NAMES), ctx.rng.choice(T.SURNAMES)
                users.append(
                    User(username=username, first_name=first, last_name=last, email=f"{username}@example.gov.uk",
                         password=password, job_title=str(role.label))
                )  # fmt: skip
                plan.append((len(users) - 1, o["org"].slug, role))
    dept = ctx.shared["department"]
    oversight = f"{p.prefix}-oversight"
    users.append(User(username=oversight, email=f"{oversight}@example.gov.uk", password=password))
    plan.append((len(users) - 1, dept.slug, Role.PARENT_OVERSIGHT))
    User.objects.bulk_create(users, batch_size=500)
    by_name = dict(User.objects.filter(username__in=[u.username for u in users]).values_list("username", "id"))
    org_ids = {o["org"].slug: o["id"] for o in orgs}
    Membership.objects.bulk_create(
        [
            Membership(user_id=by_name[users[i].username], organisation_id=org_ids[slug], role=role)
            for i, slug, role in plan
        ]
    )
    for o in orgs:
        prefix = f"{o['org'].slug}-"
        o["handlers"] = [by_name[u.username] for u in users if u.username.startswith(prefix + "complaint-handler-")]
        o["investigators"] = [by_name[u.username] for u in users if u.username.startswith(prefix + "investigator-")]
        o["manager"] = by_name[f"{prefix}complaints-manager-1"]
    ctx.shared["usernames"] = {v: k for k, v in by_name.items()}


# ---- step: complaints ---------------------------------------------------------------------------------

COMPLAINT_COLUMNS = tuple(f.column for f in Complaint._meta.concrete_fields)
POINT_COLUMNS = tuple(f.column for f in PointOfComplaint._meta.concrete_fields)
TRANSITION_COLUMNS = tuple(f.column for f in StageTransition._meta.concrete_fields)
_KEYS = ("organisation_id", "complaint_received_on")  # the complaint's keys, copied (written last in each row)
RESPONSE_COLUMNS = tuple(f.column for f in Response._meta.concrete_fields if f.column not in _KEYS) + _KEYS
REMEDY_COLUMNS = tuple(f.column for f in Remedy._meta.concrete_fields if f.column not in _KEYS) + _KEYS
REFERRAL_COLUMNS = tuple(f.column for f in OmbudsmanReferral._meta.concrete_fields)

CHANNELS = ["online", "email", "letter", "phone", "in_person", "mp", "social_media"]
CHANNEL_WEIGHTS = [52, 22, 9, 11, 2, 3, 1]
CHANNEL_LABEL = {
    "online": "online form", "email": "email", "letter": "letter", "phone": "phone", "in_person": "in person",
    "mp": "mp correspondence", "social_media": "social media",
}  # fmt: skip
OUTCOMES = ["upheld", "partly_upheld", "not_upheld"]
PHSO = ["not_investigated", "not_investigated", "resolved", "upheld", "partly_upheld", "not_upheld", "not_upheld"]


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def _next_ids_elsewhere(models) -> dict:
    import threading

    found: dict = {}

    def read():
        try:
            found.update({m: _next_id(m) for m in models})
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    if len(found) != len(models):
        raise RuntimeError("Could not read the next ids.")
    return found


def _reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"  # noqa: S608
            )


def step_complaints(ctx: Context) -> None:
    """Complaints over the years ending today, with points, transitions, responses, remedies, referrals."""
    p, rng, today = ctx.params, ctx.rng, ctx.today
    orgs = ctx.shared["orgs"]
    first_day = today - datetime.timedelta(days=round(365.25 * p.years) - 1)
    span = (today - first_day).days + 1
    # Tables run well past today: stalled stage 2 cases can fall due months later.
    tables = {n: DayTable(n, first_day, today + datetime.timedelta(days=800)) for n in {o["nation"] for o in orgs}}
    dates = [first_day + datetime.timedelta(days=i) for i in range(span + 800)]
    today_n = span - 1
    ctx.shared["days"] = {"first": first_day, "dates": dates, "tables": tables, "today": today_n}

    # When complaints arrive: growth year on year, a winter peak, fewer at weekends (post and phones are shut).
    weights = []
    for i in range(span):
        d = dates[i]
        w = 1.0 + 0.08 * (i / 365.0)
        w *= 1.0 + 0.15 * (1 if d.month in (1, 2, 3, 10, 11) else 0)
        w *= 0.3 if d.weekday() >= 5 else 1.0
        weights.append(w)
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    days = sorted(rng.choices(range(span), cum_weights=cum, k=p.complaints))
    org_cum, total = [], 0.0
    for o in orgs:
        total += o["weight"]
        org_cum.append(total)

    threaded = connection.vendor == "postgresql" and ctx.shared.get("outside_transaction")
    models = (Complaint, PointOfComplaint, StageTransition, Response, Remedy, OmbudsmanReferral)
    # The COPY thread may drop indexes, which waits for every lock on the tables: read the next ids on a
    # connection of their own, so this transaction holds none.
    ids = _next_ids_elsewhere(models) if threaded else {m: _next_id(m) for m in models}
    deferred = tuple(model._meta.db_table for model, _columns in _TABLES) if p.defer_indexes else ()
    sink = ThreadedCopySink(skip_fk_checks=p.skip_fk_checks, defer_indexes_of=deferred) if threaded else ctx.sink
    try:
        counters = _complaint_rows(ctx, sink, orgs, tables, dates, days, today_n, total, org_cum, ids)
    except BaseException:
        if threaded:
            sink.abort()
        raise
    if threaded:
        sink.finish()
        for table, count in sink.counts.items():
            ctx.sink.counts[table] = ctx.sink.counts.get(table, 0) + count
        if sink.index_seconds:
            ctx.timings["complaints: index rebuild"] = sink.index_seconds
            ctx.log(f"  secondary indexes rebuilt in {sink.index_seconds:.1f}s")
    # Later real intake continues each organisation's sequence for the year.
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(organisation_id=org_id, year=year, last=last) for (org_id, year), last in counters.items()]
    )
    _reset_sequences([Complaint, PointOfComplaint, StageTransition, Response, Remedy, OmbudsmanReferral])


def _complaint_rows(ctx, sink, orgs, tables, dates, days, today_n, total, org_cum, ids) -> dict[tuple[int, int], int]:
    """Generate every complaint and its related rows in received order; returns the last number per (org, year)."""
    rng = ctx.rng
    p = ctx.params
    counters: dict[tuple[int, int], int] = {}
    usernames = ctx.shared["usernames"]
    chunk_started = time.perf_counter()
    buffers = {m: [] for m in ids}
    # What later steps (extras.py) need of each complaint, FACT_FIELDS at a time in one compact array.
    facts = ctx.shared["complaint_facts"] = array("i")
    remember = facts.extend
    r, ri, choice = draws(rng)

    def at(d: int, minute: int) -> datetime.datetime:
        day = dates[d]
        return datetime.datetime(day.year, day.month, day.day, 8 + minute // 60 % 10, minute % 60, tzinfo=UTC)

    for index, d in enumerate(days):
        o = orgs[bisect.bisect_left(org_cum, r() * total)]
        add = tables[o["nation"]].add
        cid = ids[Complaint]
        ids[Complaint] += 1
        received = dates[d]
        key = (o["id"], received.year)
        seq = counters[key] = counters.get(key, 0) + 1
        reference = f"{o['slug_upper']}-{received.year}-{seq:06d}"
        channel = CHANNELS[bisect.bisect(_CHANNEL_CUM, r() * _CHANNEL_CUM[-1])]  # as rng.choices(cum_weights=...)
        place = choice(T.PLACES[o["nation"]])
        area_id, service, service_l = choice(o["areas"])
        first, last = choice(T.FIRST_NAMES), choice(T.SURNAMES)
        anonymous = r() < 0.02
        name = "" if anonymous else f"{first} {last}"
        email = "" if anonymous or r() < 0.15 else f"{first.lower()}.{_ascii(last)}{ri(1, 999)}@example.com"
        phone = "" if anonymous or r() < 0.4 else f"07700 900{ri(0, 1000):03d}"
        address = "" if anonymous or channel != "letter" else f"{ri(1, 200)} {choice(T.STREETS)}, {place}"
        on_behalf = r() < 0.08
        affected = f"{choice(T.FIRST_NAMES)} {last}" if on_behalf else ""
        impact = choice(T.IMPACTS)
        n_small = ri(2, 9)
        summary = choice(T.SUMMARIES).format(service_l=service_l, place=place)
        description = choice(T.DESCRIPTIONS).format(
            month=T.MONTHS[ri(0, 12)], place=place, n=n_small, impact=impact, impact_cap=impact[0].upper() + impact[1:],
            service_l=service_l, ordinal=choice(T.ORDINALS),
        )  # fmt: skip
        sought = choice(T.OUTCOMES_SOUGHT)
        language = "cy" if o["welsh"] and r() < 0.2 else "en"
        created_at = at(d, ri(0, 600))
        handler = choice(o["handlers"])

        # The lifecycle. Each date is a day number; None means it has not happened (yet).
        status, stage, closed, outcome, closure_reason = "received", 1, None, "", ""
        triage = "complaint" if channel == "online" else "pending"
        other_route, signposting = "", ""
        ack_due = add(d, o["ack_days"])
        s1_due = add(d, o["s1_days"])
        ack_k = _ACK_DAYS[bisect.bisect(_ACK_CUM, r() * 100)]
        acked = add(d, ack_k)
        if acked > today_n:
            acked = None
        transitions = [("receive", "received", "received", created_at, None, f"Received by {CHANNEL_LABEL[channel]}")]
        s1_resp = s1_k = s2_start = s2_due = s2_resp = s2_k = None
        s2_handler = None
        outcome1 = outcome2 = ""
        fate = r()
        if acked is not None:
            if triage == "pending":
                triage = "complaint"
            transitions.append(("acknowledge", "received", "acknowledged", at(acked, 60), handler, ""))
            transitions.append(
                ("start_early_resolution", "acknowledged", "early_resolution", at(acked, 90), handler, "")
            )
            status = "early_resolution"
            if fate < 0.04:  # another route or a service request: signposted and not accepted
                triage = "other_route" if fate < 0.025 else "service_request"
                other_route = choice(("appeal", "tribunal", "foi_sar", "legal")) if triage == "other_route" else ""
                signposting = "Signposted to the right process and told how to use it."
                closure_reason = "Handled through another route" if other_route else "Handled as a service request"
                closed = acked
                transitions.append(("not_accept", status, "not_accepted", at(acked, 120), handler, closure_reason))
                status = "not_accepted"
            elif fate < 0.07:
                closed = add(acked, ri(1, 8))
                if closed <= today_n:
                    closure_reason = "The complainant told us the matter had been put right."
                    transitions.append(("withdraw", status, "withdrawn", at(closed, 200), handler, closure_reason))
                    status = "withdrawn"
                else:
                    closed = None
            else:
                x = r()
                s1_k = ri(1, 6) if x < 0.7 else ri(6, 11) if x < 0.9 else ri(11, 26) if x < 0.97 else ri(26, 150)
                s1_k = max(s1_k, ack_k)  # never answered before it was acknowledged
                s1_resp = add(d, s1_k)
                if s1_resp > today_n:
                    s1_resp = s1_k = None
                else:
                    y = r()
                    outcome1 = "upheld" if y < 0.27 else "partly_upheld" if y < 0.5 else "not_upheld"
                    transitions.append(("resolve", status, "resolved", at(s1_resp, 300), handler, ""))
                    status, outcome = "resolved", outcome1
                    if r() < 0.105 and o["investigators"]:
                        esc = s1_resp + ri(3, 40)
                        if esc <= today_n:
                            s2_start = esc
                            s2_handler = choice(o["investigators"])
                            s2_due = add(esc, o["s2_days"])
                            z = r()
                            s2_k = ri(8, 21) if z < 0.6 else ri(21, 36) if z < 0.9 else ri(36, 90)
                            transitions.append(
                                ("escalate", status, "investigation", at(esc, 100), handler,
                                 "The complainant asked for a stage 2 investigation.")
                            )  # fmt: skip
                            status, stage = "investigation", 2
                            s2_resp = add(esc, s2_k)
                            if s2_resp > today_n:
                                s2_resp = s2_k = None
                            else:
                                y = r()
                                outcome2 = "upheld" if y < 0.2 else "partly_upheld" if y < 0.45 else "not_upheld"
                                final = at(s2_resp, 300)
                                transitions.append(
                                    ("issue_final_response", status, "response_issued", final, s2_handler, "")
                                )
                                status, outcome = "response_issued", outcome2
                                if s2_resp + 28 <= today_n:
                                    closed = s2_resp + 28
                                    transitions.append(("close", status, "closed", at(closed, 30), s2_handler, ""))
                                    status = "closed"
                    if status == "resolved" and s1_resp + 21 <= today_n:
                        closed = s1_resp + 21
                        transitions.append(("close", status, "closed", at(closed, 30), handler, ""))
                        status = "closed"
        is_open = status in ("received", "acknowledged", "early_resolution", "investigation")
        response_due = (s2_due if stage == 2 else s1_due) if is_open else None

        # Points of complaint (1-3), with outcomes once a response has been issued.
        n_points = 1 if r() < 0.5 else 2 if r() < 0.7 else 3
        point_texts = []
        final_outcome = outcome2 or outcome1
        for number in range(1, n_points + 1):
            pt = choice(T.POINTS).format(service_l=service_l, place=place)
            point_texts.append(pt)
            if final_outcome == "partly_upheld":
                p_outcome = "upheld" if number == 1 else choice(("upheld", "not_upheld"))
            else:
                p_outcome = final_outcome
            buffers[PointOfComplaint].append(
                (ids[PointOfComplaint], cid, number, pt, sought if number == 1 else "", p_outcome,
                 "Our service standard applies." if p_outcome else "", "", "")
            )  # fmt: skip
            ids[PointOfComplaint] += 1

        for name_, from_s, to_s, when, actor, reason in transitions:
            buffers[StageTransition].append(
                (ids[StageTransition], cid, name_, from_s, to_s, actor, usernames[actor] if actor else "public",
                 when, reason)
            )  # fmt: skip
            ids[StageTransition] += 1

        issued = ((1, s1_resp, outcome1, handler), (2, s2_resp, outcome2, s2_handler))
        for stage_n, resp_day, resp_outcome, by in issued:
            if resp_day is None:
                continue
            rid = ids[Response]
            ids[Response] += 1
            issued_at = at(resp_day, 290)
            apology = T.APOLOGY if resp_outcome != "not_upheld" else ""
            parts = T.RESPONSE_PARTS
            buffers[Response].append(
                (rid, cid, stage_n, "issued", resp_outcome,
                 parts["understanding"].format(summary_l=summary.lower(), sought_l=sought.lower()),
                 parts["what_was_investigated"].format(service_l=service_l),
                 parts["how_it_was_investigated"].format(place=place), parts["decision_reasoning"],
                 parts["impact"].format(impact=impact), parts["what_will_happen"], _NEXT_STEPS[stage_n], apology,
                 f"<p>Dear {name or 'complainant'},</p><p>Our stage {stage_n} response.</p>",
                 "email" if email else "post", dates[resp_day], by, at(max(d, resp_day - 2), 0),
                 issued_at, o["id"], received)
            )  # fmt: skip
            if resp_outcome != "not_upheld":
                for kind, chance in _REMEDY_CHANCES:
                    if r() < chance:
                        amount = Decimal(choice(T.REDRESS_BANDS)) if kind == "financial" else None
                        buffers[Remedy].append(
                            (ids[Remedy], cid, rid, kind, T.REMEDY_TEXT[kind], amount, issued_at, o["id"], received)
                        )
                        ids[Remedy] += 1

        if s2_resp is not None and r() < 0.1:
            referred = s2_resp + ri(30, 300)
            if referred <= today_n:
                decided = referred + ri(60, 240)
                decision = choice(PHSO) if decided <= today_n else "pending"
                compliance = "complied" if decision in ("upheld", "partly_upheld") else "n/a"
                buffers[OmbudsmanReferral].append(
                    (ids[OmbudsmanReferral], cid, dates[referred], f"PHSO-{cid:07d}", decision,
                     dates[decided] if decision != "pending" else None,
                     "Apologise and pay for distress." if compliance == "complied" else "", compliance,
                     dates[min(decided + 60, today_n)] if compliance == "complied" else None, at(referred, 0))
                )  # fmt: skip
                ids[OmbudsmanReferral] += 1

        team = choice(o["teams"])
        adjustments = "Large print letters" if r() < 0.03 else ""
        opt_out = r() < 0.05
        remember((cid, o["index"], d, -1 if closed is None else closed,
                  _FACT_STATUS[status], _FACT_OUTCOME[outcome], stage,
                  s2_resp if s2_resp is not None else -1 if s1_resp is None else s1_resp, handler, s2_handler or 0,
                  area_id, 1 if email and not anonymous and not opt_out else 0))  # fmt: skip
        search_text = "\n".join(x for x in (reference, name, affected, summary, description, sought, *point_texts) if x)
        buffers[Complaint].append(
            (cid, reference, o["id"], team, area_id, channel, language, received, created_at, None,
             triage, other_route, signposting, anonymous, name, email, phone, address,
             "email" if email else "phone" if phone else "post", on_behalf, affected, "parent" if on_behalf else "",
             on_behalf, adjustments, opt_out, None,
             summary, description, None, False, "", "", sought, "A. Member MP" if channel == "mp" else "",
             status, stage, handler, s2_handler, closure_reason,
             dates[ack_due], dates[acked] if acked is not None else None, received, dates[s1_due],
             dates[s1_resp] if s1_resp is not None else None, s1_k, False,
             dates[s2_start] if s2_start is not None else None, dates[s2_due] if s2_due is not None else None,
             dates[s2_resp] if s2_resp is not None else None, s2_k, False,
             dates[response_due] if response_due is not None else None, False,
             dates[closed] if closed is not None else None, outcome, s2_start is not None, "", None, search_text)
        )  # fmt: skip

        if len(buffers[Complaint]) >= p.batch or index == len(days) - 1:
            for model, columns in _TABLES:
                sink.write(model, columns, buffers[model])
                buffers[model] = []
            done = index + 1
            rate = done / max(time.perf_counter() - chunk_started, 1e-9)
            ctx.log(f"  {done:,} complaints ({rate:,.0f}/s)")

    return counters


def step_analyze(ctx: Context) -> None:
    """Fresh planner statistics, so the first queries after a load are planned on the real sizes; outside a
    transaction also VACUUM, which sets the visibility map that index-only scans need (autovacuum would, later)."""
    if connection.vendor == "postgresql":
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model, _columns in _TABLES + EXTRA_TABLES:
                cursor.execute(f"{command} {model._meta.db_table}")


_CHANNEL_CUM = []
_running = 0
for _w in CHANNEL_WEIGHTS:
    _running += _w
    _CHANNEL_CUM.append(_running)
_ACK_DAYS, _ACK_CUM = (1, 2, 3, 4, 6), (50, 80, 94, 98, 100)  # working days to acknowledge, cumulative weights
_REMEDY_CHANCES = (
    ("apology", 0.9), ("explanation", 0.4), ("remedial_action", 0.3), ("financial", 0.12), ("service_improvement", 0.15)
)  # fmt: skip


def _ascii(surname: str) -> str:
    return surname.lower().replace("'", "")


class _Stage:
    """Enough of a complaint for escalation_rights_text: its stage and language (synthetic letters are English)."""

    language = "en"

    def __init__(self, stage):
        self.stage = stage


_NEXT_STEPS = {1: escalation_rights_text(_Stage(1)), 2: escalation_rights_text(_Stage(2))}
# ctx.shared["complaint_facts"]: FACT_FIELDS integers per complaint. Days are numbers from ctx.shared["days"]["first"]
# (-1: none), users 0 for none; "eligible": the complainant may be surveyed (feedback.services.why_not_survey).
FACT_FIELDS = ("id", "org", "received", "closed", "status", "outcome", "stage", "outcome_day", "handler",
               "investigator", "service_area", "eligible")  # fmt: skip
FACT_STATUSES = ("received", "acknowledged", "early_resolution", "investigation", "resolved", "response_issued",
                 "closed", "withdrawn", "not_accepted")  # fmt: skip
FACT_OUTCOMES = ("", "upheld", "partly_upheld", "not_upheld")
_FACT_STATUS = {s: i for i, s in enumerate(FACT_STATUSES)}
_FACT_OUTCOME = {s: i for i, s in enumerate(FACT_OUTCOMES)}
_TABLES = [
    (Complaint, COMPLAINT_COLUMNS),
    (PointOfComplaint, POINT_COLUMNS),
    (StageTransition, TRANSITION_COLUMNS),
    (Response, RESPONSE_COLUMNS),
    (Remedy, REMEDY_COLUMNS),
    (OmbudsmanReferral, REFERRAL_COLUMNS),
]
# Tables later steps write (learning, surveys, governance: extras.py adds them), for dangling_keys and step_analyze.
EXTRA_TABLES: list[tuple] = []

register_step("organisations", step_organisations)
register_step("staff", step_staff)
register_step("complaints", step_complaints)
register_step("analyze", step_analyze, atomic=False)


# ---- checking -------------------------------------------------------------------------------------


def dangling_keys() -> dict[str, int]:
    """Foreign keys in the generated tables that point at no row ("table.column" -> count); empty when sound.
    Worth running after a load with `skip_fk_checks`."""
    found = {}
    with connection.cursor() as cursor:
        for model, _columns in _TABLES + EXTRA_TABLES:
            for f in model._meta.concrete_fields:
                if not f.is_relation:
                    continue
                table, target = model._meta.db_table, f.related_model._meta.db_table
                cursor.execute(
                    f"SELECT count(*) FROM {table} t LEFT JOIN {target} r ON r.id = t.{f.column} "  # noqa: S608
                    f"WHERE t.{f.column} IS NOT NULL AND r.id IS NULL"
                )
                count = cursor.fetchone()[0]
                if count:
                    found[f"{table}.{f.column}"] = count
    return found


def checksum(prefix: str = "syn") -> str:
    """A digest of the synthetic complaints' content (natural keys in place of database ids)."""
    skip = {"id", "organisation_id", "team_id", "service_area_id", "stage1_handler_id", "stage2_handler_id"}
    columns = [c for c in COMPLAINT_COLUMNS if c not in skip]
    digest = hashlib.sha256()
    rows = (
        Complaint.objects.filter(organisation__slug__startswith=f"{prefix}-")
        .order_by("reference")
        .values_list("organisation__slug", "team__slug", "service_area__name", "stage1_handler__username",
                     "stage2_handler__username", *columns)
    )  # fmt: skip
    for row in rows.iterator(chunk_size=5000):
        digest.update(repr(row).encode())
    return digest.hexdigest()


# Learning, surveys and governance: their steps register after "complaints" (imported last: it imports this module).
from candour.synthetic import extras  # noqa: E402, F401
