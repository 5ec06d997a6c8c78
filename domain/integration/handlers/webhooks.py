"""Use cases of webhooks: register, read, change and remove endpoints; their delivery log and redelivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.integration.deliveries import Delivery
from domain.integration.ports import IntegrationUnitOfWork
from domain.integration.webhooks import TargetCheck, Webhook, check_event_types, check_url, new_secret
from domain.shared.errors import NotFound
from domain.shared.uow import Expectation, no_expectation


async def get_webhook(webhook_id: str, *, uow: IntegrationUnitOfWork) -> Webhook:
    """One endpoint; 404 when there is none."""
    webhook = await uow.webhooks.get(webhook_id)
    if webhook is None:
        raise NotFound(f"no webhook {webhook_id}", f"推送地址 {webhook_id} 不存在")
    return webhook


async def list_webhooks(*, after: str | None, limit: int, uow: IntegrationUnitOfWork) -> list[Webhook]:
    """A page of endpoints in id order (limit + 1 tell whether another page follows)."""
    return await uow.webhooks.list_page(after=after, limit=limit)


async def create_webhook(
    data: dict[str, Any],
    *,
    uow: IntegrationUnitOfWork,
    now: datetime,
    targets: TargetCheck,
    since: tuple[int, int] | None = None,
) -> Webhook:
    """Register an endpoint for the events committed from now on, and those after the feed position
    `since` when given (replayed as deliveries due now); without a secret one is generated (shown once).
    Its host must lead to addresses a webhook may reach (checked again at every delivery)."""
    webhook = Webhook(
        url=data["url"],
        event_types=data.get("event_types") or [],
        secret=data.get("secret") or new_secret(),
        created_at=now,
    )
    await targets.check(webhook.url)  # before the subscription's lock: a name lookup may take seconds
    webhook.start_row, webhook.start_snapshot = await uow.events.subscription_start()
    uow.webhooks.add(webhook)
    if since is not None:
        await uow.deliveries.replay(webhook, after=since, now=now)
    await uow.commit()
    return webhook


async def update_webhook(
    webhook_id: str,
    changes: dict[str, Any],
    *,
    uow: IntegrationUnitOfWork,
    targets: TargetCheck,
    expected: Expectation = no_expectation,
) -> Webhook:
    """Change the url (checked as at registration), the event types or `active` (re-enabling one disabled
    by a 410), once the endpoint is what the caller `expected`."""
    webhook = await get_webhook(webhook_id, uow=uow)
    expected(webhook)
    if "url" in changes:
        url = check_url(changes["url"])
        await targets.check(url)
        webhook.url = url
    if "event_types" in changes:
        webhook.event_types = check_event_types(changes["event_types"])
    if "active" in changes:
        webhook.active = bool(changes["active"])
        webhook.disabled_reason = None if webhook.active else "disabled by an admin"
    await uow.commit()
    return webhook


async def delete_webhook(
    webhook_id: str, *, uow: IntegrationUnitOfWork, expected: Expectation = no_expectation
) -> None:
    """Remove an endpoint and its delivery log, once it is what the caller `expected`."""
    webhook = await get_webhook(webhook_id, uow=uow)
    expected(webhook)
    await uow.webhooks.delete(webhook)
    await uow.commit()


async def webhook_deliveries(
    webhook_id: str, *, after: str | None, limit: int, uow: IntegrationUnitOfWork
) -> list[Delivery]:
    """A page of the endpoint's delivery log in id order (404 for an unknown endpoint)."""
    await get_webhook(webhook_id, uow=uow)
    return await uow.deliveries.of_webhook(webhook_id, after=after, limit=limit)


async def retry_delivery(
    webhook_id: str, delivery_id: str, *, uow: IntegrationUnitOfWork, now: datetime
) -> Delivery:
    """An admin redelivers a failed delivery: its schedule starts again."""
    delivery = await uow.deliveries.get(delivery_id)
    if delivery is None or delivery.webhook_id != webhook_id:
        raise NotFound(
            f"no delivery {delivery_id} for webhook {webhook_id}", f"推送记录 {delivery_id} 不存在"
        )
    delivery.retry(now)
    await uow.commit()
    return delivery
