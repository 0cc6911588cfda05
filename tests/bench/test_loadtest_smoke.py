"""`make loadtest` keeps working: a few seconds of load, then every accepted submission is found exactly once."""

import json

import pytest

from tests.bench.conftest import SMOKE_SIZE

pytestmark = pytest.mark.slow


def test_a_few_seconds_of_load_store_every_accepted_submission_once(smoke_database, run_module):
    result = run_module(
        "loadtest.run", *SMOKE_SIZE, "--server", smoke_database["server"], "--database", smoke_database["database"],
        "--complainants", "4", "--staff", "2", "--duration", "10s", "--spawn-rate", "10", "--output", "-",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "work queue" in out and "/staff/sign-in/" in out
    assert "PASS < 250 MB" in out
    summary = json.loads(out.split("submissions: ", 1)[1].splitlines()[0])
    assert summary["ok"] and summary["missing"] == 0 and summary["stored_more_than_once"] == 0
    sign_in = next(line for line in out.splitlines() if line.startswith("POST /staff/sign-in/"))
    assert " 0.00% " in sign_in  # every colleague could sign in
