"""The e-mails queued during a test, read from the notifications outbox (`Message` rows)."""

from __future__ import annotations

from dataclasses import dataclass

from candour.notifications.models import Message


@dataclass
class Queued:
    to: str
    template: str
    language: str
    key: str
    text: str


class Outbox:
    def all(self) -> list[Queued]:
        return [
            Queued(m.recipient, m.template, m.language, m.idempotency_key, m.subject + "\n" + m.body_text)
            for m in Message.objects.order_by("id")
        ]
