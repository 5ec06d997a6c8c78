"""The SQLAlchemy unit of work: one session, one transaction, events to the outbox, audit beside them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Self

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.ids import new_id
from infrastructure.db.engine import SQLITE_WRITE
from infrastructure.db.tables.outbox import outbox

CommitHook = Callable[["SqlAlchemyUnitOfWork"], Any]


class SqlAlchemyUnitOfWork:
    """Rolls back unless `commit()` is called; repositories hang off it by name (`uow.tasks`)."""

    repositories: ClassVar[dict[str, Callable[[AsyncSession], Any]]] = {}
    # Writers that must run inside the transaction just before it commits (the audit log).
    before_commit_hooks: ClassVar[list[CommitHook]] = []

    def __init__(
        self,
        session_factory: async_sessionmaker,
        *,
        write: bool = True,
        actor: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self._session_factory = session_factory
        self.write = write
        self.actor = actor
        self.request_id = request_id
        self.session: AsyncSession
        self._events: list[DomainEvent] = []
        self._repos: dict[str, Any] = {}
        self.committed = False
        self.context: dict[str, Any] = {}

    @classmethod
    def register(cls, name: str, factory: Callable[[AsyncSession], Any]) -> None:
        cls.repositories[name] = factory

    def __getattr__(self, name: str) -> Any:
        factory = type(self).repositories.get(name)
        if factory is None:
            raise AttributeError(name)
        repo = self._repos.get(name)
        if repo is None:
            repo = self._repos[name] = factory(self.session)
        return repo

    async def __aenter__(self) -> Self:
        self.session = self._session_factory()
        if self.write and self.session.bind.dialect.name == "sqlite":
            await self.session.connection(execution_options={SQLITE_WRITE: True})
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            if not self.committed:
                await self.session.rollback()
        finally:
            await self.session.close()

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        await self.session.flush()
        await self._write_outbox()
        for hook in type(self).before_commit_hooks:
            await hook(self)
        await self.session.commit()
        self.committed = True

    async def rollback(self) -> None:
        await self.session.rollback()

    def collect_events(self) -> list[DomainEvent]:
        """Pull the events of every aggregate the session knows, and those recorded directly."""
        events = list(self._events)
        self._events.clear()
        for obj in list(self.session.identity_map.values()) + list(self.session.new):
            if isinstance(obj, RecordsEvents):
                events.extend(obj.pull_events())
        return events

    async def _write_outbox(self) -> None:
        events = self.collect_events()
        if not events:
            return
        txid = await self._transaction_id()
        await self.session.execute(
            insert(outbox),
            [
                {
                    "event_id": new_id(),
                    "txid": txid,
                    "type": e.type,
                    "subject_type": e.subject_type,
                    "subject_id": e.subject_id,
                    "data": e.data,
                    "occurred_at": e.occurred_at,
                }
                for e in events
            ],
        )

    async def _transaction_id(self) -> int:
        if self.session.bind.dialect.name != "postgresql":
            return 0
        return (await self.session.execute(text("SELECT pg_current_xact_id()::text::bigint"))).scalar_one()
