"""The first data set, from the plan itself (`gaoxin seed`): idempotent loaders over data/*.yaml."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.ext.asyncio import async_sessionmaker

DATA = Path(__file__).resolve().parent / "data"

# Each loader adds what is missing and reports how many records it wrote; run in order.
Seeder = Callable[[async_sessionmaker], Awaitable[int]]
SEEDERS: list[tuple[str, Seeder]] = []


async def seed_all(session_factory: async_sessionmaker) -> dict[str, int]:
    """Run every seeder; a second run writes nothing."""
    return {name: await seeder(session_factory) for name, seeder in SEEDERS}
