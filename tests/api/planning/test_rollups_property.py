"""A property of the stored roll-ups: whatever sequence of writes and days, every row computed for today is
what the tree recomputes from the records (a seeded random walk through the handlers over HTTP)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from domain.integration.sweep import sweep
from domain.planning.handlers.rollups import rollup_differences
from infrastructure.db.tables import planning as t
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.api.planning.conftest import make_task
from tests.support.days import app_on

ACTIONS = ("start", "complete", "suspend", "resume", "cancel", "reopen")


@pytest.fixture
async def app(settings):
    # a "today" the walk moves forward (app.state.clock.day)
    async with app_on(settings, date(2024, 2, 1)) as application:
        yield application


async def differences(app) -> list[str]:
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        return await rollup_differences(app.state.clock.today(), uow=uow)


async def build_plan(client, planner, plan_id: str, department_id: str, rng: random.Random) -> list[dict]:
    """Two key tasks over five leaves and a code-less one, with random weights and dates in 2024."""
    made: list[dict] = []

    async def task(code: str | None, parent: dict | None) -> dict:
        due = date(2024, rng.randint(2, 12), 28)
        fields = {
            "code": code,
            "parent_id": parent["id"] if parent else None,
            "lead_department_id": department_id,
            "weight": rng.choice((1, 2, 3, 0.5)),
            "start_date": "2024-01-01",
            "due_date": due.isoformat(),
        }
        made.append(
            await make_task(client, planner, plan_id, **{k: v for k, v in fields.items() if v is not None})
        )
        return made[-1]

    first, second = await task("1", None), await task("2", None)
    for n in range(1, 4):
        await task(f"1.{n}", first)
    for n in range(1, 3):
        await task(f"2.{n}", second)
    await task(None, second)
    return made


async def step(client, app, rng: random.Random, tasks: list[dict], planner, staff) -> None:
    """One random write (refusals included: a refused write changes nothing) or a day passing."""
    clock = app.state.clock
    task = rng.choice(tasks)["id"]
    kind = rng.choice(("report", "report", "return", "move", "move", "extend", "urge", "day"))
    if kind == "report":
        month = rng.randint(1, clock.day.month)
        body = {"period": f"{clock.day.year}-{month:02d}", "percent": rng.randint(0, 100), "summary": "进展"}
        await client.post(f"/api/v1/tasks/{task}/progress-reports", json=body, headers=staff)
    elif kind == "return":
        listed = (await client.get(f"/api/v1/tasks/{task}/progress-reports", headers=planner)).json()
        kept = [r for r in listed.get("items", []) if not r["returned"]]
        if kept:
            url = f"/api/v1/progress-reports/{rng.choice(kept)['id']}/return"
            await client.post(url, json={"comment": "退回"}, headers=planner)
    elif kind == "move":
        body = {"action": rng.choice(ACTIONS), "reason": "调整"}
        await client.post(f"/api/v1/tasks/{task}/transitions", json=body, headers=planner)
    elif kind == "extend":
        later = (clock.day + timedelta(days=rng.randint(10, 120))).isoformat()
        asked = await client.post(
            f"/api/v1/tasks/{task}/extension-requests",
            json={"new_due_date": later, "reason": "延期"},
            headers=staff,
        )
        if asked.status_code == 201:
            decision = {"approved": rng.random() < 0.7, "note": None}
            await client.post(
                f"/api/v1/extension-requests/{asked.json()['id']}/decision", json=decision, headers=planner
            )
    elif kind == "urge":
        await client.post(f"/api/v1/tasks/{task}/urges", json={"note": "催办"}, headers=planner)
    else:
        await days_pass(app, rng, most=45, sweep_chance=0.5)


async def days_pass(app, rng: random.Random, *, most: int, sweep_chance: float) -> None:
    """One to `most` days pass, then the daily sweep runs with the chance `sweep_chance`."""
    clock = app.state.clock
    clock.day += timedelta(days=rng.randint(1, most))
    if rng.random() < sweep_chance:
        async with SqlAlchemyUnitOfWork(app.state.session_factory, clock=clock) as uow:
            await sweep(uow, clock.day)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_stored_rollups_of_today_always_equal_the_recomputed_tree(
    app, client, planner, staff, plan, department, seed
):
    rng = random.Random(seed)
    tasks = await build_plan(client, planner, plan["id"], department.id, rng)
    for number in range(40):
        await step(client, app, rng, tasks, planner, staff)
        assert await differences(app) == [], f"seed {seed}, step {number}"

    today = app.state.clock.today()
    async with SqlAlchemyUnitOfWork(app.state.session_factory, clock=app.state.clock) as uow:
        await sweep(uow, today)
    async with app.state.session_factory() as session:
        of_today = await session.scalar(
            select(func.count()).select_from(t.task_rollups).where(t.task_rollups.c.computed_for == today)
        )
    assert of_today == len(tasks) and await differences(app) == []
