"""Operators see the integration in /metrics: the relay's state is read from the database, so an API
process shows what a separate `gaoxin relay` did."""

from __future__ import annotations

import asyncio
import re

import httpx

from tests.e2e.conftest import create_task, signed_in
from tests.e2e.served import Served, served_env
from tests.support.receiver import Receiver


def metric(text: str, name: str, **labels: str) -> float | None:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))  # the exposition sorts them
    pattern = rf"^{re.escape(name)}(?:\{{{re.escape(wanted)}\}})? (\S+)$" if wanted else rf"^{name} (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1)) if found else None


async def scrape_until(served: Served, done, *, within: float = 20.0) -> str:
    async with httpx.AsyncClient(base_url=served.base_url) as http:
        for _ in range(int(within / 0.2)):
            text = (await http.get("/metrics")).text
            if done(text):
                return text
            await asyncio.sleep(0.2)
    raise AssertionError(f"/metrics never showed it:\n{text}")


async def test_an_api_process_shows_what_a_separate_relay_delivered(tmp_path, database_url):
    env = served_env(database_url, relay_in_process="false", webhook_backoff="600")
    async with Receiver(answers=[503]) as receiver, Served.serve(env, tmp_path / "serve.log") as served:
        before = await scrape_until(served, lambda t: metric(t, "gaoxin_relay_state_up") == 1)
        assert metric(before, "gaoxin_outbox_waiting_events") > 0  # the seed's events: no relay runs yet
        assert metric(before, "gaoxin_sweep_last_run_timestamp_seconds") == 0
        async with signed_in(served) as http:
            hook = (
                await http.post(
                    "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["task.created"]}
                )
            ).json()
            await create_task(http, "监控可见的任务")
            await create_task(http, "第二个任务")
        relay = await Served(["relay"], env, tmp_path / "relay.log").start()
        try:
            after = await scrape_until(
                served,
                lambda t: (
                    metric(t, "gaoxin_webhook_delivery_attempts_total", outcome="delivered") == 1
                    and metric(t, "gaoxin_webhook_delivery_attempts_total", outcome="rejected") == 1
                ),
            )
        finally:
            assert await relay.stop() == 0, relay.output()
    # the first attempt met a 503 and waits out its backoff: one delivery pending for this webhook
    assert metric(after, "gaoxin_webhook_deliveries", webhook_id=hook["id"], status="pending") == 1
    assert metric(after, "gaoxin_outbox_waiting_events") == 0
    assert metric(after, "gaoxin_outbox_oldest_waiting_seconds") == 0
    assert metric(after, "gaoxin_sweep_last_run_timestamp_seconds") > 0
    assert metric(after, "gaoxin_nats_publish_failures_total") == 0
