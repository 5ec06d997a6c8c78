"""The integration context's repositories in memory (the ports of domain/integration/ports.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from domain.chains.chains import Chain
from domain.integration.deliveries import Delivery, DeliveryStatus
from domain.integration.evaluation_report import GrantedExtension
from domain.integration.webhooks import Webhook
from domain.planning.plan import Plan
from domain.planning.workflow import ExtensionStatus
from domain.shared.ids import new_id
from tests.unit.fakes.base import FakeRepository


class FakeWebhooks(FakeRepository):
    """Webhook endpoints by id (`list_page` is the base's keyset page)."""


@dataclass
class FeedEntry:
    """A committed event as the outbox holds it: its place in commit order (`txid`, `id`), its content."""

    id: int
    txid: int
    type: str
    subject_type: str = "task"
    subject_id: str = "t1"
    data: dict[str, Any] = field(default_factory=dict)
    event_id: str = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=lambda: datetime(2025, 3, 1, tzinfo=UTC))


class FakeEventFeed:
    """The outbox as the feed reads it: committed events in (txid, id) order; `commit_event` adds one."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.rows: list[FeedEntry] = []

    def remembered(self) -> list[Any]:
        return []

    def commit_event(self, event_type: str, *, txid: int | None = None, **content: Any) -> FeedEntry:
        """An event committed by another transaction (its own txid unless given)."""
        number = len(self.rows) + 1
        entry = FeedEntry(number, txid if txid is not None else number, event_type, **content)
        self.rows.append(entry)
        return entry

    async def subscription_start(self) -> tuple[int, str | None]:
        """As on SQLite: the newest row; the events after it are the new endpoint's."""
        return (self.rows[-1].id if self.rows else 0), None

    def after(self, position: tuple[int, int] | None) -> list[FeedEntry]:
        ordered = sorted(self.rows, key=lambda r: (r.txid, r.id))
        return [r for r in ordered if position is None or (r.txid, r.id) > position]

    async def read(
        self, *, after: tuple[int, int] | None, types: list[str] | None, limit: int
    ) -> list[FeedEntry]:
        return [r for r in self.after(after) if not types or r.type in types][:limit]


class FakeDeliveries(FakeRepository):
    """Deliveries by id; `replay` makes them from the unit's event feed as the real one from the outbox."""

    async def replay(self, webhook: Webhook, *, after: tuple[int, int], now: datetime) -> int:
        before_start = [entry for entry in self.uow.events.after(after) if entry.id <= webhook.start_row]
        wanted = [e for e in before_start if not webhook.event_types or e.type in webhook.event_types]
        for entry in wanted:
            self.add(
                Delivery(
                    webhook_id=webhook.id,
                    event_id=entry.event_id,
                    event_type=entry.type,
                    status=DeliveryStatus.PENDING,
                    next_attempt_at=now,
                )
            )
        return len(wanted)

    async def of_webhook(self, webhook_id: str, *, after: str | None, limit: int) -> list[Delivery]:
        return await self.page_where(lambda d: d.webhook_id == webhook_id, after=after, limit=limit)


class IntegrationRepositories:
    """Mixed into FakeUnitOfWork: `make_integration_repositories()` sets one attribute a repository port."""

    def make_integration_repositories(self) -> None:
        self.webhooks = self._repository(FakeWebhooks)
        self.deliveries = self._repository(FakeDeliveries)
        self.events = self._repository(FakeEventFeed)
        self.dashboard = FakeDashboardReader(self)
        self.evaluation_report = FakeEvaluationReportReader(self)


class FakeDashboardReader:
    """The dashboard's cross-context look-ups, read from the other contexts' fakes."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def current_plan(self, year: int) -> Plan | None:
        """The plan running in `year`, else the latest that started before it."""
        started = [p for p in self.uow.plans.items.values() if p.start_year <= year]
        return max(started, key=lambda p: (p.start_year, p.id), default=None)

    async def all_chains(self) -> list[Chain]:
        return sorted(self.uow.chains.items.values(), key=lambda c: c.id)


class FakeEvaluationReportReader:
    """The evaluation report's look-ups: approved extensions of a plan's tasks, department names."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def granted_extensions(self, plan_id: str) -> list[GrantedExtension]:
        tasks = {t.id for t in self.uow.tasks.items.values() if t.plan_id == plan_id}
        approved = [
            x
            for x in self.uow.extension_requests.items.values()
            if x.task_id in tasks and x.status is ExtensionStatus.APPROVED
        ]
        approved.sort(key=lambda x: (x.decided_at, x.id))
        return [GrantedExtension(x.id, x.task_id, x.new_due_date, x.decided_at, x.note) for x in approved]

    async def department_names(self) -> dict[str, str]:
        return {d.id: d.name for d in self.uow.departments.items.values()}
