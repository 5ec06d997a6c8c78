"""/metrics reads the relay's figures from one snapshot: a relay committing while they are read cannot
show a count without the change it counted (the e2e metrics test once saw a delivery counted as
delivered and still pending)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from infrastructure.db.engine import write_session
from infrastructure.db.tables.outbox import outbox
from infrastructure.outbox import monitor


class CommitsMidway:
    """A session whose first statement is followed by another transaction's commit."""

    def __init__(self, session, commit_other) -> None:
        self._session, self._commit_other, self._statements = session, commit_other, 0
        self.bind = session.bind

    async def connection(self, **options):
        return await self._session.connection(**options)

    async def execute(self, statement):
        result = await self._session.execute(statement)
        self._statements += 1
        if self._statements == 1:
            await self._commit_other()
        return result


async def test_the_figures_never_count_what_they_do_not_show(app):
    now = datetime.now(UTC)
    factory = app.state.session_factory

    async def a_relay_commits() -> None:
        # one transaction: an event waits, and a counter moves (as a relay's outcome and its count do)
        async with write_session(factory) as other:
            await other.execute(
                insert(outbox).values(
                    event_id="e" * 32,
                    type="task.created",
                    subject_type="task",
                    subject_id="t1",
                    data={},
                    occurred_at=now,
                )
            )
            await monitor.count(other, "attempts.delivered", now=now)

    async with factory() as session:
        figures = await monitor.read_figures(CommitsMidway(session, a_relay_commits), now)

    counted = figures.counters.get("attempts.delivered", 0)
    if app.state.engine.dialect.name == "postgresql":
        assert (counted, figures.waiting) == (0, 0)  # one snapshot: neither the count nor the event
    else:
        assert figures.waiting >= counted  # read after the counts: never behind them
    async with factory() as session:
        again = await monitor.read_figures(session, now)
    assert (again.counters["attempts.delivered"], again.waiting) == (1, 1)
