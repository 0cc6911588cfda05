"""Real Candour processes for fault tests: gunicorn and db_worker as subprocesses against a scratch database.

Every process runs in its own session (process group) so `kill()` SIGKILLs the gunicorn master and its
workers together, as a power cut or the OOM killer would. Nothing here waits without a bound.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(dbname="postgres", connect_timeout=3, **PG):
            return True
    except Exception:
        return False


@contextmanager
def scratch_postgres(prefix: str = "test_faults_kill"):
    """A new, empty PostgreSQL database named test_faults_kill_<random>, dropped afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *args: str, timeout: float = 120, input: str | None = None) -> str:  # noqa: A002
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result.stdout


class Service:
    """One long-running process (with its children) that can be SIGKILLed and started again."""

    def __init__(self, name: str, argv: list[str], env: dict, log_dir: Path, ready_url: str | None = None):
        self.name, self.argv, self.env, self.ready_url = name, argv, env, ready_url
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.kills = 0

    def start(self, wait: float = 30) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.starts += 1
        if self.ready_url:
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited ({self.proc.returncode}): {self.log_tail()}")
                try:
                    with urllib.request.urlopen(self.ready_url, timeout=2):  # noqa: S310 - local test server
                        return
                except (urllib.error.URLError, OSError):
                    time.sleep(0.1)
            raise RuntimeError(f"{self.name} not ready after {wait}s: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group (gunicorn's master and workers die together)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.kills += 1
        self.proc = None

    def stop(self) -> None:
        """Graceful stop (SIGTERM), then SIGKILL if it does not go within 10 s."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def gunicorn(env: dict, log_dir: Path, port: int, workers: int = 2) -> Service:
    argv = [
        GUNICORN,
        "candour.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
    ]
    return Service("gunicorn", argv, env, log_dir, ready_url=f"http://127.0.0.1:{port}/api/v1/organisations")


def db_worker(env: dict, log_dir: Path) -> Service:
    argv = [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"]
    return Service("db_worker", argv, env, log_dir)
