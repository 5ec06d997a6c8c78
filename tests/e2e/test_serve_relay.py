"""`gaoxin serve` with one worker runs the relay in-process: webhooks and NATS get a write's event."""

from __future__ import annotations

import asyncio
import json
import os
import signal

import nats
import pytest
from nats.js.api import ConsumerConfig, DeliverPolicy
from standardwebhooks import Webhook

from infrastructure.outbox.nats_sink import STREAM, NatsSink, subject_for
from tests.e2e.conftest import create_task, signed_in
from tests.e2e.served import Served, served_env
from tests.support.receiver import Receiver

NATS_URL = os.environ.get("GAOXIN_TEST_NATS_URL", "nats://127.0.0.1:4222")
# An ephemeral consumer left without a pull request is dropped after 5 s by default: a first start (migrate,
# seed) takes longer than that on PostgreSQL.
NATS_CONSUMER_KEPT = 300.0


def verified(delivery: dict, secret: str) -> dict:
    """The delivery's body once its Standard Webhooks signature is checked by the reference library."""
    return Webhook(secret).verify(delivery["body"], delivery["headers"])


async def test_a_write_reaches_a_new_webhook_signed_and_nats_with_the_same_event_id(tmp_path, database_url):
    sink = NatsSink(NATS_URL)
    await sink.connect()  # the stream exists before the consumer that reads only what comes next
    broker = await nats.connect(NATS_URL)
    env = served_env(database_url, nats_url=NATS_URL, webhook_backoff="1,1,1")
    try:
        consumer = await broker.jetstream().pull_subscribe(
            subject_for("task.created"),
            stream=STREAM,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW, inactive_threshold=NATS_CONSUMER_KEPT),
        )
        async with Receiver() as receiver, Served.serve(env, tmp_path / "serve.log") as served:
            async with signed_in(served) as http:
                # task.created only: the seed wrote 82 of them before; the served sweep's task.overdue
                # events of the seeded plan may well be committed after the subscription
                hook = await http.post(
                    "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["task.created"]}
                )
                assert hook.status_code == 201, hook.text
                task = await create_task(http, "端到端测试任务")
                [delivery] = await receiver.wait_for(1)
            body = verified(delivery, hook.json()["secret"])
            assert body["type"] == "task.created"
            assert body["data"]["subject"] == {"type": "task", "id": task["id"]}
            event_id = delivery["headers"]["webhook-id"]
            published = await _published(consumer, task["id"])
            assert published["id"] == event_id
            code = await served.stop()
        # a new subscription starts now: the seed's hundreds of events were not sent to it
        assert len(receiver.received) == 1
        assert code == 0, served.output()
        assert "relay stopped" in served.output()
    finally:
        await broker.close()
        await sink.close()


async def _published(consumer, subject_id: str) -> dict:
    for _ in range(20):
        try:
            messages = await consumer.fetch(20, timeout=1)
        except TimeoutError:
            continue
        for message in messages:
            await message.ack()
            event = json.loads(message.data)
            if event["subject"]["id"] == subject_id:
                return event
    raise AssertionError("the event never reached NATS")


async def test_sigterm_cuts_a_delivery_cleanly_and_the_restart_delivers_it_at_once(tmp_path, database_url):
    # One try, then a long wait: were the cut attempt counted, the restart would not send again in time.
    env = served_env(database_url, webhook_backoff="600")
    async with Receiver() as receiver:
        served = await Served.serve(env, tmp_path / "serve.log").start()
        async with signed_in(served) as http:
            subscription = {"url": receiver.url, "event_types": ["task.created"]}
            hook = (await http.post("/api/v1/webhooks", json=subscription)).json()
            receiver.holding = True  # the receiver takes the request and never answers
            await create_task(http, "将被中断推送的任务")
            [cut] = await receiver.wait_for(1)
        code = await served.stop(signal.SIGTERM, within=15)
        assert code == 0, served.output()
        assert "relay stopped" in served.output()
        receiver.release()

        restarted = await Served(served.args, env, tmp_path / "serve.log", port=served.port).start()
        try:
            # the lease was released on shutdown: no 30 s wait for it to run out
            received = await receiver.wait_for(2, within=10)
            async with signed_in(restarted) as http:
                [delivery] = (await http.get(f"/api/v1/webhooks/{hook['id']}/deliveries")).json()["items"]
        finally:
            assert await restarted.stop() == 0, restarted.output()
    assert received[1]["headers"]["webhook-id"] == cut["headers"]["webhook-id"]
    verified(received[1], hook["secret"])
    assert delivery["status"] == "succeeded"
    assert delivery["attempts"] == 1  # the cut one was released, not counted as a failure


@pytest.mark.parametrize("workers", [2])
async def test_several_workers_beside_a_relay_deliver_each_event_once(tmp_path, database_url, workers):
    env = served_env(database_url, relay_in_process="true", webhook_backoff="1,1,1")
    async with Receiver() as receiver:
        served = await Served.serve(env, tmp_path / "serve.log", "--workers", str(workers)).start()
        relay = await Served(["relay"], env, tmp_path / "relay.log").start()
        try:
            async with signed_in(served) as http:
                await http.post(
                    "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["task.created"]}
                )
                tasks = [await create_task(http, f"并发任务{n:02d}") for n in range(30)]
                await receiver.wait_for(len(tasks), within=30)
                await asyncio.sleep(2)  # a duplicate would arrive now, if anything sent one twice
        finally:
            codes = [await served.stop(), await relay.stop()]
    assert codes == [0, 0], served.output() + relay.output()
    delivered = [json.loads(r["body"])["data"]["subject"]["id"] for r in receiver.received]
    assert sorted(delivered) == sorted(t["id"] for t in tasks)  # every one, none twice
    ids = [r["headers"]["webhook-id"] for r in receiver.received]
    assert len(set(ids)) == len(ids)
