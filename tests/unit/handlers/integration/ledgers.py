"""What the ledger handlers reach of planning and cultivation, in memory, and a savepoint per row.

The ledgers go through other contexts' repositories (domain/integration/ports.py, `LedgerUnitOfWork`).
Cultivation's and identity's are the FakeUnitOfWork's own; planning's (until its fakes are on main) and
the registry read as the export reads it are set here, for the ledger tests only, with the orderings of the
real ones that the ledgers rely on (moves and reports in the order made and filed, indicators by code).
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.identity.accounts import Department
from domain.planning.indicators import Indicator, Observation
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task, Transition
from domain.planning.workflow import ExtensionRequest
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes.base import FakeRepository


class Plans(FakeRepository):
    pass


class Tasks(FakeRepository):
    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self.department_ids: set[str] = set()  # the departments that exist

    async def children_of(self, task_id: str) -> list[Task]:
        return self.where(lambda t: t.parent_id == task_id)

    async def by_code(self, plan_id: str, code: str) -> Task | None:
        found = self.where(lambda t: t.plan_id == plan_id and t.code == code)
        return found[0] if found else None

    async def unknown_departments(self, ids: Collection[str]) -> set[str]:
        return set(ids) - self.department_ids

    async def of_plans(self, plan_ids: Collection[str]) -> list[Task]:
        return self.where(lambda t: t.plan_id in plan_ids)

    async def records_of_plans(self, plan_ids: Collection[str]) -> list[Task]:
        return self.where(lambda t: t.plan_id in plan_ids)  # read by attribute, as the records are

    def ids_of_plan(self, plan_id: str) -> list[str]:
        return [t.id for t in self.items.values() if t.plan_id == plan_id]


class Transitions(FakeRepository):
    """Moves in the order they were made (insertion order, as the real ones by `seq`)."""

    async def last_of(self, task_id: str) -> Transition | None:
        moves = [m for m in self.items.values() if m.task_id == task_id]
        return self._seen(moves[-1]) if moves else None

    async def of_plan(self, plan_id: str) -> dict[str, list[Transition]]:
        tasks = {t.id for t in self.uow.tasks.items.values() if t.plan_id == plan_id}
        moves: dict[str, list[Transition]] = {}
        for move in self.items.values():
            if move.task_id in tasks:
                moves.setdefault(move.task_id, []).append(self._seen(move))
        return moves


class Reports(FakeRepository):
    def _of_plan(self, plan_ids: Collection[str]) -> list[ProgressReport]:
        tasks = {t.id for t in self.uow.tasks.items.values() if t.plan_id in plan_ids}
        found = [r for r in self.items.values() if r.task_id in tasks]
        return self._all(sorted(found, key=lambda r: (r.filed_at, r.id)))

    async def of_plan(self, plan_id: str) -> list[ProgressReport]:
        return self._of_plan([plan_id])

    async def latest_per_task(self, plan_ids: Collection[str]) -> list[ProgressReport]:
        latest: dict[str, ProgressReport] = {}
        for report in self._of_plan(plan_ids):
            if not report.returned:
                kept = latest.get(report.task_id)
                if kept is None or (report.period, report.filed_at) >= (kept.period, kept.filed_at):
                    latest[report.task_id] = report
        return list(latest.values())

    async def latest_records(self, *, plan_ids: Collection[str], as_of: date | None) -> list[ProgressReport]:
        """Today's latest reports (the ledger tests read no past day's)."""
        assert as_of is None, "a past day's reports are the planning ring's to fake"
        return await self.latest_per_task(plan_ids)


class Indicators(FakeRepository):
    async def unknown_in_plan(self, plan_id: str, ids: Collection[str]) -> set[str]:
        return set(ids) - {i.id for i in self.items.values() if i.plan_id == plan_id}

    async def of_plan(self, plan_id: str) -> list[Indicator]:
        return sorted(self.where(lambda i: i.plan_id == plan_id), key=lambda i: i.code)


class Observations(FakeRepository):
    async def of_year(self, indicator_id: str, year: int) -> Observation | None:
        found = self.where(lambda o: o.indicator_id == indicator_id and o.year == year)
        return found[0] if found else None

    async def of_indicators(self, indicator_ids: Collection[str], *, until_year: int) -> list[Observation]:
        return self.where(lambda o: o.indicator_id in indicator_ids and o.year <= until_year)


class LiveIndicators:
    """Indicators 8–11 counted from the registry: none counted here (the cultivation ring counts them)."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def remembered(self) -> list[Any]:
        return []

    async def tally(self, year: int) -> tuple[dict[int, int], dict[int, int]]:
        return {}, {}


class Registry:
    """The registry a batch at a time, each with its certifications (as the real reader gives them)."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def remembered(self) -> list[Any]:
        return []

    async def in_batches(
        self, size: int, *, read: Callable[..., Awaitable[list[Any]]] | None = None
    ) -> AsyncIterator[tuple[list[Any], dict[str, list[Certification]]]]:
        assert read is not None, "the ledgers read the registry's entities"
        after = None
        while enterprises := await read(after=after, limit=size):
            certifications: dict[str, list[Certification]] = {}
            for enterprise in enterprises:
                certifications[enterprise.id] = await self.uow.certifications.of_enterprise(enterprise.id)
            yield enterprises, certifications
            if len(enterprises) < size:
                return
            after = enterprises[-1].id


class Lookups:
    """The ledgers' bulk reads (LedgerLookupsPort) over the unit's repositories; `departments` given."""

    def __init__(self, uow: Any, departments: list[Department] | None = None) -> None:
        self.uow = uow
        self._departments = departments or []
        self.extension_requests: list[ExtensionRequest] = []

    async def departments(self) -> list[Department]:
        return list(self._departments)

    async def enterprises_by_keys(self, codes: Collection[str], names: Collection[str]) -> list[Enterprise]:
        return self.uow.enterprises.where(lambda e: e.credit_code in codes or e.name in names)

    async def metrics_of(self, enterprise_ids: Collection[str]) -> list[AnnualMetrics]:
        return [m for m in self.uow.annual_metrics.items.values() if m.enterprise_id in enterprise_ids]

    async def all_enterprises(self) -> list[Enterprise]:
        return self.uow.enterprises.where(lambda _e: True)

    async def enterprises_after(self, *, after: str | None, limit: int) -> list[Enterprise]:
        return [e for e in await self.all_enterprises() if after is None or e.id > after][:limit]

    async def all_metrics(self) -> list[AnnualMetrics]:
        records = self.uow.annual_metrics.items.values()
        return sorted(records, key=lambda m: (m.enterprise_id, m.year))

    async def extension_requests_of_plan(self, plan_id: str) -> list[ExtensionRequest]:
        return list(self.extension_requests)


class RowUnit:
    """One row's unit: the import's repositories; `commit()` only flushes (the import commits once)."""

    def __init__(self, parent: FakeUnitOfWork) -> None:
        self._parent = parent
        for name in ("plans", "tasks", "task_transitions", "progress_reports", "indicators", "observations"):
            setattr(self, name, getattr(parent, name))
        for name in ("enterprises", "certifications", "annual_metrics", "pool_memberships", "registry"):
            setattr(self, name, getattr(parent, name))
        self.users = parent.users

    @property
    def actor(self) -> str | None:
        return self._parent.actor

    def record(self, event: Any) -> None:
        self._parent.record(event)

    def audit(self, action: str, resource_type: str, resource_id: str | None, **after: Any) -> None:
        self._parent.audit(action, resource_type, resource_id, **after)

    async def flush(self) -> None:
        await self._parent.flush()

    async def commit(self) -> None:
        await self._parent.flush()


class SavepointRows:
    """The RowUnits port in memory: a refused row leaves every repository and the records it touched as
    they were (the savepoint's rollback); deferred rows run straight away, and `flush()` always succeeds."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow
        self.rows = 0

    @asynccontextmanager
    async def row(self, touched: list[Any]) -> AsyncIterator[RowUnit]:
        self.rows += 1
        stored = [(r, dict(r.items), dict(r.seen)) for r in self.uow._repositories if hasattr(r, "items")]
        records = [(obj, copy.deepcopy(vars(obj))) for obj in touched if obj is not None]
        recorded = len(self.uow._recorded)
        try:
            yield RowUnit(self.uow)
        except BaseException:
            for repository, items, seen in stored:
                repository.items, repository.seen = items, seen
            for obj, state in records:
                vars(obj).clear()
                vars(obj).update(state)
            del self.uow._recorded[recorded:]
            raise

    @asynccontextmanager
    async def deferred(self) -> AsyncIterator[RowUnit]:
        async with self.row([]) as unit:
            yield unit

    async def flush(self) -> bool:
        return True


LEDGER_REPOSITORIES = {
    "plans": Plans,
    "tasks": Tasks,
    "task_transitions": Transitions,
    "progress_reports": Reports,
    "indicators": Indicators,
    "observations": Observations,
    "registry": Registry,
    "live_indicators": LiveIndicators,
}


def ledger_unit(*, actor: str = "planner") -> FakeUnitOfWork:
    """A FakeUnitOfWork with, beside its own, planning's repositories and the registry as ledgers read it."""
    uow = FakeUnitOfWork(actor=actor)
    for name, kind in LEDGER_REPOSITORIES.items():
        setattr(uow, name, uow._repository(kind))
    return uow
