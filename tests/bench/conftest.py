"""The smoke runs need PostgreSQL: they use a database of their own named after the test database
(`<name>_bench_smoke`), so they never touch the full benchmark data set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMOKE_SIZE = ["--complaints", "10000", "--organisations", "5", "--years", "2", "--seed", "3"]


@pytest.fixture(scope="session")
def smoke_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the benchmark and load-test smoke runs need PostgreSQL (DATABASE_URL)")
    server, _, name = url.rpartition("/")
    return {"server": server, "database": f"{name or 'candour'}_bench_smoke"}


@pytest.fixture
def run_module():
    def run(module, *args, timeout=120):
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        return subprocess.run(
            [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )

    return run
