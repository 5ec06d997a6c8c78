"""The first data set, from the plan itself (`gaoxin seed`): idempotent loaders over data/*.yaml."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.ext.asyncio import async_sessionmaker

DATA = Path(__file__).resolve().parent / "data"

# Each loader adds what is missing and reports how many records it wrote; run in order.
Seeder = Callable[[async_sessionmaker], Awaitable[int]]


def _seeders() -> list[tuple[str, Seeder]]:
    from infrastructure.seed import chains, cultivation, planning

    # Order matters: chains link the registry's enterprises.
    return [("planning", planning.seed), ("cultivation", cultivation.seed), ("chains", chains.seed)]


async def seed_all(session_factory: async_sessionmaker) -> dict[str, int]:
    """Run every seeder; a second run writes nothing."""
    return {name: await seeder(session_factory) for name, seeder in _seeders()}
