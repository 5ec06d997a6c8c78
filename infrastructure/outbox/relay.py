"""The relay: fans committed events out to webhook deliveries and NATS, then delivers what is due.

At-least-once: an event is marked relayed only after its deliveries exist and NATS acknowledged it;
a delivery succeeds only on a 2xx. Relays on PostgreSQL claim rows with FOR UPDATE SKIP LOCKED and
lease deliveries (`locked_until`), so several relays never send one delivery at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, or_, select, update

from domain.integration.deliveries import Delivery, DeliveryStatus, Outcome
from domain.integration.webhooks import TargetPolicy, Webhook
from infrastructure.db.engine import write_session
from infrastructure.db.tables.integration import webhook_deliveries, webhooks
from infrastructure.db.tables.outbox import outbox
from infrastructure.outbox import monitor
from infrastructure.outbox.feed import committed_before_start, hold_subscriptions_still
from infrastructure.outbox.sender import send_webhook
from infrastructure.outbox.targets import WebhookTargets

log = logging.getLogger("gaoxin.relay")


def event_message(row) -> dict[str, Any]:
    """The event as neighbours receive it (feed item, webhook body data, NATS payload)."""
    return {
        "id": row.event_id,
        "type": row.type,
        "occurred_at": row.occurred_at.isoformat(),
        "subject": {"type": row.subject_type, "id": row.subject_id},
        "data": row.data,
    }


class Relay:
    """One relay process's work; `run()` loops until `stop` is set."""

    def __init__(
        self,
        session_factory,
        *,
        backoff: list[float],
        http: httpx.AsyncClient,
        publish: Callable[[dict[str, Any]], Any] | None = None,
        batch: int = 200,
        lease_seconds: float = 30.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        targets: WebhookTargets | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.backoff = backoff
        self.http = http
        self.publish = publish
        self.batch = batch
        self.lease = timedelta(seconds=lease_seconds)
        self.now = now
        # Where deliveries may go (checked at each one); public addresses only unless told otherwise.
        self.targets = targets or WebhookTargets(TargetPolicy())

    async def fan_out(self) -> int:
        """Turn unrelayed events into deliveries (and NATS messages); return how many events were relayed."""
        async with write_session(self.session_factory) as session:
            statement = (
                select(outbox)
                .where(outbox.c.relayed_at.is_(None))
                .order_by(outbox.c.txid, outbox.c.id)
                .limit(self.batch)
            )
            if session.bind.dialect.name == "postgresql":
                statement = statement.with_for_update(skip_locked=True)
            rows = (await session.execute(statement)).all()
            if not rows:
                return 0
            await hold_subscriptions_still(session)
            hooks = list(await session.scalars(select(Webhook).where(Webhook.active.is_(True))))
            now = self.now()
            for row in rows:
                if self.publish is not None:
                    await self._publish(row)
                for hook in hooks:
                    if hook.follows(
                        row.type, committed_before_start=committed_before_start(hook, row.txid, row.id)
                    ):
                        session.add(
                            Delivery(
                                webhook_id=hook.id,
                                event_id=row.event_id,
                                event_type=row.type,
                                next_attempt_at=now,
                            )
                        )
            await session.execute(
                update(outbox).where(outbox.c.id.in_([r.id for r in rows])).values(relayed_at=now)
            )
        return len(rows)

    async def _publish(self, row) -> None:
        """Publish to the broker; a failure is counted (for /metrics) and fails the round."""
        try:
            await self.publish(event_message(row))
        except Exception:
            async with write_session(self.session_factory) as session:
                await monitor.count(session, monitor.NATS_FAILURES, now=self.now())
            raise

    async def _claim_due(self) -> tuple[datetime, list]:
        now = self.now()
        lease_until = now + self.lease
        async with write_session(self.session_factory) as session:
            due = (
                select(webhook_deliveries.c.id)
                .join(webhooks, webhooks.c.id == webhook_deliveries.c.webhook_id)
                .where(
                    webhooks.c.active.is_(True),
                    webhook_deliveries.c.status == DeliveryStatus.PENDING.value,
                    webhook_deliveries.c.next_attempt_at <= now,
                    or_(webhook_deliveries.c.locked_until.is_(None), webhook_deliveries.c.locked_until < now),
                )
                .order_by(webhook_deliveries.c.next_attempt_at)
                .limit(self.batch)
            )
            if session.bind.dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True, of=webhook_deliveries)
            ids = list(await session.scalars(due))
            if not ids:
                return lease_until, []
            await session.execute(
                update(webhook_deliveries)
                .where(webhook_deliveries.c.id.in_(ids))
                .values(locked_until=lease_until)
            )
            claimed = (
                await session.execute(
                    select(webhook_deliveries.c.id, webhooks.c.url, webhooks.c.secret, outbox)
                    .join(webhooks, webhooks.c.id == webhook_deliveries.c.webhook_id)
                    .join(outbox, outbox.c.event_id == webhook_deliveries.c.event_id)
                    .where(webhook_deliveries.c.id.in_(ids))
                )
            ).all()
        return lease_until, claimed

    async def deliver_due(self, stop: asyncio.Event | None = None) -> int:
        """Send every due delivery once (concurrently) and record each outcome; return how many were sent.

        When `stop` is set while requests are still out, they are cut and their leases released, so that
        the next start (or another relay) sends them at once instead of waiting for the lease to run out.
        """
        lease_until, claimed = await self._claim_due()
        if not claimed:
            return 0
        sending = asyncio.ensure_future(
            asyncio.gather(
                *(
                    send_webhook(self.http, r.url, _secret_of(r), event_message(r), self.now(), self.targets)
                    for r in claimed
                )
            )
        )
        if stop is not None:
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({sending, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not sending.done():
                sending.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sending
                await self._release([row.id for row in claimed], lease_until)
                return 0
        outcomes = await sending
        for row, outcome in zip(claimed, outcomes, strict=True):
            await self._record(row.id, outcome, lease_until)
        return len(claimed)

    async def _release(self, delivery_ids: list[str], lease_until: datetime) -> None:
        """Give back deliveries cut by a shutdown: not an attempt, due again now."""
        async with write_session(self.session_factory) as session:
            await session.execute(
                update(webhook_deliveries)
                .where(
                    webhook_deliveries.c.id.in_(delivery_ids),
                    webhook_deliveries.c.locked_until == lease_until,
                )
                .values(locked_until=None)
            )
        log.info("relay released %d deliveries cut by the shutdown", len(delivery_ids))

    async def _record(self, delivery_id: str, outcome: Outcome, lease_until: datetime) -> None:
        async with write_session(self.session_factory) as session:
            delivery = await session.get(Delivery, delivery_id, with_for_update=True)
            leased = await session.scalar(
                select(webhook_deliveries.c.locked_until).where(webhook_deliveries.c.id == delivery_id)
            )
            if delivery is None or leased != lease_until:
                return  # the lease ran out and another relay took over: its answer counts
            disable = delivery.record(outcome, self.now(), self.backoff)
            await monitor.count(session, monitor.attempt_counter(outcome), now=self.now())
            await session.execute(
                update(webhook_deliveries)
                .where(and_(webhook_deliveries.c.id == delivery_id))
                .values(locked_until=None)
            )
            if disable:
                hook = await session.get(Webhook, delivery.webhook_id)
                if hook is not None:
                    hook.disable("receiver answered 410 Gone")

    async def run(self, stop: asyncio.Event, *, idle_seconds: float = 0.5, sweep=None) -> None:
        """Loop: fan out, deliver, sweep once a day; never dies of one bad round."""
        while not stop.is_set():
            busy = 0
            try:
                busy += await self.fan_out()
                busy += await self.deliver_due(stop)
                if sweep is not None:
                    await sweep()
            except Exception:  # a database or broker outage: log, wait, go on
                log.exception("relay round failed")
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=idle_seconds)


def _secret_of(row) -> str:
    # Selected through Core, the encrypted column's type still decrypts it.
    return row.secret
