"""`python -m loadtest.run` (make loadtest): locust against gunicorn (2 workers) and PostgreSQL on loopback.

Uses the benchmark data set (generated if missing), runs 200 complainants and 50 staff (by default) for a
bounded duration, prints error rate and p50/p95 per endpoint, then checks that every submission locust saw
accepted is stored exactly once. Exit status 1 if any is missing or stored twice.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_SECONDS = 30 * 60


def seconds(text: str) -> int:
    match = re.fullmatch(r"(\d+)\s*([smh]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError("a duration like 90s, 5m or 1h")
    value = int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if not 1 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"between 1 second and {MAX_SECONDS // 60} minutes")
    return value


def build_plan(run: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.urls import Resolver404, resolve

    from candour.complaints.models import Complaint
    from candour.complaints.states import OPEN_STATES
    from candour.organisations.models import Membership, Organisation
    from candour.organisations.roles import Role
    from candour.synthetic.generator import SYNTHETIC_PASSWORD

    try:
        resolve("/staff/complaints/")
        queue_path, case_path = "/staff/complaints/?tab=all", "/staff/complaints/{reference}/"
    except Resolver404:
        queue_path, case_path = "/staff/", None
    orgs = list(Organisation.objects.filter(slug__startswith="syn-", accepts_complaints=True).order_by("id"))
    staff = list(
        Membership.objects.filter(organisation__in=orgs, role__in=[Role.COMPLAINTS_MANAGER, Role.COMPLAINT_HANDLER])
        .select_related("user", "organisation")
        .order_by("id")
    )
    references = {}
    for membership in staff:
        references[membership.user.username] = list(
            Complaint.objects.filter(organisation=membership.organisation, status__in=list(OPEN_STATES))
            .order_by("response_due", "id")
            .values_list("reference", flat=True)[:20]
        )
    get_user_model()  # settings loaded
    return {
        "run": run,
        "target": "api",  # the public JSON API (locustfile.TARGETS; a public-form target can be added)
        "organisations": [o.slug for o in orgs],
        "staff": sorted(references),
        "references": references,
        "password": SYNTHETIC_PASSWORD,
        "queue_path": queue_path,
        "case_path": case_path,
    }


def read_stats(prefix: str) -> list[dict]:
    path = Path(prefix + "_stats.csv")
    if not path.exists():
        return []
    rows = []
    with path.open() as f:
        for row in csv.DictReader(f):
            requests, failures = int(row["Request Count"]), int(row["Failure Count"])
            rows.append({
                "endpoint": f"{row['Type']} {row['Name']}".strip(),
                "requests": requests,
                "failures": failures,
                "error_rate": failures / requests if requests else 0.0,
                "p50": row["50%"],
                "p95": row["95%"],
                "rps": float(row["Requests/s"]),
            })  # fmt: skip
    return rows


def verify(run: str, accepted_path: Path) -> dict:
    """Every key locust saw accepted is stored exactly once, and retries returned the same reference."""
    from django.db import connection

    seen: dict[str, set[str]] = {}
    if accepted_path.exists():
        for line in accepted_path.read_text().splitlines():
            entry = json.loads(line)
            seen.setdefault(entry["key"], set()).add(entry["reference"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substring(description from %s), count(*), min(reference) FROM complaints_complaint "
            "WHERE description LIKE %s GROUP BY 1",
            [rf"\[loadtest {run} (\w+)\]", f"%[loadtest {run} %"],
        )
        stored = {key: (count, reference) for key, count, reference in cursor.fetchall()}
    missing = [k for k in seen if k not in stored]
    twice = [k for k, (count, _ref) in stored.items() if count != 1]
    mismatched = [k for k, refs in seen.items() if len(refs) != 1 or (k in stored and stored[k][1] not in refs)]
    unacknowledged = [k for k in stored if k not in seen]
    return {
        "accepted": len(seen),
        "stored": len(stored),
        "missing": len(missing),
        "stored_more_than_once": len(twice),
        "retry_reference_mismatch": len(mismatched),
        "stored_but_not_seen_accepted": len(unacknowledged),
        "ok": not missing and not twice and not mismatched,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=25)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="candour_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--complainants", type=int, default=200)
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--duration", type=seconds, default=300, help="e.g. 90s, 5m (at most 30m)")
    parser.add_argument("--spawn-rate", type=float, default=25)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"), help="'-' for none.")
    args = parser.parse_args(argv)

    from bench import server
    from bench.run import ensure_database, generate_dataset

    state = ensure_database(args)
    database_url = f"{args.server.rstrip('/')}/{args.database}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "candour.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if state == "new":
        generate_dataset(args)
    run = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
    plan = build_plan(run)
    work = Path(tempfile.mkdtemp(prefix="candour-loadtest-"))
    (work / "plan.json").write_text(json.dumps(plan))
    accepted = work / "accepted.jsonl"
    prefix = str(work / "locust")
    print(f"Load test {run}: {args.complainants} complainants (target {plan['target']}), {args.staff} staff "
          f"(queue {plan['queue_path']}), {args.duration}s; files in {work}")  # fmt: skip
    with server.gunicorn(database_url, workers=args.workers, log_path=work / "gunicorn.log") as (base, pid):
        env = {**os.environ, "LOADTEST_PLAN": str(work / "plan.json"), "LOADTEST_ACCEPTED": str(accepted),
               "LOADTEST_COMPLAINANTS": str(args.complainants), "LOADTEST_STAFF": str(args.staff)}  # fmt: skip
        locust = str(Path(sys.executable).with_name("locust"))
        command = [locust, "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless", "--host", base,
                   "-u", str(args.complainants + args.staff), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
                   "--csv", prefix, "--only-summary", "--stop-timeout", "10", "--exit-code-on-error", "0"]  # fmt: skip
        subprocess.run(command, env=env, cwd=ROOT, timeout=args.duration + 120, check=False,
                       stdout=open(work / "locust.log", "w"), stderr=subprocess.STDOUT)  # noqa: SIM115
        memory = server.workers_rss(pid)
    stats = read_stats(prefix)
    result = verify(run, accepted)
    lines = [f"{'endpoint':58} {'requests':>8} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6}"]
    for row in stats:
        lines.append(f"{row['endpoint'][:58]:58} {row['requests']:>8} {row['error_rate']:>7.2%} {row['p50']:>7} "
                     f"{row['p95']:>7} {row['rps']:>6.1f}")  # fmt: skip
    peak = max((m["peak"] for m in memory.values()), default=0.0)
    now = ", ".join(f"{m['rss']:.0f} MB" for m in memory.values())
    lines.append(f"web worker RSS after the run: {now}; "
                 f"peak {peak:.0f} MB ({'PASS' if peak < 250 else 'FAIL'} < 250 MB)")  # fmt: skip
    lines.append(f"submissions: {json.dumps(result)}")
    print("\n".join(lines))
    if args.output != "-":
        from bench.run import HEADER, machine

        path = Path(args.output)
        if not path.exists():
            path.write_text(HEADER)
        with path.open("a") as f:
            f.write(f"\n## Load test run {datetime.datetime.now():%Y-%m-%d %H:%M}\n\n- Machine: {machine()}\n"
                    f"- {args.complainants} complainants (target: {plan['target']}), {args.staff} staff (queue: "
                    f"{plan['queue_path']}), {args.duration}s, gunicorn {args.workers} workers, data "
                    f"{args.complaints:,} complaints\n\n```\n" + "\n".join(lines) + "\n```\n")  # fmt: skip
    return 0 if result["ok"] and stats else 1


if __name__ == "__main__":
    sys.exit(main())
