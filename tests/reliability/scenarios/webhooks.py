"""Receiver faults: the webhook receiver goes down and comes back while writes go on; every event of a
write that answered 201 must reach it in the end (at least once), through the app's own in-process relay."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import Counter

from tests.reliability.scenarios.harness import admin_headers, database, make_plan, make_task, serve
from tests.support.receiver import Receiver, free_port

SCENARIO = "receiver faults (webhooks)"
# Retries after 0.2 s … 8 s, about 32 s in all: longer than any down period, so nothing may be given up.
BACKOFF = "0.2,0.5,1,2,4,8,8,8"
DRAIN_SECONDS = 60.0


async def _writer(client, headers, plan_id, written: list[str], statuses: Counter, stop, worker: int) -> None:
    for n in itertools.count():
        if stop.is_set():
            return
        response = await make_task(client, headers, plan_id, f"推送任务 {worker}-{n}")
        statuses[response.status_code] += 1
        if response.status_code == 201:
            written.append(response.json()["id"])
        await asyncio.sleep(0.04)


async def _attempts(client, headers, hook_id: str) -> Counter:
    """Delivery attempts recorded by the relay, and deliveries by status."""
    tally, cursor = Counter(), None
    while True:
        params = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get(f"/api/v1/webhooks/{hook_id}/deliveries", params=params, headers=headers)
        ).json()
        for delivery in page["items"]:
            tally["attempts"] += delivery["attempts"]
            tally[f"deliveries_{delivery['status']}"] += 1
        if not (cursor := page["next_cursor"]):
            return tally


def _delivered(receiver: Receiver) -> Counter:
    """How often each task's event arrived."""
    return Counter(json.loads(r["body"])["data"]["subject"]["id"] for r in receiver.received)


async def soak(seconds: float, figures, *, up: float = 3.0, down: float = 3.0, writers: int = 2) -> list[str]:
    """Writes for `seconds` while the receiver is down for `down` s after every `up` s; then drain."""
    receiver, statuses, written = Receiver(port=free_port()), Counter(), []
    began, stop = time.monotonic(), asyncio.Event()
    async with (
        database("webhooks") as url,
        serve(url, start_relay=True, webhook_backoff=BACKOFF, webhook_allowed_networks="127.0.0.0/8") as (
            app,
            client,
        ),
    ):
        admin = await admin_headers(app, client)
        plan_id = await make_plan(client, admin)
        hook = {"url": receiver.url, "event_types": ["task.created"]}
        registered = await client.post("/api/v1/webhooks", json=hook, headers=admin)
        assert registered.status_code == 201, registered.text
        await receiver.start()
        load = [
            asyncio.create_task(_writer(client, admin, plan_id, written, statuses, stop, w))
            for w in range(writers)
        ]
        outages = 0
        while time.monotonic() + up + down < began + seconds:
            await asyncio.sleep(up)
            await receiver.stop()
            outages += 1
            await asyncio.sleep(down)
            await receiver.start()
        await asyncio.sleep(max(0.0, began + seconds - time.monotonic()))
        stop.set()
        await asyncio.gather(*load)
        drained = time.monotonic()
        while set(written) - set(_delivered(receiver)) and time.monotonic() - drained < DRAIN_SECONDS:
            await asyncio.sleep(0.2)
        settled = time.monotonic()  # the relay records the last 2xx answers after the receiver has them
        while (attempts := await _attempts(client, admin, registered.json()["id"]))["deliveries_pending"]:
            if time.monotonic() - settled > 10:
                break
            await asyncio.sleep(0.2)
        await receiver.stop()
    delivered = _delivered(receiver)
    lost = [i for i in written if i not in delivered]
    figures.took(SCENARIO, time.monotonic() - began)
    figures.responses(SCENARIO, statuses)
    figures.fault(SCENARIO, outages)
    figures.event(SCENARIO, delivered=len(written) - len(lost), lost=len(lost))
    figures.check(
        SCENARIO,
        webhook_requests=len(receiver.received),
        duplicates=sum(delivered.values()) - len(delivered),
        drain_ms=int(1000 * (time.monotonic() - drained)),
        **attempts,
    )
    problems = [f"{len(lost)} of {len(written)} events never reached the receiver"] if lost else []
    return problems + [f"{statuses[500]} writes answered 500"] * bool(statuses[500])
