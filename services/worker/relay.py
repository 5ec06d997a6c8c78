"""Run the relay: `gaoxin relay` as its own process, or inside `gaoxin serve` (one worker only)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker

from infrastructure.outbox.nats_sink import NatsSink
from infrastructure.outbox.relay import Relay
from infrastructure.outbox.targets import WebhookTargets
from infrastructure.settings import Settings
from services.worker.sweep import DailySweep

log = logging.getLogger("gaoxin.relay")
WEBHOOK_TIMEOUT_SECONDS = 5.0


async def run_relay(settings: Settings, session_factory: async_sessionmaker, stop: asyncio.Event) -> None:
    """Relay until `stop` is set, sweeping once a day; NATS is added when GAOXIN_NATS_URL is configured."""
    sweep = DailySweep(session_factory, interval=settings.sweep_interval_seconds)
    sink = NatsSink(settings.nats_url) if settings.nats_url else None
    async with httpx.AsyncClient(timeout=WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False) as http:
        relay = Relay(
            session_factory,
            backoff=settings.backoff_seconds(),
            http=http,
            publish=sink.publish if sink else None,
            targets=WebhookTargets.from_settings(settings),
        )
        log.info("relay started", extra={"nats": bool(sink)})
        try:
            await relay.run(stop, sweep=sweep.maybe_run)
        finally:
            if sink is not None:
                with contextlib.suppress(Exception):
                    await sink.close()
            log.info("relay stopped")
