"""The shared repository: get by id, add, delete, and keyset pages ordered by id."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession


class Repository:
    """One aggregate type; subclasses add the queries their context needs."""

    entity: ClassVar[type]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, entity_id: str) -> Any | None:
        return await self.session.get(self.entity, entity_id)

    def add(self, entity: Any) -> None:
        self.session.add(entity)

    async def delete(self, entity: Any) -> None:
        await self.session.delete(entity)

    async def page(self, statement: Select, *, after: str | None, limit: int) -> list[Any]:
        """limit + 1 entities after the keyset position, so the caller knows whether another page exists."""
        key = self.entity.id
        if after is not None:
            statement = statement.where(key > after)
        result = await self.session.scalars(statement.order_by(key).limit(limit + 1))
        return list(result)

    async def list_page(self, *, after: str | None, limit: int) -> list[Any]:
        """A page of every entity, in id (creation) order."""
        return await self.page(select(self.entity), after=after, limit=limit)
