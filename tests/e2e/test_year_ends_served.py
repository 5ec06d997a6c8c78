"""The served sweep keeps the closed years' ends: `gaoxin serve` stores them for the seeded plan, a task
created over HTTP deletes its plan's rows in its own transaction, the next sweep stores them again with the
new task, a key task renamed shows in the evaluation at once and after the next sweep (the worker keeps the
closed year's tree by its stamp), and `gaoxin verify` finds them equal to the replay."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from domain.shared.clock import SystemClock
from infrastructure.db.tables import planning as t
from tests.e2e.conftest import create_task, signed_in
from tests.e2e.served import Served, gaoxin, served_env


async def year_ends(database_url: str) -> dict[date, int]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            y = t.task_year_ends.c
            return dict((await connection.execute(select(y.day, func.count()).group_by(y.day))).all())
    finally:
        await engine.dispose()


async def until_stored(database_url: str, tasks: int, days: list[date]) -> None:
    for _ in range(150):
        if await year_ends(database_url) == dict.fromkeys(days, tasks):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(
        f"the served sweep did not store {tasks} rows a day: {await year_ends(database_url)}"
    )


async def test_the_served_sweep_stores_the_closed_years_and_a_new_task_has_them_stored_again(
    tmp_path, database_url
):
    env = served_env(database_url, sweep_interval_seconds="1")
    today = SystemClock().today()
    async with Served.serve(env, tmp_path / "serve.log") as served, signed_in(served) as http:
        plan = (await http.get("/api/v1/plans")).json()["items"][0]
        days = [
            date(y, 12, 31)
            for y in range(plan["start_year"], plan["end_year"] + 1)
            if date(y, 12, 31) < today
        ]
        assert days, "the seeded plan has a closed year by now"
        listed = (await http.get("/api/v1/tasks", params={"plan_id": plan["id"], "limit": 200})).json()
        await until_stored(database_url, len(listed["items"]), days)

        await create_task(http, "年末快照的新任务")
        assert await year_ends(database_url) in ({}, dict.fromkeys(days, len(listed["items"]) + 1))
        await until_stored(database_url, len(listed["items"]) + 1, days)
        evaluation = await http.get(f"/api/v1/plans/{plan['id']}/evaluation", params={"year": days[-1].year})
        assert evaluation.status_code == 200 and evaluation.json()["as_of"] == days[-1].isoformat()

        # The worker now keeps that year's tree; a key task renamed over HTTP shows at once, and again once
        # the sweep has stored the days anew.
        key = evaluation.json()["tasks"][0]
        task = await http.get(f"/api/v1/tasks/{key['id']}")
        renamed = await http.patch(
            f"/api/v1/tasks/{key['id']}",
            json={"title": "更名的重点任务"},
            headers={"If-Match": task.headers["ETag"]},
        )
        assert renamed.status_code == 200, renamed.text
        for _ in range(2):
            shown = await http.get(f"/api/v1/plans/{plan['id']}/evaluation", params={"year": days[-1].year})
            assert shown.json()["tasks"][0]["title"] == "更名的重点任务"
            await until_stored(database_url, len(listed["items"]) + 1, days)

    checked = gaoxin(env, "verify")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no difference" in checked.stdout
