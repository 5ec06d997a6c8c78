"""Fixtures of the ledger tests: a fixed "today", the people who import and read, and a plan."""

from __future__ import annotations

import pytest

from tests.api.planning.conftest import TODAY
from tests.support.accounts import bearer, make_user
from tests.support.days import app_on


@pytest.fixture
async def app(settings):
    async with app_on(settings, TODAY) as application:
        yield application


async def _headers(app, client, username: str, role: str) -> dict[str, str]:
    await make_user(app, username, [role])
    return await bearer(client, username)


@pytest.fixture
async def planner(app, client) -> dict[str, str]:
    return await _headers(app, client, "planner", "planner")


@pytest.fixture
async def officer(app, client) -> dict[str, str]:
    return await _headers(app, client, "officer", "officer")


@pytest.fixture
async def viewer(app, client) -> dict[str, str]:
    return await _headers(app, client, "viewer", "viewer")


@pytest.fixture
async def plan(client, planner) -> dict:
    body = {"title": "十四五规划", "start_year": 2021, "end_year": 2025, "issued": "2021-12"}
    response = await client.post("/api/v1/plans", json=body, headers=planner)
    assert response.status_code == 201, response.text
    return response.json()
