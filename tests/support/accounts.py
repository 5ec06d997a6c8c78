"""Accounts for API tests: users made through the handlers, tokens through the real token endpoint."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from domain.identity.accounts import Department
from domain.identity.handlers import accounts
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

PASSWORD = "Gaoxin-2025"


async def make_department(app, name: str = "科技创新局") -> Department:
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        return await accounts.create_department({"name": name}, uow=uow)


async def make_user(
    app, username: str, roles: list[str], *, department_id: str | None = None, password: str = PASSWORD
):
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        data = {"username": username, "password": password, "roles": roles, "department_id": department_id}
        return await accounts.create_user(data, uow=uow, hasher=app.state.hasher, now=datetime.now(UTC))


async def password_login(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", data={"grant_type": "password", "username": username, "password": password}
    )


async def bearer(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = await password_login(client, username, password)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def user_headers(app, client, username: str, roles: list[str], **kwargs) -> dict[str, str]:
    await make_user(app, username, roles, **kwargs)
    return await bearer(client, username)
