"""The unit of work: nothing lasts without commit(); events reach the outbox in the same transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domain.shared.events import DomainEvent
from infrastructure.db.tables.outbox import outbox
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork


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
