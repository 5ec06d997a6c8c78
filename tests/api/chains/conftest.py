"""Fixtures of the chain API tests: people in every chain role, registry enterprises, small chains."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.cultivation.enterprises import Enterprise
from infrastructure.db.tables.outbox import outbox
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.support.accounts import bearer, make_user

CHAINS = "/api/v1/chains"


@pytest.fixture
async def people(app, client) -> dict[str, dict]:
    """name → {"id", "headers"}: an admin, a general chief, two chain chiefs, an officer and a viewer."""
    roles = {
        "root": ["admin"],
        "zong": ["general_chief"],
        "li": ["chain_chief"],
        "wang": ["chain_chief"],
        "officer": ["officer"],
        "viewer": ["viewer"],
    }
    found = {}
    for name, role in roles.items():
        user = await make_user(app, name, role)
        found[name] = {"id": user.id, "headers": await bearer(client, name)}
    return found


@pytest.fixture
def admin(people) -> dict[str, str]:
    return people["root"]["headers"]


async def register(app, name: str, **details) -> Enterprise:
    """An enterprise of the registry, as the cultivation context registers it."""
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        enterprise = Enterprise.register(name, **details)
        uow.enterprises.add(enterprise)
        await uow.commit()
        return enterprise


async def new_chain(client, headers, name: str = "储能电池", **fields) -> dict:
    response = await client.post(CHAINS, json={"name": name, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def new_node(client, headers, chain_id: str, name: str, stage: str = "midstream", parent_id=None):
    body = {"name": name, "stage": stage, "parent_id": parent_id}
    response = await client.post(f"{CHAINS}/{chain_id}/nodes", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def events(app, *types: str) -> list:
    """The outbox rows of these types, in order."""
    async with app.state.session_factory() as session:
        rows = (await session.execute(select(outbox).order_by(outbox.c.id))).all()
    return [r for r in rows if not types or r.type in types]
