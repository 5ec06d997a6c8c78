"""Ports of the integration context: the repositories its handlers reach, and the units of work carrying them.

Two kinds of use case live here. Webhooks and the event feed reach this context's own repositories
(`IntegrationUnitOfWork`). The ledgers (台账) reach planning's and cultivation's: `LedgerUnitOfWork` names
cultivation's unit of work with the few planning methods the importers and exports call themselves (under
the unit of work's own attribute names); the rows then go through those contexts' own handlers with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol

from domain.chains.chains import Chain
from domain.chains.ports import ChainsUnitOfWork
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.ports import CultivationUnitOfWork, RegistryReaderPort
from domain.identity.accounts import Department
from domain.integration.deliveries import Delivery
from domain.integration.webhooks import Webhook
from domain.planning.indicators import Indicator, Observation
from domain.planning.plan import Plan
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.progress import TaskRecord
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task, Transition
from domain.planning.workflow import ExtensionRequest
from domain.shared.uow import Repository, UnitOfWork

# --- webhooks and the event feed -------------------------------------------------------------------------


class WebhookRepositoryPort(Repository[Webhook], Protocol):
    async def list_page(self, *, after: str | None, limit: int) -> list[Webhook]:
        """limit + 1 endpoints after the keyset position `after`, in id order."""


class DeliveryRepositoryPort(Repository[Delivery], Protocol):
    async def replay(self, webhook: Webhook, *, after: tuple[int, int], now: datetime) -> int:
        """Deliveries, due now, of the wanted events committed between the feed position `after` and the
        endpoint's start; how many."""

    async def of_webhook(self, webhook_id: str, *, after: str | None, limit: int) -> list[Delivery]:
        """limit + 1 deliveries of the endpoint after the keyset position `after`, in id order."""


class FeedRow(Protocol):
    """One committed event as the feed holds it: its place (`txid`, `id`) and what happened."""

    id: int
    txid: int
    event_id: str
    type: str
    occurred_at: datetime
    subject_type: str
    subject_id: str
    data: dict[str, Any]


class EventFeedPort(Protocol):
    async def subscription_start(self) -> tuple[int, str | None]:
        """Where a new subscription starts: the last outbox row, or (on PostgreSQL) a snapshot."""

    async def read(
        self, *, after: tuple[int, int] | None, types: list[str] | None, limit: int
    ) -> list[FeedRow]:
        """Up to `limit` committed events after the position, of the `types` (all when None), in order."""


class IntegrationUnitOfWork(UnitOfWork, Protocol):
    """The unit of work of the webhook and feed handlers."""

    webhooks: WebhookRepositoryPort
    deliveries: DeliveryRepositoryPort
    events: EventFeedPort


# --- the ledgers: what imports and exports read in planning and cultivation ------------------------------


class LedgerPlans(Repository[Plan], Protocol):
    """Plans, found by id (the plan a ledger's rows belong to)."""


class LedgerTasks(Repository[Task], Protocol):
    async def of_plans(self, plan_ids: Collection[str]) -> list[Task]: ...

    async def records_of_plans(self, plan_ids: Collection[str]) -> list[TaskRecord]: ...


class LedgerTransitions(Repository[Transition], Protocol):
    async def of_plan(self, plan_id: str) -> dict[str, list[Transition]]:
        """Each task's moves, in the order they took effect."""


class LedgerProgressReports(Repository[ProgressReport], Protocol):
    async def of_plan(self, plan_id: str) -> list[ProgressReport]:
        """Every report of the plan's tasks in the order filed."""

    async def latest_per_task(self, plan_ids: Collection[str]) -> list[ProgressReport]: ...


class LedgerIndicators(Repository[Indicator], Protocol):
    async def of_plan(self, plan_id: str) -> list[Indicator]: ...


class LedgerObservations(Repository[Observation], Protocol):
    async def of_indicators(self, indicator_ids: Collection[str], *, until_year: int) -> list[Observation]:
        """The indicators' observations of every year up to `until_year`."""


class LedgerRegistry(RegistryReaderPort, Protocol):
    """The registry in batches, as cultivation reads it, or as the entities an export writes."""

    def in_batches(
        self, size: int, *, read: Callable[..., Awaitable[list[Any]]] | None = None
    ) -> AsyncIterator[tuple[list[Any], Mapping[str, Any]]]:
        """The registry `size` enterprises at a time (as `read(after=…, limit=…)` gives them, else as
        facts), each batch with its certifications by enterprise id."""


class LedgerUnitOfWork(CultivationUnitOfWork, Protocol):
    """The unit of work of an import or an export. A row also hands it to the handlers of the context it
    writes (create_task, observe, register_enterprise, put_metrics …): they reach what their ports say."""

    plans: LedgerPlans
    tasks: LedgerTasks
    task_transitions: LedgerTransitions
    progress_reports: LedgerProgressReports
    indicators: LedgerIndicators
    observations: LedgerObservations
    registry: LedgerRegistry


class LedgerLookupsPort(Protocol):
    """The bulk reads a sheet needs: the records its rows name in a few queries, never one per row."""

    async def departments(self) -> list[Department]: ...

    async def enterprises_by_keys(self, codes: Collection[str], names: Collection[str]) -> list[Enterprise]:
        """Every enterprise with one of the credit codes or one of the names."""

    async def metrics_of(self, enterprise_ids: Collection[str]) -> list[AnnualMetrics]: ...

    async def all_enterprises(self) -> list[Enterprise]: ...

    async def enterprises_after(self, *, after: str | None, limit: int) -> list[Enterprise]:
        """The next `limit` enterprises in id order after the id `after` (from the first when None)."""

    async def all_metrics(self) -> list[AnnualMetrics]: ...

    async def extension_requests_of_plan(self, plan_id: str) -> list[ExtensionRequest]: ...


class RowUnits(Protocol):
    """The port that runs one row: a savepoint, and a unit of work whose `commit()` only flushes.

    `touched` are the existing records the row may change: a refused row leaves them as they were.
    A deferred row runs without a savepoint, its writes held until `flush()` writes the batch in one:
    True when written, False when the database refused the batch (which then left nothing).
    """

    def row(self, touched: list[Any]) -> AbstractAsyncContextManager[LedgerUnitOfWork]: ...

    def deferred(self) -> AbstractAsyncContextManager[LedgerUnitOfWork]: ...

    async def flush(self) -> bool: ...


class DashboardReads(Protocol):
    """The few look-ups across contexts of the park brain's reads."""

    async def current_plan(self, year: int) -> Plan | None:
        """The plan running in `year`, else the latest that started before it."""

    async def all_chains(self) -> list[Chain]: ...


class ParkUnitOfWork(PlanningUnitOfWork, CultivationUnitOfWork, ChainsUnitOfWork, Protocol):
    """What the dashboard reads through: every context's repositories and the cross-context look-ups."""

    dashboard: DashboardReads
