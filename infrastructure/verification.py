"""`gaoxin verify`: every stored derivation recomputed from the source records, each difference in words.

CHECKS is the registry: each check opens its own read transaction on the session factory and returns the
differences it found for `today` (none: the stored values are what the domain computes from the records).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.planning.handlers.rollups import rollup_differences
from domain.planning.handlers.year_ends import year_end_rows_differences
from infrastructure.stored_tiers import tier_differences
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

Check = Callable[[async_sessionmaker, date], Awaitable[list[str]]]


async def task_rollup_differences(session_factory: async_sessionmaker, today: date) -> list[str]:
    """The stored task roll-ups computed for today against each plan's tree recomputed."""
    async with SqlAlchemyUnitOfWork(session_factory, write=False) as uow:
        return await rollup_differences(today, uow=uow)


async def task_year_end_differences(session_factory: async_sessionmaker, today: date) -> list[str]:
    """The stored year-end rows against each plan's tree replayed for their day."""
    async with SqlAlchemyUnitOfWork(session_factory, write=False) as uow:
        return await year_end_rows_differences(today, uow=uow)


CHECKS: list[Check] = [task_rollup_differences, task_year_end_differences, tier_differences]


async def differences(session_factory: async_sessionmaker, today: date) -> list[str]:
    """What every check found, in the registry's order."""
    found: list[str] = []
    for check in CHECKS:
        found += await check(session_factory, today)
    return found
