"""Helpers of the cultivation API tests: register through the API, read the database behind it."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from infrastructure.db.tables import cultivation as t
from infrastructure.db.tables.identity import audit_log
from infrastructure.db.tables.outbox import outbox
from tests.unit.cultivation.builders import with_check_character

# Valid GB 32100 codes, made by the test builders' own (independent) check-character rule.
CODE_A = with_check_character("91210300MA0U6X8Q1")
CODE_B = with_check_character("91210300241528512")


def corrupt(code: str) -> str:
    """The code with a wrong check character (the next one of the charset)."""
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:17] + charset[(charset.index(code[17]) + 1) % 31]


async def register(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    body.setdefault("name", "鞍山测试科技有限公司")
    response = await client.post("/api/v1/enterprises", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def count(app, table) -> int:
    async with app.state.session_factory() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


async def events(app, kind: str | None = None) -> list:
    async with app.state.session_factory() as session:
        statement = select(outbox).order_by(outbox.c.id)
        if kind is not None:
            statement = statement.where(outbox.c.type == kind)
        return (await session.execute(statement)).all()


async def audit_entries(app, action: str | None = None) -> list:
    async with app.state.session_factory() as session:
        statement = select(audit_log).order_by(audit_log.c.id)
        if action is not None:
            statement = statement.where(audit_log.c.action == action)
        return (await session.execute(statement)).all()


TABLES = (t.enterprises, t.certifications, t.annual_metrics, t.pool_memberships)
