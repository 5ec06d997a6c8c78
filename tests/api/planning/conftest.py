"""Planning API fixtures: a fixed "today", a planner, a department with its user, a plan, task helpers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from infrastructure.db.tables.outbox import outbox
from tests.support.accounts import bearer, make_department, make_user
from tests.support.days import app_on

# Mid-plan, so that lights, overdue and escalation have something to say.
TODAY = date(2024, 6, 15)


@pytest.fixture
async def app(settings):
    async with app_on(settings, TODAY) as application:
        yield application


@pytest.fixture
async def planner(app, client) -> dict[str, str]:
    await make_user(app, "planner", ["planner"])
    return await bearer(client, "planner")


@pytest.fixture
async def viewer(app, client) -> dict[str, str]:
    await make_user(app, "viewer", ["viewer"])
    return await bearer(client, "viewer")


@pytest.fixture
async def department(app):
    return await make_department(app, "科技创新局")


@pytest.fixture
async def other_department(app):
    return await make_department(app, "经济发展局")


@pytest.fixture
async def staff(app, client, department) -> dict[str, str]:
    """A user of `department` (role department)."""
    await make_user(app, "keji", ["department"], department_id=department.id)
    return await bearer(client, "keji")


@pytest.fixture
async def outsider(app, client, other_department) -> dict[str, str]:
    """A user of another department."""
    await make_user(app, "jingfa", ["department"], department_id=other_department.id)
    return await bearer(client, "jingfa")


@pytest.fixture
async def plan(client, planner) -> dict:
    body = {"title": "十四五规划", "start_year": 2021, "end_year": 2025, "issued": "2021-12"}
    response = await client.post("/api/v1/plans", json=body, headers=planner)
    assert response.status_code == 201, response.text
    return response.json()


async def make_task(client, headers, plan_id: str, **fields) -> dict:
    body = {"plan_id": plan_id, "title": fields.pop("title", "任务"), **fields}
    response = await client.post("/api/v1/tasks", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def events(app, event_type: str | None = None) -> list:
    """Rows of the outbox, oldest first (optionally of one type)."""
    statement = select(outbox).order_by(outbox.c.id)
    if event_type:
        statement = statement.where(outbox.c.type == event_type)
    async with app.state.session_factory() as session:
        return list((await session.execute(statement)).all())


async def etag(client, url: str, headers) -> str:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.headers["etag"]
