"""Idempotency-Key: a retried creation answers the first response again and creates nothing twice."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from infrastructure.db.tables.integration import idempotency_keys
from tests.support.accounts import bearer, make_user


async def _departments(client, headers) -> list[str]:
    return [d["name"] for d in (await client.get("/api/v1/departments", headers=headers)).json()["items"]]


async def test_replay_answers_the_first_response_and_creates_once(client, admin):
    headers = admin | {"Idempotency-Key": "create-dept-1"}
    first = await client.post("/api/v1/departments", json={"name": "商务局"}, headers=headers)
    again = await client.post("/api/v1/departments", json={"name": "商务局"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await _departments(client, admin) == ["商务局"]


async def test_same_key_other_body_is_422_and_writes_nothing(client, admin):
    headers = admin | {"Idempotency-Key": "k2"}
    await client.post("/api/v1/departments", json={"name": "甲"}, headers=headers)
    other = await client.post("/api/v1/departments", json={"name": "乙"}, headers=headers)
    assert other.status_code == 422 and other.json()["type"] == "/problems/validation-error"
    assert await _departments(client, admin) == ["甲"]


async def test_a_refused_request_is_replayed_as_refused(client, admin):
    headers = admin | {"Idempotency-Key": "k3"}
    first = await client.post("/api/v1/departments", json={"name": ""}, headers=headers)
    again = await client.post("/api/v1/departments", json={"name": ""}, headers=headers)
    assert first.status_code == again.status_code == 422 and first.json() == again.json()


async def test_keys_are_scoped_to_the_caller(app, client, admin):
    await make_user(app, "planner1", ["planner"])
    planner = await bearer(client, "planner1")
    await client.post("/api/v1/departments", json={"name": "丙"}, headers=admin | {"Idempotency-Key": "same"})
    mine = await client.post(
        "/api/v1/departments", json={"name": "丁"}, headers=planner | {"Idempotency-Key": "same"}
    )
    assert mine.status_code == 201
    assert sorted(await _departments(client, admin)) == ["丁", "丙"]


async def test_an_overlong_key_is_400(client, admin):
    response = await client.post(
        "/api/v1/departments", json={"name": "戊"}, headers=admin | {"Idempotency-Key": "x" * 256}
    )
    assert response.status_code == 400
    assert await _departments(client, admin) == []


async def test_fifty_parallel_replays_create_one_resource(app, client, admin):
    headers = admin | {"Idempotency-Key": "parallel"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/departments", json={"name": "并发局"}, headers=headers) for _ in range(50))
    )
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, statuses
    assert statuses.count(201) >= 1
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert all(r.json()["rule"] == "idempotency-in-flight" for r in responses if r.status_code == 409)
    assert await _departments(client, admin) == ["并发局"]


async def test_a_refused_write_is_stored_and_replayed_without_waiting_for_its_own_lock(client, admin):
    """A write refused after its unit of work began (no such client) answers at once: its unit is closed
    before the first response is stored in a transaction of its own (SQLite has one writer)."""
    headers = admin | {"Idempotency-Key": "rotate-nobody"}
    first = await asyncio.wait_for(client.post("/api/v1/clients/nobody/rotate", headers=headers), timeout=5)
    again = await asyncio.wait_for(client.post("/api/v1/clients/nobody/rotate", headers=headers), timeout=5)
    assert first.status_code == again.status_code == 404
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"


async def test_the_answer_ends_only_once_it_is_stored_for_a_replay(app, admin):
    """A client that retries the moment it has the whole answer gets it replayed: the last part of the body
    is sent after the answer is stored (before, a retry could come back 409 "still being processed")."""
    seen: list[tuple[bool, str | None]] = []

    async def send(message) -> None:
        if message["type"] == "http.response.body":
            async with app.state.session_factory() as session:
                state = await session.scalar(
                    select(idempotency_keys.c.state).where(idempotency_keys.c.key == "ends-stored")
                )
            seen.append((message.get("more_body", False), state))

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    path = "/api/v1/clients/nobody/rotate"
    headers = {"host": "test", "authorization": admin["Authorization"], "idempotency-key": "ends-stored"}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("test", 80),
        "state": {},
    }
    await app(scope, receive, send)
    assert seen[-1] == (False, "completed")
