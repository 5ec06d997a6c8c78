"""The bulk reads the ledgers need: the records a sheet names, in a few queries, never one per row."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from sqlalchemy import select

from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.identity.accounts import Department
from domain.planning.tasks import Task
from domain.planning.workflow import ExtensionRequest

CHUNK = 1000  # bound parameters per IN list (asyncpg allows 32767, older SQLite 999)


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    items = sorted(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class LedgerLookups:
    """Reads over one session (the import's or the export's unit of work)."""

    def __init__(self, session) -> None:
        self.session = session

    async def departments(self) -> list[Department]:
        return list(await self.session.scalars(select(Department).order_by(Department.id)))

    async def enterprises_by_keys(self, codes: Collection[str], names: Collection[str]) -> list[Enterprise]:
        """Every enterprise with one of the credit codes or one of the names."""
        found: dict[str, Enterprise] = {}
        for column, values in ((Enterprise.credit_code, codes), (Enterprise.name, names)):
            for chunk in _chunks(values):
                for enterprise in await self.session.scalars(select(Enterprise).where(column.in_(chunk))):
                    found[enterprise.id] = enterprise
        return list(found.values())

    async def metrics_of(self, enterprise_ids: Collection[str]) -> list[AnnualMetrics]:
        found: list[AnnualMetrics] = []
        for chunk in _chunks(enterprise_ids):
            statement = select(AnnualMetrics).where(AnnualMetrics.enterprise_id.in_(chunk))
            found.extend(await self.session.scalars(statement))
        return found

    async def all_enterprises(self) -> list[Enterprise]:
        return list(await self.session.scalars(select(Enterprise).order_by(Enterprise.id)))

    async def enterprises_after(self, *, after: str | None, limit: int) -> list[Enterprise]:
        """The next `limit` enterprises in id order after the id `after` (from the first when None)."""
        statement = select(Enterprise).order_by(Enterprise.id).limit(limit)
        if after is not None:
            statement = statement.where(Enterprise.id > after)
        return list(await self.session.scalars(statement))

    async def all_metrics(self) -> list[AnnualMetrics]:
        statement = select(AnnualMetrics).order_by(AnnualMetrics.enterprise_id, AnnualMetrics.year)
        return list(await self.session.scalars(statement))

    async def extension_requests_of_plan(self, plan_id: str) -> list[ExtensionRequest]:
        statement = (
            select(ExtensionRequest)
            .join(Task, Task.id == ExtensionRequest.task_id)
            .where(Task.plan_id == plan_id)
            .order_by(ExtensionRequest.id)
        )
        return list(await self.session.scalars(statement))
