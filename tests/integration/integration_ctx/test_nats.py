"""The NATS JetStream sink against the real server on 127.0.0.1:4222 (skipped when none answers)."""

from __future__ import annotations

import json
import os
import socket

import httpx
import nats
import pytest
from nats.js.api import ConsumerConfig, DeliverPolicy

from domain.shared.events import DomainEvent
from infrastructure.outbox.nats_sink import STREAM, NatsSink, subject_for
from infrastructure.outbox.relay import Relay
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

NATS_URL = os.environ.get("GAOXIN_TEST_NATS_URL", "nats://127.0.0.1:4222")


def _nats_answers() -> bool:
    host, port = NATS_URL.removeprefix("nats://").split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _nats_answers(), reason=f"no NATS server answers at {NATS_URL}")


async def test_relay_publishes_each_event_once_to_jetstream(app):
    sink = NatsSink(NATS_URL)
    await sink.connect()
    nc = await nats.connect(NATS_URL)
    js = nc.jetstream()
    subject = subject_for("indicator.observed")
    marker = f"nats-test-{os.getpid()}-{id(app)}"
    try:
        # only what is published from now on: the stream keeps earlier runs' events
        consumer = await js.pull_subscribe(
            subject, durable=None, stream=STREAM, config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW)
        )
        async with httpx.AsyncClient() as http:
            relay = Relay(app.state.session_factory, backoff=[0.0], http=http, publish=sink.publish)
            for n in range(3):
                async with SqlAlchemyUnitOfWork(app.state.session_factory, actor="test") as uow:
                    uow.record(
                        DomainEvent(
                            type="indicator.observed",
                            subject_type="indicator",
                            subject_id=f"{marker}-{n}",
                            data={"n": n},
                        )
                    )
                    await uow.commit()
            assert await relay.fan_out() == 3
            assert await relay.fan_out() == 0  # marked relayed after the broker's ack
        mine = []
        for _ in range(10):
            try:
                messages = await consumer.fetch(50, timeout=1)
            except TimeoutError:
                messages = []
            for message in messages:
                await message.ack()
            mine += [json.loads(m.data) for m in messages if marker in m.data.decode()]
            if len(mine) >= 3:
                break
        assert sorted(m["subject"]["id"] for m in mine) == [f"{marker}-{n}" for n in range(3)]
        # a relay that crashed before marking would publish again: the stream drops the duplicate
        ack = await js.publish(subject, json.dumps(mine[0]).encode(), headers={"Nats-Msg-Id": mine[0]["id"]})
        assert ack.duplicate is True
    finally:
        await nc.close()
        await sink.close()
