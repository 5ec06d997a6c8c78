"""The SQLite engine's driver: one hop to aiosqlite's thread per statement, and every row still comes back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from unittest import mock

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure.db.engine import PREFETCH_ROWS, make_engine
from tests.conftest import make_settings

ROWS = PREFETCH_ROWS * 3 + 7  # more than one hop's worth, and not a multiple of it
NUMBERS = f"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {ROWS}) SELECT x FROM n"


@pytest.fixture
async def engine(tmp_path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}"))
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield engine
    await engine.dispose()


class Hops:
    """Counts the calls aiosqlite queues to a connection's thread."""

    def __init__(self) -> None:
        self.n = 0

    def __enter__(self) -> Hops:
        original = aiosqlite.Connection._execute

        async def counted(connection, fn, *args, **kwargs):
            self.n += 1
            return await original(connection, fn, *args, **kwargs)

        self._patch = mock.patch.object(aiosqlite.Connection, "_execute", counted)
        self._patch.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._patch.stop()


async def test_a_read_statement_costs_one_hop_to_the_connections_thread(engine):
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))  # BEGIN and the first statement
        with Hops() as hops:
            for key in range(5):
                row = (await connection.execute(text("SELECT :key AS k"), {"key": key})).one()
                assert row.k == key
        assert hops.n == 5


async def test_a_result_longer_than_one_hop_comes_back_whole(engine):
    async with engine.connect() as connection:
        assert [x for (x,) in (await connection.execute(text(NUMBERS))).all()] == list(range(1, ROWS + 1))
        streamed = await connection.stream(text(NUMBERS))  # a server-side cursor: fetchmany in chunks
        assert [x async for (x,) in streamed] == list(range(1, ROWS + 1))
        first = await connection.stream(text(NUMBERS))
        assert (await first.fetchone()) == (1,)
        assert len(await first.fetchmany(PREFETCH_ROWS + 1)) == PREFETCH_ROWS + 1
        assert len(await first.fetchall()) == ROWS - PREFETCH_ROWS - 2


async def test_writes_many_rows_and_errors_still_reach_the_caller(engine):
    async with engine.begin() as connection:
        names = [{"name": f"thing {n}"} for n in range(ROWS)]
        await connection.execute(text("INSERT INTO things (name) VALUES (:name)"), names)
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO things (name) VALUES ('thing 1')"))
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM things"))).scalar_one() == ROWS


async def test_a_request_cancelled_mid_statement_leaves_the_pool_usable(engine):
    slow = NUMBERS.replace(f"x < {ROWS}", "x < 3000000").replace("SELECT x FROM n", "SELECT sum(x) FROM n")

    async def long_read() -> None:
        async with engine.connect() as connection:
            await connection.execute(text(slow))

    task = asyncio.create_task(long_read())
    await asyncio.sleep(0.05)  # the statement is running in the connection's thread
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with asyncio.timeout(30):  # every connection of the pool answers again, none hangs
        for _ in range(engine.pool.size() + 1):
            async with engine.connect() as connection:
                assert (await connection.execute(text("SELECT 41 + 1"))).scalar_one() == 42
