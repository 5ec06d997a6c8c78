"""The shared repository: get by id, add, delete, keyset pages ordered by id — and what it handed out.

A repository remembers every aggregate it returns or is given (`seen`), so that the unit of work can collect
the events those aggregates raised, and keeps them alive until it does (the session's identity map holds an
unchanged object only weakly). Queries that return aggregates go through `_one` and `_all`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Select, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.events import RecordsEvents

T = TypeVar("T")
READ_UNIT = "gaoxin.read_unit"  # session.info key: set on the session of a unit of work that writes nothing
_READ_ONCE = "gaoxin.read_once"


def share_read_once(session: AsyncSession, with_session: AsyncSession) -> None:
    """Let a read unit's side unit (`side_by_side`) answer `_once` from the same memo, both ways: what one
    read counted the other need not count again (a request's reads see the same registry)."""
    session.info[_READ_ONCE] = with_session.info.setdefault(_READ_ONCE, {})


def detached(entity: type, values: dict[str, Any]) -> Any:
    """An entity built from a row's values as the ORM builds a loaded one (no __init__, no events), but in
    no session: for reads that change nothing, without the identity map's cost."""
    found = inspect(entity).class_manager.new_instance()
    found.__dict__.update(values)
    return found


class Reader:
    """Queries on one session; the aggregates it hands out are remembered (`seen`)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.seen: dict[int, RecordsEvents] = {}

    async def _once(self, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
        """`read()`, answered once per read unit of work: a unit that writes nothing cannot change the
        answer, so a second handler asking the same (the evaluation counts the registry on 31 December for
        its indicators and again for its tier pyramid) gets the first answer. A write unit reads each time."""
        info = self.session.info
        if not info.get(READ_UNIT):
            return await read()
        memo = info.setdefault(_READ_ONCE, {})
        if key not in memo:
            memo[key] = await read()
        return memo[key]

    def _seen(self, found: Any) -> Any:
        if isinstance(found, RecordsEvents):
            self.seen[id(found)] = found
        return found

    async def _one(self, statement: Any) -> Any:
        """The first entity the statement selects (or None), remembered."""
        return self._seen(await self.session.scalar(statement))

    async def _all(self, statement: Any) -> list[Any]:
        """Every entity the statement selects, remembered."""
        return [self._seen(found) for found in await self.session.scalars(statement)]

    def remembered(self) -> Iterable[RecordsEvents]:
        return self.seen.values()


class Repository(Reader):
    """One aggregate type; subclasses add the queries their context needs."""

    entity: ClassVar[type]
    # While set (an import's deferred rows), what is added waits here for the batch instead of the session.
    holding: list[Any] | None = None

    async def get(self, entity_id: str) -> Any | None:
        return self._seen(await self.session.get(self.entity, entity_id))

    def add(self, entity: Any) -> None:
        self._seen(entity)
        if self.holding is not None:
            self.holding.append(entity)
        else:
            self.session.add(entity)

    async def delete(self, entity: Any) -> None:
        await self.session.delete(entity)

    async def page(self, statement: Select, *, after: str | None, limit: int) -> list[Any]:
        """limit + 1 entities after the keyset position, so the caller knows whether another page exists."""
        key = self.entity.id
        if after is not None:
            statement = statement.where(key > after)
        return await self._all(statement.order_by(key).limit(limit + 1))

    async def list_page(self, *, after: str | None, limit: int) -> list[Any]:
        """A page of every entity, in id (creation) order."""
        return await self.page(select(self.entity), after=after, limit=limit)
