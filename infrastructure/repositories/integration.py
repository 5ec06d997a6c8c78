"""Repositories of integration: webhooks, deliveries and the event feed."""

from __future__ import annotations

from sqlalchemy import select

from domain.integration.deliveries import Delivery
from domain.integration.webhooks import Webhook
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


REPOSITORIES: dict[str, type] = {
    "webhooks": WebhookRepository,
    "deliveries": DeliveryRepository,
    "events": EventFeed,
}
