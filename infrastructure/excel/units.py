"""One unit of work for a whole import, one savepoint for each row in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from domain.shared.errors import Duplicate
from domain.shared.events import DomainEvent, RecordsEvents


class RowUnit:
    """The import's unit of work as one row's handler sees it: `commit()` only flushes (the import commits
    once, at the end), and events recorded directly wait until the row is through."""

    def __init__(self, uow) -> None:
        self._uow = uow
        self.events: list[DomainEvent] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)

    async def commit(self) -> None:
        await self._uow.session.flush()

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)


class SavepointRows:
    """The RowUnits port: each row in `async with session.begin_nested()`; a refused row leaves nothing."""

    def __init__(self, uow) -> None:
        self.uow = uow

    @asynccontextmanager
    async def row(self, touched: list[Any]) -> AsyncIterator[RowUnit]:
        """Run one row. On refusal the savepoint is rolled back, the `touched` records (which SQLAlchemy
        expires then) are read again, and the events the row raised on them are dropped."""
        touched = [obj for obj in touched if obj is not None]
        held = [(obj, obj.pull_events()) for obj in touched if isinstance(obj, RecordsEvents)]
        unit, through = RowUnit(self.uow), False
        try:
            async with self.uow.session.begin_nested():
                yield unit
            through = True
        except IntegrityError:
            # A unique constraint caught what the handler's own check could not see (a concurrent writer).
            raise Duplicate(
                "the row conflicts with data written at the same time", "该行与同时写入的数据冲突"
            ) from None
        finally:
            for obj, before in held:
                raised = obj.pull_events()
                for event in before + (raised if through else []):
                    obj.record_event(event)
            if through:
                for event in unit.events:
                    self.uow.record(event)
            else:
                for obj in touched:
                    if inspect(obj).persistent:
                        await self.uow.session.refresh(obj)
