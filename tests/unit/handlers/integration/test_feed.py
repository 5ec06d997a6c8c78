"""The event feed through the unit of work in memory: commit order, positions, types, limits."""

from __future__ import annotations

from domain.integration.handlers.feed import read_feed
from tests.unit.fakes import FakeUnitOfWork


async def test_the_feed_reads_in_commit_order_after_a_position():
    uow = FakeUnitOfWork()
    late = uow.events.commit_event("task.created", txid=9)  # its transaction committed last
    first = uow.events.commit_event("indicator.observed", txid=2)
    second = uow.events.commit_event("task.created", txid=3)
    assert await read_feed(after=None, types=None, limit=10, uow=uow) == [first, second, late]
    assert await read_feed(after=(first.txid, first.id), types=None, limit=10, uow=uow) == [second, late]
    assert await read_feed(after=None, types=None, limit=1, uow=uow) == [first]


async def test_the_feed_keeps_the_types_asked_and_every_type_without():
    uow = FakeUnitOfWork()
    plan = uow.events.commit_event("indicator.observed")
    task = uow.events.commit_event("task.created")
    assert await read_feed(after=None, types=["task.created"], limit=10, uow=uow) == [task]
    assert await read_feed(after=None, types=[], limit=10, uow=uow) == [plan, task]
    assert uow.commits == 0  # a read commits nothing
