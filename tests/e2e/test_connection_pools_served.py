"""`gaoxin serve` keeps the PostgreSQL connections bursts of readers open: bursts wider than its pool size
come and go, and every connection they made stays open for the next (no server process started per burst)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tests.e2e.conftest import signed_in
from tests.e2e.served import Served, served_env

SERVER_BACKENDS = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


async def backends_while(database_url: str, running: asyncio.Future) -> set[int]:
    """Every server process connected to the database at some look while `running` runs, and after."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    seen: set[int] = set()
    try:
        async with engine.connect() as connection:
            while True:
                seen |= set((await connection.execute(text(SERVER_BACKENDS))).scalars())
                if running.done():
                    return seen
                await asyncio.sleep(0.005)
    finally:
        await engine.dispose()


async def test_bursts_wider_than_the_pool_open_no_connection_after_the_first(tmp_path, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server processes to count")
    served = Served.serve(served_env(database_url, db_pool_size="2"), tmp_path / "serve.log")
    await served.start()
    try:
        async with signed_in(served) as http:
            made = await http.post("/api/v1/enterprises", json={"name": "鞍山连接池科技有限公司"})
            assert made.status_code == 201, made.text
            url = f"/api/v1/enterprises/{made.json()['id']}"

            async def burst() -> None:
                for _ in range(10):
                    answers = await asyncio.gather(*(http.get(url) for _ in range(12)))
                    assert {a.status_code for a in answers} == {200}, served.output()

            bursts = asyncio.gather(*(burst() for _ in range(4)))
            seen = await backends_while(database_url, bursts)
            await bursts
            # every connection seen is still there: none was closed on its way back to the pool (the
            # server's own background work, the sweep and the relay, may have opened others since)
            assert seen <= await backends_while(database_url, bursts)
            assert len(seen) > 2 + 1  # the bursts went wider than a pool (and the listener)
    finally:
        code = await served.stop()
    assert code == 0, served.output()
