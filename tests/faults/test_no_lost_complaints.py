"""No lost complaints: SIGKILL the web server and the task worker while people submit complaints.

Real processes against a real PostgreSQL database (`test_faults_kill_<random>`, created and dropped here):
gunicorn with 2 workers and `manage.py db_worker`, with GOV.UK Notify pointed at the local stand-in
(`tests/support/notify_stub.py`, running in this process). Clients submit complaints concurrently through
the public API, each with its own `Idempotency-Key`, and retry with the same key on a connection error or a
5xx, as a real client would. Meanwhile gunicorn (master and workers) and the worker are SIGKILLed several
times and started again. Then a complaints manager acknowledges every complaint through the staff API
(the real path for the acknowledgement e-mail: transition -> signal -> outbox Message -> send_message task
-> Notify), again with kills.

Afterwards:
- every submission that got a 2xx is stored exactly once (one complaint per idempotency key), and no
  complaint exists that no client submitted;
- nothing is half-written: every complaint has its points, its "receive" transition and its audit event;
- every acknowledgement is in the outbox once and Notify received it; duplicates at Notify are counted
  (see `test_a_worker_killed_after_notify_accepted_does_not_send_twice` for the at-least-once window).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time
import uuid
from collections import Counter

import pytest
import requests

from tests.faults import processes
from tests.support.notify_stub import NotifyStub

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not processes.postgres_available(), reason="needs PostgreSQL on 127.0.0.1:5432"),
]

SLUG = "kill-test"
POINTS = 2

SETUP = """
from candour.organisations import services as org
from candour.organisations.models import Kind, Nation
from candour.organisations.roles import Role
from candour.accounts.models import User
from candour.complaints.management.commands.issue_api_token import issue_token
o = org.create_organisation(actor=None, slug="kill-test", name="Kill Test Agency", kind=Kind.DEPARTMENT,
                            nation=Nation.ENGLAND, accepts_complaints=True)
u = User.objects.create_user(username="kill.manager", password="a-long-test-password-123")
org.add_membership(actor=None, user=u, organisation=o, role=Role.COMPLAINTS_MANAGER)
"""


class SlowNotify(NotifyStub):
    """Notify that records an accepted e-mail, then takes `delay` seconds to answer: a kill in that window is a
    worker dying after Notify accepted but before Candour recorded the send."""

    delay = 0.0

    def _respond(self, method, path, headers, raw):
        status, response = super()._respond(method, path, headers, raw)
        return status, response

    def _handle(self, http):
        super_handle = NotifyStub._handle
        if self.delay and http.command == "POST":
            original = http.send_response

            def delayed(*args, **kwargs):
                time.sleep(self.delay)
                return original(*args, **kwargs)

            http.send_response = delayed
        return super_handle(self, http)


def submission_key(raw: str) -> str:
    return hashlib.sha256(f"public:{SLUG}:{raw}".encode()).hexdigest()


class Rig:
    """The database, Notify, gunicorn and the worker for one test."""

    def __init__(self, tmp_path, database_url: str, notify: NotifyStub):
        self.port = processes.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "candour.settings",
            "DATABASE_URL": database_url,
            "CANDOUR_VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": "faults-" + uuid.uuid4().hex * 2,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GOVUK_NOTIFY_API_KEY": notify.api_key,
            "GOVUK_NOTIFY_BASE_URL": notify.base_url,
            "GOVUK_NOTIFY_EMAIL_TEMPLATE_ID": notify.template_id,
            "CANDOUR_API_INTAKE_RATE": "100000/min",
            "LOG_LEVEL": "ERROR",
        }
        processes.manage(self.env, "migrate", "--no-input", timeout=180)
        processes.manage(self.env, "shell", "-c", SETUP)
        self.token = processes.manage(self.env, "issue_api_token", "kill.manager").strip()
        self.web = processes.gunicorn(self.env, tmp_path, self.port)
        self.worker = processes.db_worker(self.env, tmp_path)
        self.lock = threading.Lock()

    def start(self):
        self.web.start()
        self.worker.start()

    def stop(self):
        self.web.stop()
        self.worker.stop()

    def crash_and_restart(self, which=("web", "worker")):
        with self.lock:
            for name in which:
                getattr(self, name).kill()
            time.sleep(random.uniform(0.05, 0.3))
            for name in which:
                getattr(self, name).start()


def request_until_answered(method, url, *, deadline, **kwargs) -> requests.Response | None:
    """A real client: on a connection error or a 5xx, wait a moment and send the same request again."""
    while time.monotonic() < deadline:
        try:
            response = requests.request(method, url, timeout=10, **kwargs)
        except requests.RequestException:
            time.sleep(0.2)
            continue
        if response.status_code >= 500:
            time.sleep(0.2)
            continue
        return response
    return None


def chaos(rig: Rig, stop: threading.Event, kills: int, which=("web", "worker"), gap=(0.6, 1.4)) -> None:
    for _ in range(kills):
        if stop.wait(random.uniform(*gap)):
            return
        rig.crash_and_restart(which)


def submit_all(rig: Rig, keys: list[str], results: dict, deadline: float) -> None:
    for raw in keys:
        body = {
            "description": f"Complaint {raw}: my payment went missing.",
            "complainant_name": "Test Person",
            "complainant_email": f"person+{raw[:8]}@example.com",
            "points": [{"summary": f"Point {n}"} for n in range(1, POINTS + 1)],
        }
        response = request_until_answered(
            "POST",
            f"{rig.base}/api/v1/organisations/{SLUG}/complaints",
            json=body,
            headers={"Idempotency-Key": raw},
            deadline=deadline,
        )
        results[raw] = (response.status_code, response.json()) if response is not None else (None, None)


def acknowledge_all(rig: Rig, references: list[str], results: dict, deadline: float) -> None:
    for reference in references:
        response = request_until_answered(
            "POST",
            f"{rig.base}/api/v1/complaints/{reference}/transitions",
            json={"transition": "acknowledge"},
            headers={"Authorization": f"Token {rig.token}"},
            deadline=deadline,
        )
        # 409 after a retry means the first attempt was committed before its answer was lost.
        results[reference] = response.status_code if response is not None else None


def run_threads(targets) -> None:
    threads = [threading.Thread(target=t, args=a, daemon=True) for t, a in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=150)
    assert not any(t.is_alive() for t in threads), "a client thread did not finish in time"


def query(dbname: str, sql: str, *params):
    import psycopg

    with psycopg.connect(dbname=dbname, **processes.PG) as conn:
        return conn.execute(sql, params).fetchall()


def outbox_pending(dbname: str) -> dict:
    rows = query(dbname, "SELECT status, count(*) FROM notifications_message WHERE status <> 'sent' GROUP BY status")
    return dict(rows)


def wait_for(condition, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return condition()


def drain_outbox(rig: Rig, dbname: str, timeout: float = 30) -> int:
    """Let the worker send everything. A message whose task died with a worker stays 'sending' until its lease
    (`STALE_AFTER`, 15 minutes) expires and the retry sweep enqueues it again: let that time pass by moving
    the lease into the past, then run the real sweep. Returns how many messages needed the sweep."""
    if wait_for(lambda: not outbox_pending(dbname), timeout=6):
        return 0
    stuck = sum(outbox_pending(dbname).values())
    query_write(
        dbname,
        "UPDATE notifications_message SET next_attempt_at = now() - interval '1 second' "
        "WHERE status <> 'sent' AND next_attempt_at IS NOT NULL",
    )
    processes.manage(rig.env, "run_scheduled", "--only", "notifications.retry", "--force")
    assert wait_for(lambda: not outbox_pending(dbname), timeout=timeout), f"not drained: {outbox_pending(dbname)}"
    return stuck


def query_write(dbname: str, sql: str, *params) -> None:
    import psycopg

    with psycopg.connect(dbname=dbname, autocommit=True, **processes.PG) as conn:
        conn.execute(sql, params)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """(rig, database name, Notify stand-in), shared by this module's tests: migrating takes a while."""
    tmp_path = tmp_path_factory.mktemp("kill")
    with processes.scratch_postgres() as (dbname, url), SlowNotify() as notify:
        rig = Rig(tmp_path, url, notify)
        rig.start()
        try:
            yield rig, dbname, notify
        finally:
            rig.stop()


def test_killing_the_web_server_and_worker_loses_no_complaint_and_sends_each_acknowledgement(stack, tmp_path):
    random.seed(11)
    rig, dbname, notify = stack
    notify.delay = 0.15
    notify.requests.clear()
    before = query(dbname, "SELECT count(*) FROM complaints_complaint")[0][0]
    clients = [[f"{c}-{uuid.uuid4()}" for _ in range(6)] for c in range(5)]
    submitted: dict = {}
    stop = threading.Event()
    deadline = time.monotonic() + 120
    kill_thread = threading.Thread(target=chaos, args=(rig, stop, 3, ("web", "worker"), (0.4, 0.9)), daemon=True)
    kill_thread.start()
    run_threads([(submit_all, (rig, keys, submitted, deadline)) for keys in clients])
    stop.set()
    kill_thread.join(timeout=60)
    web_kills = rig.web.kills

    all_keys = [k for keys in clients for k in keys]
    assert all(submitted[k][0] in (200, 201) for k in all_keys), {
        k: v[0] for k, v in submitted.items() if v[0] not in (200, 201)
    }

    # Stored exactly once per idempotency key, and nothing nobody sent.
    everything = query(dbname, "SELECT submission_key, reference, id FROM complaints_complaint")
    expected_keys = {submission_key(k) for k in all_keys}
    rows = [row for row in everything if row[0] in expected_keys]
    by_key = Counter(key for key, _, _ in rows)
    assert len(everything) == before + len(all_keys), "a complaint was stored that no client submitted"
    assert all(by_key[submission_key(k)] == 1 for k in all_keys)
    reference_of = {key: ref for key, ref, _ in rows}
    for raw in all_keys:
        assert submitted[raw][1]["reference"] == reference_of[submission_key(raw)]

    # Nothing half-written: points, the receive transition and the audit event are there for each.
    ids = [pk for _, _, pk in rows]
    points = dict(query(dbname, "SELECT complaint_id, count(*) FROM complaints_pointofcomplaint GROUP BY 1"))
    receives = dict(
        query(
            dbname,
            "SELECT complaint_id, count(*) FROM complaints_stagetransition WHERE transition='receive' GROUP BY 1",
        )
    )
    created = dict(
        query(
            dbname,
            "SELECT object_id, count(*) FROM audit_auditevent "
            "WHERE object_type='complaints.complaint' AND verb='created' GROUP BY 1",
        )
    )
    for pk in ids:
        assert points.get(pk) == POINTS and receives.get(pk) == 1 and created.get(str(pk)) == 1, pk

    # Acknowledge every complaint through the staff API while the worker (and web) keep dying.
    references = sorted(reference_of.values())
    acknowledged: dict = {}
    stop = threading.Event()
    kill_thread = threading.Thread(target=chaos, args=(rig, stop, 3, ("web", "worker"), (0.4, 0.9)), daemon=True)
    kill_thread.start()
    halves = [references[i::3] for i in range(3)]
    run_threads([(acknowledge_all, (rig, part, acknowledged, time.monotonic() + 120)) for part in halves])
    stop.set()
    kill_thread.join(timeout=60)
    assert all(acknowledged[r] in (200, 409) for r in references), acknowledged
    statuses = Counter(
        status for (status,) in query(dbname, "SELECT status FROM complaints_complaint WHERE id = ANY(%s)", ids)
    )
    assert statuses == {"acknowledged": len(references)}

    swept = drain_outbox(rig, dbname)
    messages = query(
        dbname,
        "SELECT idempotency_key, status, attempts FROM notifications_message WHERE template='acknowledgement'",
    )
    keys = Counter(key for key, _, _ in messages)
    expected = {f"complaint:{pk}:acknowledgement" for pk in ids}
    assert set(keys) == expected and all(n == 1 for n in keys.values())

    at_notify = Counter(
        r.body["reference"] for r in notify.sent if str(r.body.get("reference", "")).endswith(":acknowledgement")
    )
    assert set(at_notify) == expected, "an acknowledgement never reached Notify"
    duplicates = {key: n for key, n in at_notify.items() if n > 1}
    report = {
        "complaints": len(ids),
        "web_kills": rig.web.kills,
        "worker_kills": rig.worker.kills,
        "web_kills_during_submission": web_kills,
        "messages_stuck_until_lease_expired": swept,
        "retried_sends": sum(1 for _, _, attempts in messages if attempts > 1),
        "duplicates_at_notify": duplicates,
    }
    print("no-lost-complaints:", json.dumps(report))
    (tmp_path / "report.json").write_text(json.dumps(report))
    assert not duplicates, f"acknowledgements sent more than once: {duplicates}"


def test_a_worker_killed_after_notify_accepted_does_not_send_twice(stack):
    """The at-least-once window: Notify accepts the e-mail, then the worker dies before recording it. When the
    lease expires the message is sent again unless the worker first asks Notify whether it already has it."""
    rig, dbname, notify = stack
    raw = f"window-{uuid.uuid4()}"
    submitted, acknowledged = {}, {}
    submit_all(rig, [raw], submitted, time.monotonic() + 30)
    reference = submitted[raw][1]["reference"]
    (pk,) = query(dbname, "SELECT id FROM complaints_complaint WHERE reference = %s", reference)[0]
    key = f"complaint:{pk}:acknowledgement"

    notify.delay = 5  # Notify records the e-mail, then takes 5 seconds to answer
    acknowledge_all(rig, [reference], acknowledged, time.monotonic() + 30)
    assert acknowledged[reference] == 200
    assert wait_for(lambda: any(r.body.get("reference") == key for r in notify.sent), timeout=20)
    rig.worker.kill()  # after Notify accepted, before Candour recorded it
    notify.delay = 0
    rig.worker.start()
    assert query(dbname, "SELECT status FROM notifications_message WHERE idempotency_key = %s", key) == [("sending",)]

    assert drain_outbox(rig, dbname) == 1
    sent_to_notify = [r for r in notify.sent if r.body.get("reference") == key]
    print("at-least-once window:", len(sent_to_notify), "e-mail(s) accepted by Notify")
    assert len(sent_to_notify) == 1
    assert query(dbname, "SELECT status, attempts FROM notifications_message WHERE idempotency_key = %s", key) == [
        ("sent", 2)
    ]
