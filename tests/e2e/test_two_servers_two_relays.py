"""The deployment of docs/DEPLOYMENT.md: two API processes and two relays on one PostgreSQL lose and
duplicate no event, under concurrent writes."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.e2e.conftest import create_task, signed_in
from tests.e2e.served import Served, served_env
from tests.support.databases import backend
from tests.support.receiver import Receiver

pytestmark = pytest.mark.skipif(backend() != "postgresql", reason="several relays share PostgreSQL only")
WRITES = 120


async def test_two_servers_two_relays_deliver_every_event_exactly_once(tmp_path, database_url):
    env = served_env(database_url, relay_in_process="false", webhook_backoff="0.2,0.2,0.2")
    first = await Served.serve(env, tmp_path / "serve-1.log").start()
    second = await Served.serve(env, tmp_path / "serve-2.log").start()
    relays = [await Served(["relay"], env, tmp_path / f"relay-{n}.log").start() for n in (1, 2)]
    processes = [first, second, *relays]
    try:
        async with Receiver() as receiver, signed_in(first) as one, signed_in(second) as two:
            hook = {"url": receiver.url, "event_types": ["task.created"]}
            assert (await one.post("/api/v1/webhooks", json=hook)).status_code == 201
            tasks = await asyncio.gather(
                *(create_task((one, two)[n % 2], f"任务{n:03d}") for n in range(WRITES))
            )
            await receiver.wait_for(WRITES, within=60)
            await asyncio.sleep(1.0)  # a duplicate would arrive now, if any relay sent one
    finally:
        codes = [await process.stop() for process in processes]
    assert codes == [0, 0, 0, 0], "".join(p.output() for p in processes)
    delivered = [json.loads(r["body"])["data"]["subject"]["id"] for r in receiver.received]
    assert sorted(delivered) == sorted(t["id"] for t in tasks)  # none lost, none twice
    ids = [r["headers"]["webhook-id"] for r in receiver.received]
    assert len(set(ids)) == len(ids) == WRITES
