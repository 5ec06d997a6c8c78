"""The audit log: every write with actor, request id, before and after; a refused write leaves none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from domain.identity.handlers import accounts
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.support.accounts import bearer, make_user
from tests.support.audit_guard import past_the_audit_guard


@pytest.fixture
async def admin(app, client) -> dict[str, str]:
    await make_user(app, "root", ["admin"])
    return await bearer(client, "root")


async def _entries(client, headers, **params) -> list[dict]:
    return (await client.get("/api/v1/audit-log", params=params, headers=headers)).json()["items"]


async def test_a_write_is_logged_with_actor_request_id_and_redacted_secrets(app, client, admin):
    created = await client.post(
        "/api/v1/users",
        json={"username": "qian", "password": "Sun-Shine-2025", "roles": ["viewer"]},
        headers=admin | {"X-Request-ID": "req-42"},
    )
    user_id = created.json()["id"]
    entries = await _entries(client, admin, resource_type="user", resource_id=user_id)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["actor"] == "root" and entry["action"] == "user.create" and entry["request_id"] == "req-42"
    assert entry["before"] is None and entry["after"]["username"] == "qian"
    assert entry["after"]["password_hash"] == "changed"
    assert "Sun-Shine-2025" not in str(entries) and "argon2" not in str(entries)

    etag = (await client.get(f"/api/v1/users/{user_id}", headers=admin)).headers["etag"]
    await client.patch(
        f"/api/v1/users/{user_id}", json={"roles": ["planner"]}, headers=admin | {"If-Match": etag}
    )
    update = (await _entries(client, admin, resource_type="user", resource_id=user_id))[-1]
    assert update["action"] == "user.update"
    assert update["before"] == {"roles": ["viewer"]} and update["after"] == {"roles": ["planner"]}


async def test_a_refused_or_rolled_back_write_leaves_no_entry(app, client, admin):
    before = await _entries(client, admin, resource_type="department")
    refused = await client.post("/api/v1/departments", json={"name": ""}, headers=admin)
    assert refused.status_code == 422
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        uow.departments.add(accounts.Department(name="never committed"))
        await uow.flush()
    assert await _entries(client, admin, resource_type="department") == before


async def test_entries_filter_by_actor_and_time_and_page(app, client, admin):
    for n in range(3):
        await client.post("/api/v1/departments", json={"name": f"部门{n}"}, headers=admin)
    by_root = await _entries(client, admin, actor="root", resource_type="department")
    assert [e["after"]["name"] for e in by_root] == ["部门0", "部门1", "部门2"]
    assert await _entries(client, admin, actor="nobody") == []
    future = datetime(2100, 1, 1, tzinfo=UTC).isoformat()
    assert await _entries(client, admin, since=future) == []
    first = (await client.get("/api/v1/audit-log", params={"limit": 2}, headers=admin)).json()
    second = (
        await client.get(
            "/api/v1/audit-log", params={"limit": 2, "cursor": first["next_cursor"]}, headers=admin
        )
    ).json()
    assert {e["id"] for e in first["items"]}.isdisjoint({e["id"] for e in second["items"]})


async def test_verify_detects_an_entry_altered_in_the_database(app, client, admin):
    for n in range(3):
        await client.post("/api/v1/departments", json={"name": f"局{n}"}, headers=admin)
    assert (await client.get("/api/v1/audit-log/verify", headers=admin)).json()["valid"] is True
    victim = (await _entries(client, admin, resource_type="department"))[1]
    async with past_the_audit_guard(app.state.engine) as connection:  # as the table's owner could
        await connection.execute(
            text("UPDATE audit_log SET actor = 'mallory' WHERE id = :id"), {"id": int(victim["id"])}
        )
    verdict = (await client.get("/api/v1/audit-log/verify", headers=admin)).json()
    assert verdict["valid"] is False and verdict["first_broken_id"] == victim["id"]


async def test_verify_detects_a_removed_entry(app, client, admin):
    for n in range(3):
        await client.post("/api/v1/departments", json={"name": f"处{n}"}, headers=admin)
    victim = (await _entries(client, admin, resource_type="department"))[1]
    async with past_the_audit_guard(app.state.engine) as connection:
        await connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": int(victim["id"])})
    assert (await client.get("/api/v1/audit-log/verify", headers=admin)).json()["valid"] is False


async def test_the_log_cannot_be_changed_over_http(client, admin):
    for method in ("DELETE", "PATCH", "PUT", "POST"):
        response = await client.request(method, "/api/v1/audit-log", headers=admin, json={})
        assert response.status_code == 405


async def test_auditor_reads_the_log_and_nothing_else(app, client):
    await make_user(app, "audit1", ["auditor"])
    headers = await bearer(client, "audit1")
    assert (await client.get("/api/v1/audit-log", headers=headers)).status_code == 200
    assert (await client.get("/api/v1/departments", headers=headers)).status_code == 403
