"""Repositories of integration: webhooks, deliveries and the event feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, text

from domain.chains.chains import Chain
from domain.integration.deliveries import Delivery, DeliveryStatus
from domain.integration.webhooks import Webhook
from domain.planning.plan import Plan
from domain.shared.ids import new_id
from infrastructure.db.tables.integration import webhook_deliveries
from infrastructure.db.tables.outbox import outbox
from infrastructure.outbox.feed import after_position
from infrastructure.repositories.base import Reader, Repository


class WebhookRepository(Repository):
    entity = Webhook


class DeliveryRepository(Repository):
    entity = Delivery

    async def replay(self, webhook: Webhook, *, after: tuple[int, int], now: datetime) -> int:
        """Deliveries, due now, of the wanted events committed between the feed position `after` and the
        new endpoint's start (the later ones reach it through the relay's fan-out)."""
        await self.session.flush()  # the endpoint's row first: its deliveries refer to it
        if webhook.start_snapshot is not None:
            before_start = text(
                "pg_visible_in_snapshot(outbox.txid::text::xid8,"
                " CAST(CAST(:snapshot AS text) AS pg_snapshot))"
            )
            before_start = before_start.bindparams(snapshot=webhook.start_snapshot)
        else:
            before_start = outbox.c.id <= webhook.start_row
        statement = select(outbox.c.event_id, outbox.c.type).where(after_position(after), before_start)
        if webhook.event_types:
            statement = statement.where(outbox.c.type.in_(webhook.event_types))
        rows = [
            {
                "id": new_id(),
                "webhook_id": webhook.id,
                "event_id": event_id,
                "event_type": event_type,
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
            }
            for event_id, event_type in (await self.session.execute(statement)).all()
        ]
        if rows:
            await self.session.execute(insert(webhook_deliveries), rows)
        return len(rows)

    async def of_webhook(self, webhook_id: str, *, after: str | None, limit: int) -> list[Delivery]:
        return await self.page(
            select(Delivery).where(Delivery.webhook_id == webhook_id), after=after, limit=limit
        )


class DashboardReader(Reader):
    """The few cross-context look-ups of the dashboard."""

    async def current_plan(self, year: int) -> Plan | None:
        """The plan running in `year`, else the latest that started before it."""
        statement = select(Plan).where(Plan.start_year <= year).order_by(Plan.start_year.desc(), Plan.id)
        return await self._one(statement.limit(1))

    async def all_chains(self) -> list[Chain]:
        return await self._all(select(Chain).order_by(Chain.id))
