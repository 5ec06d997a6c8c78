"""The app served in-process for a benchmark, through public modules only: its lifespan started through the
whole middleware stack, an account made by the identity handlers, a client signed in at the token endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from domain.identity.handlers import accounts
from infrastructure.settings import Settings
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.app import create_app

PASSWORD = "Bench-2025-pw"


@asynccontextmanager
async def signed_in(
    settings: Settings, username: str, roles: list[str]
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app (Argon2 at its lowest cost: the benchmark measures the endpoint, not the sign-in) and a client
    signed in as a new user with `roles`."""
    settings = settings.model_copy(update={"password_memory_kib": 1024, "password_time_cost": 1})
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60):
        async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="bench") as uow:
            data = {"username": username, "password": PASSWORD, "roles": roles}
            await accounts.create_user(data, uow=uow, hasher=app.state.hasher, now=datetime.now(UTC))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=3600) as http:
            form = {"grant_type": "password", "username": username, "password": PASSWORD}
            token = (await http.post("/api/v1/auth/token", data=form)).json()["access_token"]
            http.headers["Authorization"] = f"Bearer {token}"
            yield app, http
