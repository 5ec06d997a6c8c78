"""链长制 under concurrency: simultaneous assignments leave one active chief and a non-overlapping history."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.chains.chains import Chain
from domain.chains.chiefs import ChiefAssignment
from infrastructure.db.tables.chains import chief_assignments
from infrastructure.db.tables.outbox import outbox
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.support.accounts import bearer, make_user

RACERS = 20
START = date(2025, 1, 1)


async def _assignments(app, chain_id: str | None) -> list:
    condition = (
        chief_assignments.c.chain_id.is_(None)
        if chain_id is None
        else chief_assignments.c.chain_id == chain_id
    )
    async with app.state.session_factory() as session:
        statement = select(chief_assignments).where(condition).order_by(chief_assignments.c.since)
        return (await session.execute(statement)).all()


def _assert_one_active_and_no_overlap(rows) -> None:
    assert [r.until for r in rows].count(None) == 1
    assert rows[-1].until is None  # the active one is the latest
    for earlier, later in pairwise(rows):
        # [since, until) periods, in order, disjoint; a same-day correction leaves an empty [since, since)
        assert earlier.since <= earlier.until <= later.since


@pytest.mark.parametrize("spread_days", [0, 7], ids=["same-since", "spread-since"])
async def test_simultaneous_chief_assignments_leave_exactly_one_active_chief(app, client, spread_days):
    await make_user(app, "root", ["admin"])
    admin = await bearer(client, "root")
    chain = (await client.post("/api/v1/chains", json={"name": "储能电池"}, headers=admin)).json()
    users = [await make_user(app, f"chief{i:02d}", ["chain_chief"]) for i in range(RACERS)]
    url = f"/api/v1/chains/{chain['id']}/chief"

    def body(i: int) -> dict:
        # Same since: each may correct the one before it that day. Spread: later ones may follow, earlier
        # ones may not.
        return {"user_id": users[i].id, "since": (START + timedelta(days=(i * spread_days) % 20)).isoformat()}

    responses = await asyncio.gather(*(client.put(url, json=body(i), headers=admin) for i in range(RACERS)))

    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 409}, [r.text for r in responses if r.status_code not in (200, 409)]
    assert 200 in statuses
    rows = await _assignments(app, chain["id"])
    _assert_one_active_and_no_overlap(rows)
    winners = {r.json()["user_id"] for r in responses if r.status_code == 200}
    assert {r.user_id for r in rows} == winners  # every 200 is in the history, nothing else is
    async with app.state.session_factory() as session:
        events = (await session.execute(select(outbox).where(outbox.c.type == "chain.chief_assigned"))).all()
    assert len(events) == len(rows)  # a refused assignment left no event
    history = (await client.get(f"{url}-history", headers=admin)).json()["items"]
    assert [h["until"] for h in history].count(None) == 1


async def test_the_database_refuses_a_second_open_assignment_even_past_the_rules(app):
    user = await make_user(app, "li", ["chain_chief"])
    other = await make_user(app, "wang", ["chain_chief"])
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        chain = Chain(name="氢能源应用")
        uow.chains.add(chain)
        uow.chief_assignments.add(ChiefAssignment(chain_id=chain.id, user_id=user.id, since=START))
        await uow.commit()
    for chain_id in (chain.id, None):  # one active chief a chain, and one general chief
        with pytest.raises(IntegrityError):
            async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
                if chain_id is None:
                    uow.chief_assignments.add(ChiefAssignment(chain_id=None, user_id=user.id, since=START))
                uow.chief_assignments.add(ChiefAssignment(chain_id=chain_id, user_id=other.id, since=START))
                await uow.commit()
    assert [r.user_id for r in await _assignments(app, chain.id)] == [user.id]
    assert await _assignments(app, None) == []


async def test_simultaneous_general_chief_namings_leave_one(app, client):
    await make_user(app, "root", ["admin"])
    admin = await bearer(client, "root")
    users = [await make_user(app, f"zong{i:02d}", ["general_chief"]) for i in range(8)]
    responses = await asyncio.gather(
        *(
            client.put(
                "/api/v1/general-chief", json={"user_id": u.id, "since": START.isoformat()}, headers=admin
            )
            for u in users
        )
    )
    # The same since: each naming that gets in corrects the one before it that day (a same-day correction);
    # SQLite queues the writers, PostgreSQL may refuse a racer (409). One is left active either way.
    assert {r.status_code for r in responses} <= {200, 409} and 200 in {r.status_code for r in responses}
    rows = await _assignments(app, None)
    _assert_one_active_and_no_overlap(rows)
    assert len(rows) == [r.status_code for r in responses].count(200)
