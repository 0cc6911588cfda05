import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from candour import scheduling

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted_sweep(monkeypatch):
    calls = []
    monkeypatch.setattr(scheduling, "REGISTRY", {})
    scheduling.sweep("test-sweep", every=scheduling.DAILY)(lambda: calls.append(1) or f"run {len(calls)}")
    return calls


def test_a_sweep_runs_once_per_period_however_often_the_command_runs(counted_sweep):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        out = StringIO()
        call_command("run_scheduled", stdout=out)
        call_command("run_scheduled", stdout=out)
        assert counted_sweep == [1]
        assert "test-sweep: run 1" in out.getvalue()
    with time_machine.travel(datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC), tick=False):
        call_command("run_scheduled", stdout=StringIO())
    assert counted_sweep == [1, 1]
    call_command("run_scheduled", "--force", stdout=StringIO())
    assert len(counted_sweep) == 3


def test_list_names_the_sweeps(counted_sweep):
    out = StringIO()
    call_command("run_scheduled", "--list", stdout=out)
    assert "test-sweep: every 1 day" in out.getvalue()


def test_a_failing_sweep_does_not_stop_the_others_and_is_retried_next_run(monkeypatch):
    from django.core.management.base import CommandError

    calls = []
    monkeypatch.setattr(scheduling, "REGISTRY", {})

    def broken():
        calls.append("broken")
        raise RuntimeError("database hiccup")

    scheduling.sweep("a-broken", every=scheduling.DAILY)(broken)
    scheduling.sweep("b-fine", every=scheduling.DAILY)(lambda: calls.append("fine") or "ok")
    with pytest.raises(CommandError, match="a-broken"):
        call_command("run_scheduled", stdout=StringIO(), stderr=StringIO())
    assert calls == ["broken", "fine"]
    with pytest.raises(CommandError):
        call_command("run_scheduled", stdout=StringIO(), stderr=StringIO())
    assert calls == ["broken", "fine", "broken"]  # retried at once; the fine one is not due again


def test_permissions_are_registered_at_start_up():
    import rules

    assert rules.perm_exists("complaints.view")
