"""A new webhook starts now: events committed before it are not sent, unless replayed from `since`."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from domain.integration.webhooks import Webhook, new_secret
from infrastructure.outbox.feed import visible_in_snapshot
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.integration.integration_ctx.test_webhooks import _drain, _register, _write_events
from tests.support.receiver import Receiver


def _subjects(receiver: Receiver) -> list[str]:
    return sorted(json.loads(r["body"])["data"]["subject"]["id"] for r in receiver.received)


async def _feed_end(client, admin) -> str:
    cursor, page = None, {"items": [None]}
    while page["items"]:
        page = (
            await client.get("/api/v1/events", params={"limit": 200, "after": cursor}, headers=admin)
        ).json()
        cursor = page["next_cursor"]
    return cursor


async def test_events_committed_before_the_webhook_are_not_sent_to_it(app, client, admin, relay):
    await _write_events(app, 3)  # not yet relayed: the old fan-out sent them to whoever was subscribed then
    async with Receiver() as receiver:
        await _register(client, admin, receiver.url)
        await _write_events(app, 2, kind="task.created")
        await _drain(relay)
    assert [json.loads(r["body"])["type"] for r in receiver.received] == ["task.created", "task.created"]


async def test_since_replays_the_events_after_the_cursor_and_then_follows(app, client, admin, relay):
    await _write_events(app, 2)  # t0, t1: before the cursor
    cursor = await _feed_end(client, admin)
    await _write_events(app, 3, kind="task.created")  # t0..t2 again as subjects, after the cursor
    await _drain(relay)  # relayed already, to nobody
    async with Receiver() as receiver:
        await _register(client, admin, receiver.url, since=cursor, event_types=["task.created"])
        await _write_events(app, 1, kind="task.created")  # after the creation
        await _drain(relay)
    types = [json.loads(r["body"])["type"] for r in receiver.received]
    assert types == ["task.created"] * 4
    assert _subjects(receiver) == ["t0", "t0", "t1", "t2"]
    ids = [r["headers"]["webhook-id"] for r in receiver.received]
    assert len(set(ids)) == 4


async def test_since_start_replays_the_whole_feed(app, client, admin, relay):
    await _write_events(app, 2)
    await _drain(relay)
    async with Receiver() as receiver:
        await _register(client, admin, receiver.url, since="start")
        await _drain(relay)
    assert _subjects(receiver) == ["t0", "t1"]


async def test_a_forged_since_is_a_400_and_creates_nothing(client, admin):
    response = await client.post(
        "/api/v1/webhooks", json={"url": "http://127.0.0.1/h", "since": "x.y"}, headers=admin
    )
    assert response.status_code == 400
    assert (await client.get("/api/v1/webhooks", headers=admin)).json()["items"] == []


async def test_an_event_committed_while_a_webhook_is_created_reaches_it(app, relay):
    """The race the subscription lock closes: the creation has taken its start, an event commits, a relay
    fans it out — before the creation commits. The fan-out must wait for it, or the event is lost to the
    new endpoint (after its start, so never replayed; relayed, so never fanned out again)."""
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: the creation holds it, nothing commits meanwhile")
    async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
        start_row, start_snapshot = await uow.events.subscription_start()
        hook = Webhook(
            url="http://127.0.0.1:9/h",
            secret=new_secret(),
            created_at=datetime.now(UTC),
            start_row=start_row,
            start_snapshot=start_snapshot,
        )
        uow.webhooks.add(hook)
        await uow.flush()
        await _write_events(app, 1, kind="task.created", subject="during")
        fanning = asyncio.create_task(relay.fan_out())
        await asyncio.sleep(0.5)
        assert not fanning.done(), "the fan-out ran while the subscription was being created"
        await uow.commit()
    assert await fanning == 1
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        deliveries = await uow.deliveries.of_webhook(hook.id, after=None, limit=10)
        assert [d.event_type for d in deliveries] == ["task.created"]


async def test_visibility_in_a_snapshot_is_postgresqls_own(app):
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("snapshots are PostgreSQL's")
    snapshot = "100:110:102,105"
    async with app.state.engine.connect() as connection:
        for txid in (99, 100, 101, 102, 104, 105, 109, 110, 111):
            theirs = await connection.scalar(
                text(
                    "SELECT pg_visible_in_snapshot(CAST(CAST(:t AS bigint) AS text)::xid8,"
                    " CAST(CAST(:s AS text) AS pg_snapshot))"
                ),
                {"t": txid, "s": snapshot},
            )
            assert visible_in_snapshot(txid, snapshot) is theirs, txid
