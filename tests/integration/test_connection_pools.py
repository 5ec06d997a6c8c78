"""A burst of requests wider than `db_pool_size` keeps the connections it opened: the next burst reuses
them instead of opening new ones (a new PostgreSQL backend is a server process and a connection's set-up
each time), and no pool ever holds more than twice `db_pool_size`."""

from __future__ import annotations

import asyncio

from sqlalchemy import event, text

from infrastructure.db.engine import make_engine, make_session_factory, read_engine
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import make_settings

POOL_SIZE = 2


async def _burst(session_factory, *, write: bool, wide: int) -> None:
    async def one() -> None:
        async with SqlAlchemyUnitOfWork(session_factory, write=write) as uow:
            await uow.session.execute(text("SELECT 1"))
            await asyncio.sleep(0.05)  # every unit holds its connection while the others check theirs out

    await asyncio.gather(*(one() for _ in range(wide)))


async def test_a_burst_wider_than_the_pool_size_keeps_its_connections_for_the_next(database_url):
    engine = make_engine(make_settings(database_url, db_pool_size=POOL_SIZE))
    engines = [e for e in (engine, read_engine(engine)) if e is not None]
    opened = [0]

    def count(*_args) -> None:
        opened[0] += 1

    for each in engines:
        event.listen(each.sync_engine, "connect", count)
    session_factory = make_session_factory(engine)
    wide = 2 * POOL_SIZE
    try:
        for write in (False, True):
            await _burst(session_factory, write=write, wide=wide)
            first = opened[0]
            for _ in range(3):
                await _burst(session_factory, write=write, wide=wide)
            assert opened[0] == first, f"write={write}: {opened[0] - first} connections opened again"
        for each in engines:
            assert each.sync_engine.pool.checkedin() <= 2 * POOL_SIZE
    finally:
        await engine.dispose()
