"""The event feed (事件流) as a use case: committed events after a position, in commit order."""

from __future__ import annotations

from domain.integration.ports import FeedRow, IntegrationUnitOfWork


async def read_feed(
    *, after: tuple[int, int] | None, types: list[str] | None, limit: int, uow: IntegrationUnitOfWork
) -> list[FeedRow]:
    """Up to `limit` events committed after the position (from the first when None), of the `types` asked
    (every type when None or empty)."""
    return await uow.events.read(after=after, types=types, limit=limit)
