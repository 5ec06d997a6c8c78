"""The unit of work port: handlers change aggregates inside it and only `commit()` makes it last."""

from __future__ import annotations

from typing import Any, Protocol, Self

from domain.shared.events import DomainEvent


class UnitOfWork(Protocol):
    """One transaction: rolls back on exit unless committed; events recorded in it reach the outbox."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    def record(self, event: DomainEvent) -> None:
        """Raise an event that belongs to no loaded aggregate (a deletion, say)."""

    def audit(self, action: str, resource_type: str, resource_id: str | None, **after: Any) -> None:
        """Log, at commit, what is no change of an audited aggregate (a security event, a sensitive read)."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
