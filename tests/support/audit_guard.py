"""Test-only: a connection on which the audit log's append-only triggers do not fire.

That is what the table's owner or a superuser can do; the tests need it for their clean-up (every table
emptied after each test) and to play an attacker with that power. The application never does this.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from infrastructure.db import append_only


@asynccontextmanager
async def past_the_audit_guard(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One transaction in which audit_log may be updated, deleted from and (PostgreSQL) truncated."""
    async with engine.begin() as connection:
        present: list[str] = []
        if connection.dialect.name == "sqlite":
            # The triggers go for this transaction only and come back from the migration's own definition.
            found = await connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            present = [name for (name,) in found if name in append_only.SQLITE_TRIGGERS]
            for name in present:
                await connection.execute(text(f"DROP TRIGGER {name}"))
        else:  # a superuser's session in which no ordinary trigger fires (the test server's role is one)
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
        yield connection
        for name in present:
            await connection.execute(text(append_only.SQLITE_TRIGGERS[name]))
