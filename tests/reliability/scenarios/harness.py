"""What every run needs: a database of its own, the app served in-process, an admin, a plan."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from infrastructure.db.migrate import upgrade_async
from services.api.app import create_app
from tests.conftest import make_settings
from tests.support.accounts import bearer, make_user
from tests.support.databases import fresh_database
from tests.support.lifespan import running

PROBLEM = "application/problem+json"


@asynccontextmanager
async def database(label: str = "soak") -> AsyncIterator[str]:
    """A new migrated database (SQLite file, or PostgreSQL beside GAOXIN_TEST_DATABASE_URL), dropped after."""
    with tempfile.TemporaryDirectory() as folder:
        async with fresh_database(Path(folder), label) as url:
            await upgrade_async(url)
            yield url


@asynccontextmanager
async def serve(
    database_url: str, *, start_relay: bool = False, **overrides
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app with its lifespan, and a client that sees its 500s as answers rather than exceptions."""
    app = create_app(make_settings(database_url, **overrides), start_relay=start_relay)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        running(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as client,
    ):
        yield app, client


async def admin_headers(app: FastAPI, client: httpx.AsyncClient, username: str = "soak-admin") -> dict:
    await make_user(app, username, ["admin"])
    return await bearer(client, username)


async def make_plan(client: httpx.AsyncClient, headers: dict, title: str = "可靠性测试规划") -> str:
    response = await client.post(
        "/api/v1/plans", json={"title": title, "start_year": 2021, "end_year": 2025}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def make_task(client: httpx.AsyncClient, headers: dict, plan_id: str, title: str) -> httpx.Response:
    return await client.post("/api/v1/tasks", json={"plan_id": plan_id, "title": title}, headers=headers)
