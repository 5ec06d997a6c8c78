"""A property of the year-end rows: whatever sequence of writes (reports of earlier months, moves dated in
the past, urges, extensions, task changes) and days passing across year ends, every stored row is what the
replay of its day computes, and the sweep stores every closed year whole (a seeded random walk over HTTP)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from domain.integration.sweep import sweep
from domain.planning.handlers.year_ends import year_end_rows_differences
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.api.planning.conftest import etag
from tests.api.planning.test_rollups_property import ACTIONS, build_plan, days_pass
from tests.api.planning.test_year_ends import stored_days
from tests.support.days import app_on


@pytest.fixture
async def app(settings):
    async with app_on(settings, date(2024, 11, 20)) as application:
        yield application


async def differences(app) -> list[str]:
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        return await year_end_rows_differences(app.state.clock.today(), uow=uow)


async def step(client, app, rng: random.Random, tasks: list[dict], planner, staff) -> None:
    """One random write reaching back or not (refusals included), or days passing with or without a sweep."""
    clock = app.state.clock
    task = rng.choice(tasks)["id"]
    kind = rng.choice(("report", "report", "move", "move", "urge", "extend", "change", "day", "day"))
    if kind == "report":
        month = clock.day.replace(day=1) - timedelta(days=rng.randint(0, 500))
        body = {"period": f"{month:%Y-%m}", "percent": rng.randint(0, 100), "summary": "进展"}
        await client.post(f"/api/v1/tasks/{task}/progress-reports", json=body, headers=staff)
    elif kind == "move":
        on = clock.day - timedelta(days=rng.choice((0, 0, rng.randint(1, 400))))
        body = {"action": rng.choice(ACTIONS), "reason": "调整", "date": on.isoformat()}
        await client.post(f"/api/v1/tasks/{task}/transitions", json=body, headers=planner)
    elif kind == "urge":
        await client.post(f"/api/v1/tasks/{task}/urges", json={"note": "催办"}, headers=planner)
    elif kind == "extend":
        later = (clock.day + timedelta(days=rng.randint(10, 120))).isoformat()
        asked = await client.post(
            f"/api/v1/tasks/{task}/extension-requests",
            json={"new_due_date": later, "reason": "延期"},
            headers=staff,
        )
        if asked.status_code == 201:
            decision = {"approved": rng.random() < 0.7, "note": None}
            url = f"/api/v1/extension-requests/{asked.json()['id']}/decision"
            await client.post(url, json=decision, headers=planner)
    elif kind == "change":
        url = f"/api/v1/tasks/{task}"
        change = rng.choice(({"title": f"任务 {rng.randint(1, 99)}"}, {"weight": rng.choice((1, 2, 0.5))}))
        await client.patch(url, json=change, headers=planner | {"If-Match": await etag(client, url, planner)})
    else:
        await days_pass(app, rng, most=60, sweep_chance=0.7)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_stored_year_ends_always_equal_the_replay_of_their_day(
    app, client, planner, staff, plan, department, seed
):
    rng = random.Random(seed)
    tasks = await build_plan(client, planner, plan["id"], department.id, rng)
    checked = 0
    for number in range(45):
        await step(client, app, rng, tasks, planner, staff)
        assert await differences(app) == [], f"seed {seed}, step {number}"
        checked += sum((await stored_days(app)).values())

    today = app.state.clock.today()
    async with SqlAlchemyUnitOfWork(app.state.session_factory, clock=app.state.clock) as uow:
        await sweep(uow, today)
    closed = [date(y, 12, 31) for y in range(2021, 2026) if date(y, 12, 31) < today]
    assert await stored_days(app) == dict.fromkeys(closed, len(tasks)) and await differences(app) == []
    assert checked > 0  # rows were stored along the walk, and each was checked
