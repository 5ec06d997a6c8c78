"""The year-end rows over HTTP, after the plan's end: the sweep stores each closed year whole, a write that
reaches back deletes its plan's rows from the day it reaches in its own transaction, a write that does not
reach back leaves them, and the evaluation answers the same from rows or from the replay."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.integration.sweep import sweep
from domain.planning.handlers.year_ends import year_end_rows_differences
from domain.planning.status import TaskStatus
from infrastructure.db.tables import planning as t
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.api.planning.conftest import etag, make_task
from tests.support.days import app_on

YEAR_ENDS = [date(year, 12, 31) for year in range(2021, 2026)]


@pytest.fixture
async def app(settings):
    async with app_on(settings, date(2026, 3, 2)) as application:
        yield application


async def stored_days(app) -> dict[date, int]:
    y = t.task_year_ends
    async with app.state.session_factory() as session:
        rows = await session.execute(select(y.c.day, func.count()).group_by(y.c.day))
        return dict(rows.all())


async def run_sweep(app) -> None:
    async with SqlAlchemyUnitOfWork(app.state.session_factory, clock=app.state.clock) as uow:
        await sweep(uow, app.state.clock.today())
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        assert await year_end_rows_differences(app.state.clock.today(), uow=uow) == []


async def test_writes_that_reach_back_delete_the_rows_they_change_and_no_others(
    app, client, planner, staff, plan, department
):
    key = await make_task(client, planner, plan["id"], code="1", lead_department_id=department.id)
    leaf = await make_task(
        client,
        planner,
        plan["id"],
        code="1.1",
        parent_id=key["id"],
        lead_department_id=department.id,
        due_date="2025-12-31",
    )
    idle = await make_task(
        client, planner, plan["id"], code="1.2", parent_id=key["id"]
    )  # no reports, no moves
    reports = f"/api/v1/tasks/{leaf['id']}/progress-reports"

    async def file(period: str, percent: int) -> None:
        body = {"period": period, "percent": percent, "summary": "进展"}
        assert (await client.post(reports, json=body, headers=staff)).status_code == 201

    async def evaluated_key_task() -> dict:
        body = (await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year=2025", headers=planner)).json()
        return body["tasks"][0]

    async def evaluated_progress() -> float:
        return (await evaluated_key_task())["progress"]

    await file("2025-06", 40)
    await run_sweep(app)
    assert await stored_days(app) == dict.fromkeys(YEAR_ENDS, 3)
    assert await evaluated_progress() == 20

    await file("2026-02", 90)  # this year's: no closed year changes
    assert await stored_days(app) == dict.fromkeys(YEAR_ENDS, 3)

    await file("2025-12", 75)  # counts on 2025-12-31: that day's rows go, the years before stay
    assert await stored_days(app) == dict.fromkeys(YEAR_ENDS[:-1], 3)
    assert await evaluated_progress() == 37.5  # replayed, with the late report
    await run_sweep(app)
    assert await stored_days(app) == dict.fromkeys(YEAR_ENDS, 3)
    assert await evaluated_progress() == 37.5  # from the rows

    moved = await client.post(
        f"/api/v1/tasks/{idle['id']}/transitions",
        json={"action": "start", "date": "2024-06-01"},
        headers=planner,
    )
    assert moved.status_code == 200, moved.text
    assert await stored_days(app) == dict.fromkeys(YEAR_ENDS[:3], 3)  # 2024 and 2025 changed
    await run_sweep(app)

    assert (await evaluated_key_task())["title"] == key["title"]  # its tree now kept by the process
    url = f"/api/v1/tasks/{key['id']}"
    for change in ({"title": "新名称"}, {"weight": 2}):  # the title too: the kept tree shows it
        patched = await client.patch(
            url, json=change, headers=planner | {"If-Match": await etag(client, url, planner)}
        )
        assert patched.status_code == 200, patched.text
        assert await stored_days(app) == {}, change
        assert (await evaluated_key_task())["title"] == "新名称"  # replayed
        await run_sweep(app)
        assert (await evaluated_key_task())["title"] == "新名称"  # from the rows stored again

    refused = await client.post(
        reports, json={"period": "2025-13", "percent": 1, "summary": "x"}, headers=staff
    )
    assert refused.status_code == 422
    await run_sweep(app)
    refused = await client.post(
        reports, json={"period": "2025-12", "percent": 101, "summary": "x"}, headers=staff
    )
    assert refused.status_code == 422 and await stored_days(app) == dict.fromkeys(YEAR_ENDS, 3)


async def test_the_tasks_as_they_stood_are_their_records_with_the_rows_fields(
    app, client, planner, staff, plan, department, other_department
):
    """The evaluation of a closed year reads each task with its row (`stood_on`), some columns as text it
    decodes itself: every field is the task's own record's, but those the row holds as of that day."""
    key = await make_task(
        client,
        planner,
        plan["id"],
        code="1",
        description="说明",
        lead_department_id=department.id,
        co_department_ids=[other_department.id],
        weight=1.25,
    )
    await make_task(client, planner, plan["id"], code="1.1", parent_id=key["id"], weight=0.5)
    await make_task(client, planner, plan["id"], code="2", weight=3, due_date="2024-06-30")
    moved = await client.post(
        f"/api/v1/tasks/{key['id']}/transitions",
        json={"action": "start", "date": "2023-03-01"},
        headers=planner,
    )
    assert moved.status_code == 200, moved.text
    await run_sweep(app)
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        records = {r.id: r for r in await uow.tasks.records_of_plans([plan["id"]])}
        for day in YEAR_ENDS:
            stood, rows = await uow.task_year_ends.stood_on(plan["id"], day)
            assert rows == await uow.task_year_ends.of_plan(plan["id"], day)
            for record in stood:
                row = rows[record.id]
                expected = asdict(records[record.id]) | {
                    "status": row.status,
                    "due_date": row.due_date,
                    "original_due_date": row.original_due_date,
                    "urge_count": row.urge_count,
                }
                assert asdict(record) == expected
                assert [type(record.weight), type(record.status)] == [Decimal, TaskStatus]
                assert str(record.weight) == str(records[record.id].weight)  # 1.25, not 1.250000
    assert records[key["id"]].co_department_ids == [other_department.id]
    assert str(records[key["id"]].weight) == "1.25"
