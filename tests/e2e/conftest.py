"""The end-to-end ring: every test starts real `gaoxin` commands in a database of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from tests.e2e.served import ADMIN_PASSWORD, Served
from tests.support.databases import fresh_database


@pytest.fixture
async def database_url(tmp_path) -> AsyncIterator[str]:
    """A new, empty database: the served command migrates and seeds it itself, as on a first start."""
    async with fresh_database(tmp_path, "e2e") as url:
        yield url


@asynccontextmanager
async def signed_in(served: Served, username: str = "admin", password: str = ADMIN_PASSWORD):
    """An HTTP client on the served process, signed in through its token endpoint."""
    async with httpx.AsyncClient(base_url=served.base_url, timeout=20) as http:
        response = await http.post(
            "/api/v1/auth/token", data={"grant_type": "password", "username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield http


async def seeded_plan_id(http: httpx.AsyncClient) -> str:
    plans = (await http.get("/api/v1/plans")).json()["items"]
    assert plans, "the served process seeds the plan on its first start"
    return plans[0]["id"]


async def create_task(http: httpx.AsyncClient, title: str, **fields) -> dict:
    body = {"plan_id": await seeded_plan_id(http), "title": title, **fields}
    response = await http.post("/api/v1/tasks", json=body)
    assert response.status_code == 201, response.text
    return response.json()
