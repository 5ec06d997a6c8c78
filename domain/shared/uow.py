"""The unit of work port: handlers change aggregates inside it and only `commit()` makes it last.

Each context declares the repositories its handlers reach as Protocols, and a unit of work that carries
them (`domain/<context>/ports.py`, e.g. `PlanningUnitOfWork`); `infrastructure/unit_of_work.py` implements
them all on one SQLAlchemy session, `tests/unit/fakes/` in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, Self, TypeVar

from domain.shared.events import DomainEvent

T = TypeVar("T")

# What a caller expected the resource to be (an HTTP If-Match, checked by the edge against the
# representation it would show): a handler calls it with the resource it loaded, or None when there is
# none, before it changes anything; it raises to refuse.
Expectation = Callable[[Any], None]


def no_expectation(_current: object) -> None:
    """Nothing expected: any current state will do."""


class Repository(Protocol[T]):
    """What every repository offers: find by id, add, remove."""

    async def get(self, entity_id: str) -> T | None: ...

    def add(self, entity: T) -> None: ...

    async def delete(self, entity: T) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: rolls back on exit unless committed; events recorded in it reach the outbox."""

    actor: str | None

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    def record(self, event: DomainEvent) -> None:
        """Raise an event that belongs to no loaded aggregate (a deletion, a time-caused change)."""

    def audit(self, action: str, resource_type: str, resource_id: str | None, **after: Any) -> None:
        """Log something that is no change of an audited aggregate (a security event, a sensitive read)."""

    async def flush(self) -> None:
        """Write what is pending without committing (ids and constraints checked now)."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def side_by_side(self, *reads: Callable[[Self], Awaitable[Any]]) -> list[Any]:
        """The results of `reads` in order, the first read on this unit: at the same time, each other on a
        read unit of its own, where the store serves reads at once; else one after the other on this one."""
        ...
