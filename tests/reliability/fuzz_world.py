"""The world the schema checks run in: the plan's seed data, an admin and a viewer, ids of real rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from domain.cultivation.pools import PoolKind
from infrastructure.seed import seed_all
from tests.reliability.scenarios.harness import serve
from tests.support.accounts import bearer, make_user
from tests.support.databases import empty_tables


@dataclass
class World:
    headers: dict[str, dict[str, str]]
    ids: dict[str, str] = field(default_factory=dict)


async def _first(client: httpx.AsyncClient, admin: dict, path: str) -> str | None:
    items = (await client.get(path, headers=admin)).json().get("items") or [None]
    return items[0]["id"] if items[0] else None


def _created(response: httpx.Response) -> str | None:
    return response.json()["id"] if response.status_code == 201 else None


async def _enterprise_history(client: httpx.AsyncClient, admin: dict, enterprise_id: str) -> dict[str, str]:
    """A certification and a year of metrics for one enterprise (the seed data holds neither)."""
    base = f"/api/v1/enterprises/{enterprise_id}"
    certification = await client.post(
        f"{base}/certifications", json={"kind": "tech_sme", "issued_on": "2024-03-01"}, headers=admin
    )
    await client.put(f"{base}/metrics/2023", json={"revenue": "1200", "employees": 30}, headers=admin)
    return {"certification_id": _created(certification)}


async def _collect_ids(client: httpx.AsyncClient, admin: dict) -> dict[str, str]:
    """One real id for each path parameter the seed data (or a write of ours) can give."""
    ids = {"pool": PoolKind.HNTE_RESERVE.value, "year": "2023"}
    for name, path in [
        ("plan_id", "/api/v1/plans"),
        ("task_id", "/api/v1/tasks"),
        ("indicator_id", "/api/v1/indicators"),
        ("enterprise_id", "/api/v1/enterprises"),
        ("chain_id", "/api/v1/chains"),
        ("department_id", "/api/v1/departments"),
        ("user_id", "/api/v1/users"),
    ]:
        ids[name] = await _first(client, admin, path)
    chain, task = ids["chain_id"], ids["task_id"]
    ids["node_id"] = await _first(client, admin, f"/api/v1/chains/{chain}/nodes")
    ids["target_id"] = await _first(client, admin, f"/api/v1/chains/{chain}/targets")
    ids |= await _enterprise_history(client, admin, ids["enterprise_id"])
    writes = {
        "department_id": client.post("/api/v1/departments", json={"name": "模糊测试部"}, headers=admin),
        "client_id": client.post("/api/v1/clients", json={"name": "fuzz", "scopes": ["read"]}, headers=admin),
        "webhook_id": client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=admin),
        "report_id": client.post(
            f"/api/v1/tasks/{task}/progress-reports",
            json={"period": "2024-05", "percent": 10, "summary": "进展"},
            headers=admin,
        ),
        "request_id": client.post(
            f"/api/v1/tasks/{task}/extension-requests",
            json={"new_due_date": "2026-06-30", "reason": "延期"},
            headers=admin,
        ),
        "attachment_id": client.post(
            "/api/v1/attachments", files={"file": ("a.txt", b"fuzz", "text/plain")}, headers=admin
        ),
    }
    for name, request in writes.items():
        ids[name] = _created(await request)
    return {name: value for name, value in ids.items() if value}


@asynccontextmanager
async def fuzz_world(database_url: str) -> AsyncIterator[World]:
    async with serve(database_url, webhook_allowed_networks="127.0.0.0/8") as (app, client):
        await seed_all(app.state.session_factory)
        await make_user(app, "fuzz-admin", ["admin"])
        await make_user(app, "fuzz-viewer", ["viewer"])
        admin = await bearer(client, "fuzz-admin")
        world = World({"admin": admin, "viewer": await bearer(client, "fuzz-viewer")})
        world.ids = await _collect_ids(client, admin)
        yield world
        await empty_tables(app)
