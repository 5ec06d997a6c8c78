"""Stored roll-ups over HTTP: each write rewrites its task's and its ancestors' rows for today, reads for
today use them only when computed for today (the same answers, no report read), and the daily sweep brings
stale rows to today."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select, update

from domain.integration.sweep import sweep
from domain.planning.handlers.rollups import rollup_differences
from infrastructure.db.tables import planning as t
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.api.planning.conftest import TODAY, make_task
from tests.support.statements import statements_sent

REPORT = {"period": "2024-05", "summary": "进展", "problems": None, "next_steps": None}


async def stored(app) -> dict[str, tuple]:
    async with app.state.session_factory() as session:
        rows = await session.execute(select(t.task_rollups))
        return {row.task_id: (Decimal(row.progress), row.warning, row.computed_for) for row in rows}


async def differences(app) -> list[str]:
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        return await rollup_differences(TODAY, uow=uow)


async def three_levels(client, planner, plan, department) -> dict[str, dict]:
    """A key task over a measure over two leaves (weights 1 and 3), dated around TODAY."""
    dates = {"start_date": "2024-01-01", "due_date": "2024-12-31"}
    root = await make_task(client, planner, plan["id"], code="1", title="重点任务", **dates)
    middle = await make_task(client, planner, plan["id"], code="1.1", parent_id=root["id"], **dates)
    leaves = {
        name: await make_task(
            client,
            planner,
            plan["id"],
            code=f"1.1.{n}",
            parent_id=middle["id"],
            lead_department_id=department.id,
            weight=weight,
            **dates,
        )
        for n, (name, weight) in enumerate((("a", 1), ("b", 3)), start=1)
    }
    return {"root": root, "middle": middle, **leaves}


async def test_each_write_rewrites_its_task_and_ancestors_for_today(
    app, client, planner, staff, viewer, plan, department
):
    tasks = await three_levels(client, planner, plan, department)
    rows = await stored(app)
    assert set(rows) == {task["id"] for task in tasks.values()}
    assert {row[2] for row in rows.values()} == {TODAY} and {row[0] for row in rows.values()} == {0}

    filed = await client.post(
        f"/api/v1/tasks/{tasks['a']['id']}/progress-reports", json=REPORT | {"percent": 80}, headers=staff
    )
    assert filed.status_code == 201
    rows = await stored(app)
    assert rows[tasks["a"]["id"]][0] == 80
    assert rows[tasks["middle"]["id"]][0] == rows[tasks["root"]["id"]][0] == 20  # (80·1 + 0·3) / 4
    assert rows[tasks["b"]["id"]][0] == 0
    assert await differences(app) == []

    await client.post(
        f"/api/v1/tasks/{tasks['b']['id']}/progress-reports", json=REPORT | {"percent": 40}, headers=staff
    )
    returned = await client.post(
        f"/api/v1/progress-reports/{filed.json()['id']}/return", json={"comment": "缺少佐证"}, headers=planner
    )
    assert returned.status_code == 200
    rows = await stored(app)
    assert rows[tasks["root"]["id"]][0] == 30  # (0·1 + 40·3) / 4: the returned report no longer counts
    assert await differences(app) == []

    cancelled = await client.post(
        f"/api/v1/tasks/{tasks['b']['id']}/transitions",
        json={"action": "cancel", "reason": "撤销"},
        headers=planner,
    )
    assert cancelled.status_code == 200, cancelled.text
    rows = await stored(app)
    assert rows[tasks["b"]["id"]][1] == "done" and rows[tasks["root"]["id"]][0] == 0
    assert await differences(app) == []

    added = await make_task(client, planner, plan["id"], code="1.2", parent_id=tasks["root"]["id"])
    assert (await stored(app))[added["id"]][0] == 0
    etag = (await client.get(f"/api/v1/tasks/{added['id']}", headers=planner)).headers["etag"]
    deleted = await client.delete(f"/api/v1/tasks/{added['id']}", headers=planner | {"If-Match": etag})
    assert deleted.status_code == 204, deleted.text
    rows = await stored(app)
    assert added["id"] not in rows
    assert await differences(app) == []
    shown = (await client.get(f"/api/v1/tasks/{tasks['root']['id']}", headers=viewer)).json()
    assert shown["progress"] == rows[tasks["root"]["id"]][0]


async def test_a_read_for_today_uses_rows_of_today_only(
    app, client, planner, staff, viewer, plan, department
):
    tasks = await three_levels(client, planner, plan, department)
    await client.post(
        f"/api/v1/tasks/{tasks['a']['id']}/progress-reports", json=REPORT | {"percent": 60}, headers=staff
    )
    tree_url = f"/api/v1/plans/{plan['id']}/tree"
    task_url = f"/api/v1/tasks/{tasks['root']['id']}"
    page_url = f"/api/v1/tasks?plan_id={plan['id']}&warning=yellow"
    urls = (tree_url, page_url, "/api/v1/dashboard", task_url)
    with statements_sent(app) as seen:
        answers = [await client.get(url, headers=viewer) for url in urls[:3]]
    assert all(answer.status_code == 200 for answer in answers)
    assert not any("progress_reports" in s for s in seen)  # the stored rows answered
    # one task is one statement over its subtree and latest reports (no second round trip for its row)
    answers.append(await client.get(task_url, headers=viewer))

    async with app.state.session_factory() as session, session.begin():
        await session.execute(update(t.task_rollups).values(computed_for=TODAY - timedelta(days=1)))
    with statements_sent(app) as seen:
        computed = [await client.get(url, headers=viewer) for url in urls]
    assert any("progress_reports" in s for s in seen)  # yesterday's rows are no answer for today
    assert [answer.json() for answer in computed] == [answer.json() for answer in answers]
    assert answers[1].json()["items"] and answers[2].json()["tasks"]  # the answers compared say something

    async with app.state.session_factory() as session, session.begin():
        await session.execute(update(t.task_rollups).values(computed_for=TODAY))
    with statements_sent(app) as seen:
        past = await client.get(tree_url, params={"date": "2024-06-01"}, headers=viewer)
    assert past.status_code == 200 and any("progress_reports" in s for s in seen)  # another day: computed


async def test_the_sweep_brings_every_row_to_today(app, client, planner, staff, plan, department):
    tasks = await three_levels(client, planner, plan, department)
    await client.post(
        f"/api/v1/tasks/{tasks['b']['id']}/progress-reports", json=REPORT | {"percent": 10}, headers=staff
    )
    yesterday = TODAY - timedelta(days=1)
    async with app.state.session_factory() as session, session.begin():
        await session.execute(
            update(t.task_rollups).values(computed_for=yesterday, warning="green", progress="99")
        )
    async with SqlAlchemyUnitOfWork(app.state.session_factory) as uow:
        await sweep(uow, TODAY)
    rows = await stored(app)
    assert {row[2] for row in rows.values()} == {TODAY} and rows[tasks["root"]["id"]][0] == Decimal("7.5")
    assert await differences(app) == []
