"""One unit of work for a whole import, one savepoint for each row in it (or for each batch of new rows)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from domain.shared.errors import Duplicate
from domain.shared.events import DomainEvent, RecordsEvents
from infrastructure.repositories.base import Repository
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork


class RowUnit(SqlAlchemyUnitOfWork):
    """The import's unit of work as one row's handler sees it: the same session and repositories (what the
    row loads, the import's commit sees), but `commit()` only flushes — the import commits once, at the
    end — and events recorded directly wait until the row is through."""

    def __init__(self, parent: SqlAlchemyUnitOfWork) -> None:
        super().__init__(parent._session_factory, actor=parent.actor, request_id=parent.request_id)
        self.session = parent.session
        self.source = parent.source
        self._repositories = parent._repositories
        self._audit = parent._audit

    @property
    def events(self) -> list[DomainEvent]:
        return self._events

    async def commit(self) -> None:
        await self.session.flush()


class DeferredRowUnit(RowUnit):
    """A deferred row's unit: the records its handler adds are held (`added`), not added to the session
    (which would flush them when the batch's savepoint begins, outside it); `commit()` writes nothing."""

    def __init__(self, parent: SqlAlchemyUnitOfWork) -> None:
        super().__init__(parent)
        self.added: list[Any] = []

    def _repository(self, kind):
        repository = super()._repository(kind)
        if isinstance(repository, Repository):
            repository.holding = self.added
        return repository

    def release(self) -> None:
        """The row is through: the repositories add to the session again."""
        for repository in self._repositories.values():
            if isinstance(repository, Repository):
                repository.holding = None

    async def commit(self) -> None:
        return None


class SavepointRows:
    """The RowUnits port: each row in `async with session.begin_nested()`; a refused row leaves nothing.

    Deferred rows (new records only, each refused before it adds anything) hold what they add; `flush()`
    adds it to the session and writes it in one savepoint: a few statements for hundreds of rows.
    """

    def __init__(self, uow) -> None:
        self.uow = uow
        # What the deferred rows through so far added, and the events they recorded directly.
        self._records: list[Any] = []
        self._waiting: list[DomainEvent] = []

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

    @asynccontextmanager
    async def deferred(self) -> AsyncIterator[RowUnit]:
        """Run one deferred row: what it adds waits for `flush()`, unseen by reads until then."""
        unit = DeferredRowUnit(self.uow)
        try:
            yield unit
        finally:
            unit.release()
        # Only a row that got through: what a refused one added or recorded is dropped with its unit.
        self._records.extend(unit.added)
        self._waiting.extend(unit.events)

    async def flush(self) -> bool:
        """Write the deferred rows in one savepoint: True when written; False when a constraint refused
        the batch (a concurrent writer), which then left nothing and its rows must be run again one by one."""
        records, self._records = self._records, []
        waiting, self._waiting = self._waiting, []
        session = self.uow.session
        try:
            async with session.begin_nested():
                session.add_all(records)
                await session.flush()
        except IntegrityError:
            return False  # the savepoint's rollback expunged the new records, and their events with them
        for event in waiting:
            self.uow.record(event)
        return True
