"""Test databases: a temporary SQLite file, or a fresh PostgreSQL database beside GAOXIN_TEST_DATABASE_URL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from infrastructure.db.metadata import metadata
from tests.support.audit_guard import past_the_audit_guard

POSTGRES_URL = os.environ.get("GAOXIN_TEST_DATABASE_URL")


def backend() -> str:
    return "postgresql" if POSTGRES_URL else "sqlite"


@asynccontextmanager
async def fresh_database(tmp_dir: Path, label: str = "test") -> AsyncIterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards."""
    if not POSTGRES_URL:
        yield f"sqlite+aiosqlite:///{tmp_dir / f'{label}-{uuid.uuid4().hex[:8]}.db'}"
        return
    server = make_url(POSTGRES_URL)
    name = f"gaoxin_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def empty_tables(application) -> None:
    """Each test starts from an empty (migrated) database; committed rows from this one are removed —
    the append-only audit log too, past its guard (test-only)."""
    async with past_the_audit_guard(application.state.engine) as connection:
        names = [t.name for t in reversed(metadata.sorted_tables)]
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                await connection.execute(text(f"DELETE FROM {name}"))
