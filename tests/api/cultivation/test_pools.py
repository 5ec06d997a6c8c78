"""Pools over HTTP: enter, leave (no If-Match), twice is a 409, an unknown pool a 404, events for both."""

from __future__ import annotations

import pytest

from domain.shared.clock import SystemClock
from infrastructure.db.tables import cultivation as t
from tests.api.cultivation.helpers import audit_entries, count, events, register

POOL = "/api/v1/pools/high_growth_reserve/members"


@pytest.fixture
async def enterprise(client, officer) -> dict:
    return await register(client, officer, name="爱母医疗")


async def test_enter_list_and_leave_a_pool(app, client, officer, enterprise):
    added = await client.post(
        POOL, json={"enterprise_id": enterprise["id"], "reason": "高成长"}, headers=officer
    )
    assert added.status_code == 201 and added.headers["etag"]
    member = added.json()
    today = SystemClock().today().isoformat()
    assert (member["pool"], member["enterprise_id"], member["entered_by"], member["entered_on"]) == (
        "high_growth_reserve",
        enterprise["id"],
        "officer_li",
        today,
    )
    listed = (await client.get(POOL, headers=officer)).json()["items"]
    assert [m["enterprise_id"] for m in listed] == [enterprise["id"]] and listed[0]["etag"]
    removed = await client.delete(f"{POOL}/{enterprise['id']}", params={"reason": "已上市"}, headers=officer)
    assert removed.status_code == 204
    assert (await client.get(POOL, headers=officer)).json()["items"] == []
    added_event, removed_event = await events(app, "pool.member_added") + await events(
        app, "pool.member_removed"
    )
    assert added_event.data["enterprise_id"] == removed_event.data["enterprise_id"] == enterprise["id"]
    assert removed_event.data["reason"] == "已上市"
    assert [e.action for e in await audit_entries(app) if e.resource_type == "pool_membership"] == [
        "pool_membership.create",
        "pool_membership.update",
    ]
    again = await client.post(POOL, json={"enterprise_id": enterprise["id"]}, headers=officer)
    assert again.status_code == 201  # a new stay after the last one ended


async def test_adding_twice_is_a_409_and_writes_nothing(app, client, officer, enterprise):
    await client.post(POOL, json={"enterprise_id": enterprise["id"]}, headers=officer)
    twice = await client.post(POOL, json={"enterprise_id": enterprise["id"]}, headers=officer)
    assert twice.status_code == 409 and twice.json()["rule"] == "duplicate"
    assert await count(app, t.pool_memberships) == 1
    other = await client.post(
        "/api/v1/pools/going_global/members", json={"enterprise_id": enterprise["id"]}, headers=officer
    )
    assert other.status_code == 201  # several pools at once


async def test_an_unknown_pool_is_a_404_everywhere(app, client, officer, enterprise):
    bad = "/api/v1/pools/gold_reserve/members"
    assert (await client.get(bad, headers=officer)).status_code == 404
    assert (
        await client.post(bad, json={"enterprise_id": enterprise["id"]}, headers=officer)
    ).status_code == 404
    assert (await client.delete(f"{bad}/{enterprise['id']}", headers=officer)).status_code == 404
    assert await count(app, t.pool_memberships) == 0


async def test_unknown_enterprise_and_not_a_member(app, client, officer, viewer, enterprise):
    unknown = await client.post(POOL, json={"enterprise_id": "0000nothere0000"}, headers=officer)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["body", "enterprise_id"]
    assert (await client.delete(f"{POOL}/{enterprise['id']}", headers=officer)).status_code == 404
    assert (
        await client.post(POOL, json={"enterprise_id": enterprise["id"]}, headers=viewer)
    ).status_code == 403
    assert await count(app, t.pool_memberships) == 0
    assert await events(app, "pool.member_added") == []
