"""Webhook delivery to a real HTTP receiver on loopback: signatures, retries, outages, 410, redelivery."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from standardwebhooks import Webhook as StandardWebhook

from domain.shared.events import DomainEvent
from infrastructure.outbox.relay import Relay
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.app import create_app
from tests.conftest import make_settings
from tests.integration.integration_ctx.conftest import BACKOFF, LOOPBACK
from tests.support.lifespan import running
from tests.support.receiver import Receiver, free_port


async def _register(client, admin, url: str, **extra) -> dict:
    response = await client.post("/api/v1/webhooks", json={"url": url, **extra}, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


async def _write_events(app, count: int, kind: str = "task.urged", subject: str = "t") -> None:
    for n in range(count):
        async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
            subject_id = subject if count == 1 and subject != "t" else f"{subject}{n}"
            uow.record(DomainEvent(type=kind, subject_type="task", subject_id=subject_id, data={"n": n}))
            await uow.commit()


async def _drain(relay: Relay, rounds: int = 20) -> None:
    for _ in range(rounds):
        if not (await relay.fan_out() + await relay.deliver_due()):
            return


async def test_signature_verifies_with_the_standard_webhooks_library(app, client, admin, relay):
    async with Receiver() as receiver:
        hook = await _register(client, admin, receiver.url)
        await _write_events(app, 1)
        await _drain(relay)
    assert len(receiver.received) == 1
    request = receiver.received[0]
    payload = StandardWebhook(hook["secret"]).verify(request["body"], request["headers"])
    assert payload["type"] == "task.urged" and payload["data"]["n"] == 0
    assert payload["data"]["subject"] == {"type": "task", "id": "t0"}
    with pytest.raises(Exception):  # noqa: B017  a tampered body must fail verification
        StandardWebhook(hook["secret"]).verify(request["body"] + b" ", request["headers"])


async def test_a_receiver_failing_twice_then_succeeding_gets_the_same_webhook_id(app, client, admin, relay):
    async with Receiver(answers=[500, 503]) as receiver:
        await _register(client, admin, receiver.url)
        await _write_events(app, 1)
        await _drain(relay)
    ids = {r["headers"]["webhook-id"] for r in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1
    hook_id = (await client.get("/api/v1/webhooks", headers=admin)).json()["items"][0]["id"]
    deliveries = (await client.get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=admin)).json()["items"]
    assert deliveries[0]["status"] == "succeeded" and deliveries[0]["attempts"] == 3


async def test_a_receiver_down_during_200_writes_gets_all_200_afterwards(app, client, admin, relay):
    port = free_port()
    receiver = Receiver(port=port)
    await _register(client, admin, receiver.url)
    await _write_events(app, 200)
    await relay.fan_out()
    await relay.deliver_due()  # connection refused: every delivery rescheduled
    await receiver.start()
    try:
        await _drain(relay, rounds=40)
    finally:
        await receiver.stop()
    numbers = sorted(json.loads(r["body"])["data"]["n"] for r in receiver.received)
    assert numbers == list(range(200))


async def test_exhausted_retries_stay_failed_and_an_admin_can_redeliver(app, client, admin, relay):
    async with Receiver(answers=[500] * 4) as receiver:
        hook = await _register(client, admin, receiver.url)
        await _write_events(app, 1)
        await _drain(relay)
        url = f"/api/v1/webhooks/{hook['id']}/deliveries"
        delivery = (await client.get(url, headers=admin)).json()["items"][0]
        assert delivery["status"] == "failed" and delivery["attempts"] == 4
        retried = await client.post(f"{url}/{delivery['id']}/retry", headers=admin)
        assert retried.status_code == 200 and retried.json()["status"] == "pending"
        await _drain(relay)
        assert (await client.get(url, headers=admin)).json()["items"][0]["status"] == "succeeded"
        again = await client.post(f"{url}/{delivery['id']}/retry", headers=admin)
        assert again.status_code == 409


async def test_410_disables_the_endpoint(app, client, admin, relay):
    async with Receiver(answers=[410]) as receiver:
        hook = await _register(client, admin, receiver.url)
        await _write_events(app, 1)
        await _drain(relay)
        await _write_events(app, 1)
        await _drain(relay)
    state = (await client.get(f"/api/v1/webhooks/{hook['id']}", headers=admin)).json()
    assert state["active"] is False and "410" in state["disabled_reason"]
    assert len(receiver.received) == 1


async def test_event_type_filter_and_secret_shown_once(app, client, admin, relay):
    async with Receiver() as receiver:
        hook = await _register(client, admin, receiver.url, event_types=["indicator.observed"])
        assert hook["secret"].startswith("whsec_")
        shown = await client.get(f"/api/v1/webhooks/{hook['id']}", headers=admin)
        assert "secret" not in shown.json() and hook["secret"] not in shown.text
        await _write_events(app, 2, "task.urged")
        await _write_events(app, 1, "indicator.observed")
        await _drain(relay)
    assert [json.loads(r["body"])["type"] for r in receiver.received] == ["indicator.observed"]


async def test_bad_webhook_bodies_are_422(client, admin):
    for body in (
        {"url": "ftp://x"},
        {"url": "http://127.0.0.1/h", "event_types": ["nope"]},
        {"url": "http://127.0.0.1/h", "secret": "plain"},
    ):
        assert (await client.post("/api/v1/webhooks", json=body, headers=admin)).status_code == 422
    assert (await client.get("/api/v1/webhooks", headers=admin)).json()["items"] == []


async def test_a_change_or_removal_needs_the_current_etag_and_a_refused_one_changes_nothing(client, admin):
    hook = await _register(client, admin, "http://127.0.0.1:9/h")
    url = f"/api/v1/webhooks/{hook['id']}"
    etag = (await client.get(url, headers=admin)).headers["ETag"]
    missing = await client.patch("/api/v1/webhooks/nope", json={"active": False}, headers=admin)
    assert missing.status_code == 404  # before the precondition: there is nothing to match
    assert (await client.patch(url, json={"active": False}, headers=admin)).status_code == 428
    stale = {**admin, "If-Match": '"0123456789abcdef0123456789abcdef"'}
    assert (await client.patch(url, json={"active": False}, headers=stale)).status_code == 412
    assert (await client.delete(url, headers=stale)).status_code == 412
    assert (await client.get(url, headers=admin)).json()["active"] is True
    changed = await client.patch(url, json={"active": False}, headers={**admin, "If-Match": etag})
    assert changed.status_code == 200 and changed.json()["disabled_reason"] == "disabled by an admin"
    assert (await client.delete(url, headers={**admin, "If-Match": etag})).status_code == 412
    gone = await client.delete(url, headers={**admin, "If-Match": changed.headers["ETag"]})
    assert gone.status_code == 204 and (await client.get(url, headers=admin)).status_code == 404


async def test_two_relays_deliver_each_event_exactly_once(app, client, admin):
    if app.state.engine.dialect.name != "postgresql":
        pytest.skip("several relays are a PostgreSQL deployment; SQLite runs one")
    async with Receiver() as receiver:
        await _register(client, admin, receiver.url)
        await _write_events(app, 150)
        async with httpx.AsyncClient(timeout=2.0) as http_a, httpx.AsyncClient(timeout=2.0) as http_b:
            relays = [
                Relay(
                    app.state.session_factory,
                    backoff=BACKOFF,
                    http=h,
                    batch=20,
                    targets=app.state.webhook_targets,
                )
                for h in (http_a, http_b)
            ]

            async def work(relay: Relay) -> None:
                for _ in range(60):
                    await relay.fan_out()
                    await relay.deliver_due()

            await asyncio.gather(*(work(r) for r in relays))
    ids = [r["headers"]["webhook-id"] for r in receiver.received]
    assert len(ids) == 150 and len(set(ids)) == 150


async def test_the_in_process_relay_of_the_served_app_delivers(database_url, client, admin):
    settings = make_settings(database_url, webhook_backoff="0.1", webhook_allowed_networks=LOOPBACK)
    served = create_app(settings, start_relay=True)
    async with Receiver() as receiver, running(served):
        await _register(client, admin, receiver.url)
        await _write_events(served, 3)
        for _ in range(100):
            if len(receiver.received) >= 3:
                break
            await asyncio.sleep(0.05)
    assert len(receiver.received) == 3
