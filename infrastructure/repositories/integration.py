"""Repositories of integration: webhooks, deliveries and the event feed."""

from __future__ import annotations

from sqlalchemy import select

from domain.chains.chains import Chain
from domain.integration.deliveries import Delivery
from domain.integration.webhooks import Webhook
from domain.planning.plan import Plan
from infrastructure.audit import AuditSpec, register_audited
from infrastructure.outbox.feed import EventFeed
from infrastructure.repositories.base import Repository

register_audited(Webhook, AuditSpec("webhook", hidden=frozenset({"secret"})))


class WebhookRepository(Repository):
    entity = Webhook


class DeliveryRepository(Repository):
    entity = Delivery

    async def of_webhook(self, webhook_id: str, *, after: str | None, limit: int) -> list[Delivery]:
        return await self.page(
            select(Delivery).where(Delivery.webhook_id == webhook_id), after=after, limit=limit
        )


class DashboardReader:
    """The few cross-context look-ups of the dashboard."""

    def __init__(self, session) -> None:
        self.session = session

    async def current_plan(self, year: int) -> Plan | None:
        """The plan running in `year`, else the latest that started before it."""
        statement = select(Plan).where(Plan.start_year <= year).order_by(Plan.start_year.desc(), Plan.id)
        return await self.session.scalar(statement.limit(1))

    async def all_chains(self) -> list[Chain]:
        return list(await self.session.scalars(select(Chain).order_by(Chain.id)))


REPOSITORIES: dict[str, type] = {
    "dashboard": DashboardReader,
    "webhooks": WebhookRepository,
    "deliveries": DeliveryRepository,
    "events": EventFeed,
}
