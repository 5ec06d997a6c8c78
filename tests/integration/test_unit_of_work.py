"""The unit of work: nothing lasts without commit(); events reach the outbox in the same transaction."""

from __future__ import annotations

import asyncio
import time
from contextlib import AsyncExitStack, nullcontext

import pytest
from sqlalchemy import func, select

from domain.shared.events import DomainEvent
from infrastructure.db.engine import read_engine
from infrastructure.db.tables.outbox import outbox
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork, side_by_side_room
from tests.support.statements import engines_of, statements_sent


def _event(n: int) -> DomainEvent:
    return DomainEvent(type="task.urged", subject_type="task", subject_id=f"t{n}", data={"n": n})


async def _outbox_rows(app) -> list:
    async with app.state.session_factory() as session:
        return (await session.execute(select(outbox).order_by(outbox.c.id))).all()


async def test_committed_events_are_in_the_outbox_in_order(app):
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        uow.record(_event(1))
        uow.record(_event(2))
        await uow.commit()
    rows = await _outbox_rows(app)
    assert [r.subject_id for r in rows] == ["t1", "t2"]
    assert rows[0].data == {"n": 1} and rows[0].occurred_at.tzinfo is not None
    assert len({r.event_id for r in rows}) == 2
    if app.state.engine.dialect.name == "postgresql":
        assert rows[0].txid == rows[1].txid > 0


async def test_without_commit_nothing_is_written(app):
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        uow.record(_event(1))
    assert await _outbox_rows(app) == []


async def test_an_error_inside_rolls_everything_back(app):
    with pytest.raises(RuntimeError):
        async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
            uow.record(_event(1))
            await uow.flush()
            raise RuntimeError("crash mid-request")
    async with app.state.session_factory() as session:
        assert (await session.execute(select(func.count()).select_from(outbox))).scalar_one() == 0


async def test_separate_transactions_get_increasing_transaction_ids_on_postgresql(app):
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: id order is commit order")
    for n in range(3):
        async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
            uow.record(_event(n))
            await uow.commit()
    txids = [r.txid for r in await _outbox_rows(app)]
    assert txids == sorted(txids) and len(set(txids)) == 3


async def _connection_and_wait(unit: SqlAlchemyUnitOfWork, seconds: float) -> tuple[str, float]:
    """Which connection the unit reads on, after a statement that takes `seconds` in the database."""
    postgresql = unit.session.bind.dialect.name == "postgresql"
    started = time.perf_counter()
    if postgresql:
        backend = await unit.session.scalar(select(func.pg_backend_pid()))
        await unit.session.execute(select(func.pg_sleep(seconds)))
    else:
        backend = id((await unit.session.connection()).sync_connection.connection.driver_connection)
        await asyncio.sleep(seconds)
    return str(backend), time.perf_counter() - started


async def test_reads_side_by_side_run_at_once_on_their_own_connections_on_postgresql(app):
    """A read unit on PostgreSQL runs the other reads on read units of their own, at the same time; on
    SQLite (one connection) they run on the unit itself, one after the other. The results come in order."""
    started = time.perf_counter()
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        results = await uow.side_by_side(
            *(lambda unit, n=n: _connection_and_wait(unit, 0.3 + n / 100) for n in range(3))
        )
    elapsed = time.perf_counter() - started
    backends = [backend for backend, _ in results]
    assert [round(waited, 2) >= 0.3 + n / 100 for n, (_, waited) in enumerate(results)] == [True] * 3
    if app.state.engine.dialect.name == "postgresql":
        assert len(set(backends)) == 3 and elapsed < 0.8
    else:
        assert len(set(backends)) == 1 and elapsed >= 0.93


async def test_a_failed_read_side_by_side_is_raised_after_the_others_end_and_no_connection_is_kept(app):
    ended: list[int] = []

    async def read(unit: SqlAlchemyUnitOfWork, n: int) -> int:
        await _connection_and_wait(unit, 0.2)
        if n == 1:
            raise LookupError("the second read failed")
        ended.append(n)
        return n

    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        with pytest.raises(LookupError, match="second read"):
            await uow.side_by_side(*(lambda unit, n=n: read(unit, n) for n in range(3)))
        # side by side every read ends before the failure is raised; one after the other, the rest never start
        assert sorted(ended) == ([0, 2] if app.state.engine.dialect.name == "postgresql" else [0])
    for engine in engines_of(app):
        assert engine.pool.checkedout() == 0


async def test_reads_wait_for_no_connection_a_busy_pool_cannot_give_they_run_one_after_the_other(app):
    """Side by side, a unit would hold its connection while it waits for others: with the read pool's idle
    connections taken (a burst of evaluations), the reads run on the unit itself instead of waiting."""
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs reads one after the other anyway")
    reads = read_engine(app.state.engine)
    pool = reads.sync_engine.pool
    async with (
        AsyncExitStack() as held,
        SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow,
    ):
        await uow.session.connection()
        room = side_by_side_room(pool)
        for _ in range(room - 2):  # one connection idle within the room of side by side: two are wanted
            await held.enter_async_context(reads.connect())
        assert pool.checkedout() == room - 1
        results = await uow.side_by_side(
            *(lambda unit, n=n: _connection_and_wait(unit, 0.05 + n / 100) for n in range(3))
        )
        assert len({backend for backend, _ in results}) == 1
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        results = await uow.side_by_side(
            *(lambda unit, n=n: _connection_and_wait(unit, 0.05 + n / 100) for n in range(3))
        )
    assert len({backend for backend, _ in results}) == 3  # idle again: side by side


async def test_what_a_read_counted_once_side_by_side_the_unit_does_not_count_again(app):
    """The evaluation's tally counts the registry on a side unit; its tier pyramid, later on the unit, finds
    the counts in the memo they share (`Reader._once`) instead of asking the database again."""

    async def active(unit: SqlAlchemyUnitOfWork) -> int:
        return await unit.stored_tiers.active_count()

    async def nothing(unit: SqlAlchemyUnitOfWork) -> None:
        await _connection_and_wait(unit, 0.01)

    with statements_sent(app) as seen:
        async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
            _, counted = await uow.side_by_side(nothing, active)
            assert await active(uow) == counted == 0
    assert len([s for s in seen if "count(*)" in s.lower() and "enterprises" in s]) == 1


@pytest.mark.parametrize(
    "ending",
    ["read nothing", "read", "read then raise", "write committed", "write rolled back", "write raised"],
)
async def test_however_a_unit_ends_it_keeps_no_connection(app, ending):
    """A unit closes its session only when the session began (it holds a connection or loaded objects): each
    way a unit can end gives every connection back, whatever it read or wrote."""
    write = ending.startswith("write")
    with (
        pytest.raises(LookupError) if ending.endswith("raise") or ending.endswith("raised") else nullcontext()
    ):
        async with SqlAlchemyUnitOfWork(app.state.session_factory, write=write) as uow:
            if ending != "read nothing":
                await uow.session.execute(select(func.count()).select_from(outbox))
            if write:
                uow.record(_event(7))
            if ending == "write committed":
                await uow.commit()
            if ending.endswith("raise") or ending.endswith("raised"):
                raise LookupError("the route failed")
        assert uow.session.in_transaction() is False
    for engine in engines_of(app):
        assert engine.pool.checkedout() == 0
    assert len(await _outbox_rows(app)) == (1 if ending == "write committed" else 0)
