"""The daily sweep runs inside `gaoxin serve`: time alone makes events, no request asks for them."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from tests.e2e.conftest import create_task, signed_in
from tests.e2e.served import Served, served_env


async def test_a_task_that_turns_overdue_is_announced_by_the_served_sweep(tmp_path, database_url):
    env = served_env(database_url, sweep_interval_seconds="1")
    async with Served.serve(env, tmp_path / "serve.log") as served, signed_in(served) as http:
        yesterday = date.today() - timedelta(days=1)
        task = await create_task(
            http,
            "昨日到期的任务",
            start_date=(yesterday - timedelta(days=30)).isoformat(),
            due_date=yesterday.isoformat(),
        )
        for _ in range(50):
            page = (await http.get("/api/v1/events", params={"types": "task.overdue", "limit": 200})).json()
            while page["items"] and not any(e["subject"]["id"] == task["id"] for e in page["items"]):
                page = (
                    await http.get(
                        "/api/v1/events",
                        params={"types": "task.overdue", "limit": 200, "after": page["next_cursor"]},
                    )
                ).json()
            if any(e["subject"]["id"] == task["id"] for e in page["items"]):
                break
            await asyncio.sleep(0.2)
        else:
            raise AssertionError(
                "no task.overdue for the new task: the sweep did not run in the served process"
            )
