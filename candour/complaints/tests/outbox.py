"""The e-mails queued during a test, read from the notifications outbox.

Until the notifications app is installed, a stand-in `candour.notifications.services` module records the
calls with the same signature and behaviour (one message per idempotency key; an invalid address raises),
so the complaint side can be tested. Once it is installed, the real outbox (`Message` rows) is read.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


@dataclass
class Queued:
    to: str
    template: str
    language: str
    key: str
    text: str


def notifications_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("candour.notifications")


class StandInOutbox:
    def __init__(self):
        self.messages: dict[str, Queued] = {}

    def queue_email(self, *, to, template, context, language="en", organisation=None, obj=None, idempotency_key,
                    actor=None):  # fmt: skip
        if not idempotency_key:
            raise ValueError("queue_email needs an idempotency_key")
        if idempotency_key in self.messages:
            return self.messages[idempotency_key]
        validate_email(to)
        text = "\n".join(str(v) for v in context.values() if not isinstance(v, list))
        text += "\n" + "\n".join(str(p) for v in context.values() if isinstance(v, list) for p in v)
        self.messages[idempotency_key] = Queued(to, template, language, idempotency_key, text)
        return self.messages[idempotency_key]

    def all(self) -> list[Queued]:
        return list(self.messages.values())


class RealOutbox:
    def all(self) -> list[Queued]:
        from candour.notifications.models import Message

        return [
            Queued(m.recipient, m.template, m.language, m.idempotency_key, m.subject + "\n" + m.body_text)
            for m in Message.objects.order_by("id")
        ]


def install(monkeypatch):
    if notifications_installed():
        return RealOutbox()
    outbox = StandInOutbox()
    package = types.ModuleType("candour.notifications")
    module = types.ModuleType("candour.notifications.services")
    module.queue_email = outbox.queue_email
    package.services = module
    monkeypatch.setitem(sys.modules, "candour.notifications", package)
    monkeypatch.setitem(sys.modules, "candour.notifications.services", module)
    return outbox


__all__ = ["Queued", "ValidationError", "install", "notifications_installed"]
