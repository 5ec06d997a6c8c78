"""An in-memory repository: entities by id, the same keyset pages as the real ones, and what it handed out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from domain.shared.events import RecordsEvents


class FakeRepository:
    """Entities by id; every entity returned or added is remembered (`seen`) for the unit's commit."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.items: dict[str, Any] = {}
        self.seen: dict[int, Any] = {}

    def _seen(self, found: Any) -> Any:
        if isinstance(found, RecordsEvents):
            self.seen[id(found)] = found
        return found

    def _all(self, found: Iterable[Any]) -> list[Any]:
        return [self._seen(entity) for entity in found]

    def where(self, keep: Callable[[Any], bool]) -> list[Any]:
        """Every entity `keep` accepts, in id order, remembered."""
        return self._all(sorted((e for e in self.items.values() if keep(e)), key=lambda e: e.id))

    def remembered(self) -> Iterable[Any]:
        return self.seen.values()

    async def get(self, entity_id: str) -> Any | None:
        return self._seen(self.items.get(entity_id))

    def add(self, entity: Any) -> None:
        self.items[entity.id] = self._seen(entity)

    async def delete(self, entity: Any) -> None:
        self.items.pop(entity.id, None)

    async def page_where(self, keep: Callable[[Any], bool], *, after: str | None, limit: int) -> list[Any]:
        """limit + 1 entities after the keyset position, as the real repositories page."""
        return [e for e in self.where(keep) if after is None or e.id > after][: limit + 1]

    async def list_page(self, *, after: str | None, limit: int) -> list[Any]:
        return await self.page_where(lambda _e: True, after=after, limit=limit)
