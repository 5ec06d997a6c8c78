"""Domain events (领域事件) and the recorder aggregates use to raise them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that happened, named in the past tense (`task.status_changed`)."""

    type: str
    subject_type: str
    subject_id: str
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class RecordsEvents:
    """Mixin for aggregates: events wait here until the unit of work writes them to the outbox.

    The list is created lazily because the ORM builds loaded objects without calling __init__.
    """

    def record_event(self, event: DomainEvent) -> None:
        pending = self.__dict__.setdefault("_pending_events", [])
        pending.append(event)

    def pull_events(self) -> list[DomainEvent]:
        pending = self.__dict__.get("_pending_events") or []
        self.__dict__["_pending_events"] = []
        return list(pending)
