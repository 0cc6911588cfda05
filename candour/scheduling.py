"""Periodic sweeps. Apps register a function here; `manage.py run_scheduled` runs those that are due.

Run `manage.py run_scheduled` from cron (or a systemd timer) every few minutes; each sweep records when
it last ran, so running the command more often than needed is harmless.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sweep:
    name: str
    every: datetime.timedelta
    function: Callable[[], object]


REGISTRY: dict[str, Sweep] = {}


def sweep(name: str, *, every: datetime.timedelta):
    """Decorator: register `function` to run at most once per `every`."""

    def register(function):
        REGISTRY[name] = Sweep(name=name, every=every, function=function)
        return function

    return register


DAILY = datetime.timedelta(days=1)
HOURLY = datetime.timedelta(hours=1)
WEEKLY = datetime.timedelta(weeks=1)
