"""A control character stored in a title (XML cannot hold it) must not break the export of the ledger."""

from __future__ import annotations

from tests.api.ledgers.helpers import export, sheets


async def test_a_title_with_an_escape_character_still_exports(client, planner, plan):
    body = {"plan_id": plan["id"], "code": "9.9", "title": "招商\x1b推进"}
    created = await client.post("/api/v1/tasks", json=body, headers=planner)
    assert created.status_code == 201, created.text
    rows = next(iter(sheets(await export(client, "tasks", planner, plan_id=plan["id"])).values()))
    assert any("招商\ufffd推进" in str(cell) for row in rows for cell in row)
