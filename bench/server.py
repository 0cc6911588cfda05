"""Start Candour under gunicorn on loopback for the HTTP benchmarks and the load test; read worker memory."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    database_url: str, workers: int = 2, env: dict | None = None, log_path: Path | None = None, threads: int = 1
):
    """Yield (base_url, master pid). Bound to 127.0.0.1 only; stopped (by its pid) on exit."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        # All load comes from one loopback address: lift the per-address intake throttle for the run.
        "CANDOUR_API_INTAKE_RATE": "1000000/min",
        "AXES_FAILURE_LIMIT": "100000",
        # Keep database connections between requests, as production does (CANDOUR_ENV=production).
        "DATABASE_CONN_MAX_AGE": "60",
        **(env or {}),
    }
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    log = open(log_path or os.devnull, "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [gunicorn_bin, "candour.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--timeout", "60", "--access-logfile", "-"],
        cwd=ROOT, env=environment, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310 - our own loopback server
                break
            except Exception:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start (see {log_path})") from None
                time.sleep(0.3)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def worker_pids(master_pid: int) -> list[int]:
    path = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a process in MB (`VmHWM` for its peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_rss(master_pid: int) -> dict[int, dict[str, float]]:
    return {pid: {"rss": rss_mb(pid), "peak": rss_mb(pid, "VmHWM")} for pid in worker_pids(master_pid)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (/proc/<pid>/stat), 0 if it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pids(database: str) -> list[int]:
    """PostgreSQL server processes serving `database` (a local server: same machine, readable /proc)."""
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows]
