"""The SQLAlchemy unit of work: one session, one transaction, events to the outbox, audit beside them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import event, insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from domain.identity.audit import AuditEntry
from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.ids import new_id
from infrastructure.audit import AuditRecorder, append_entries
from infrastructure.db.engine import new_session, transaction_id
from infrastructure.db.tables.outbox import outbox
from infrastructure.idempotency import mark_committed
from infrastructure.repositories import chains, cultivation, history, identity, integration, planning
from infrastructure.repositories.audit import AuditLogReader

REPOSITORIES: dict[str, type] = {
    **identity.REPOSITORIES,
    **planning.REPOSITORIES,
    **history.REPOSITORIES,
    **cultivation.REPOSITORIES,
    **chains.REPOSITORIES,
    **integration.REPOSITORIES,
    "audit_log": AuditLogReader,
}


# The identity map holds unchanged objects weakly: an aggregate whose only news is an event could be
# collected before commit. A unit of work holds every object its session loads or adds until it ends.
HELD = "gaoxin_held"


@event.listens_for(Session, "loaded_as_persistent")
@event.listens_for(Session, "transient_to_pending")
def _hold(session: Session, obj: Any) -> None:
    held = session.info.get(HELD)
    if held is not None:
        held.append(obj)


class SqlAlchemyUnitOfWork:
    """Rolls back unless `commit()` is called; repositories hang off it by name (`uow.users`).

    At commit it writes, in the same transaction: the events the aggregates raised (outbox) and an
    audit entry for every audited change.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker,
        *,
        write: bool = True,
        actor: str | Callable[[], str | None] | None = None,
        request_id: str | None = None,
        source: str | None = None,
    ) -> None:
        self._session_factory = session_factory
        self.write = write
        # The actor may be known only after authentication, which runs after the unit of work is made.
        self._actor = actor
        self.request_id = request_id
        self.source = source  # the caller's network address, which every audit entry of this unit carries
        self.session: AsyncSession
        self._events: list[DomainEvent] = []
        self._repos: dict[str, Any] = {}
        self.committed = False
        self.context: dict[str, Any] = {}

    @property
    def actor(self) -> str | None:
        return self._actor() if callable(self._actor) else self._actor

    @actor.setter
    def actor(self, value: str | None) -> None:
        self._actor = value

    def __getattr__(self, name: str) -> Any:
        factory = REPOSITORIES.get(name)
        if factory is None:
            raise AttributeError(name)
        repo = self._repos.get(name)
        if repo is None:
            repo = self._repos[name] = factory(self.session)
        return repo

    async def __aenter__(self) -> Self:
        self.session = new_session(self._session_factory, write=self.write)
        self._audit = AuditRecorder(self.session.sync_session)
        self._held: list[Any] = []
        self.session.sync_session.info[HELD] = self._held
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            if not self.committed:
                await self.session.rollback()
        finally:
            await self.session.close()

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    def audit(self, action: str, resource_type: str, resource_id: str | None, **after: Any) -> None:
        """Log something that is no change of an audited aggregate (a security event, a sensitive read)."""
        self._audit.extra.append(
            AuditEntry(
                datetime.now(UTC),
                self.actor,
                action,
                resource_type,
                resource_id,
                self.request_id,
                None,
                after or None,
                self.source,
            )
        )

    async def commit(self) -> None:
        await self.session.flush()
        await self._write_outbox()
        entries = self._audit.entries(
            at=datetime.now(UTC), actor=self.actor, request_id=self.request_id, source=self.source
        )
        await append_entries(self.session, entries)
        await mark_committed(self.session)
        await self.session.commit()
        self.committed = True

    async def rollback(self) -> None:
        await self.session.rollback()

    def collect_events(self) -> list[DomainEvent]:
        """Pull the events of every aggregate the session knows, and those recorded directly."""
        events = list(self._events)
        self._events.clear()
        seen: set[int] = set()
        for obj in [*self._held, *self.session.identity_map.values(), *self.session.new]:
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            # an object of a rolled-back savepoint (a refused import row) is transient again: no events
            if isinstance(obj, RecordsEvents) and (inspect(obj).persistent or inspect(obj).pending):
                events.extend(obj.pull_events())
        return sorted(events, key=lambda e: e.occurred_at)

    async def _write_outbox(self) -> None:
        events = self.collect_events()
        if not events:
            return
        txid = await transaction_id(self.session)
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
