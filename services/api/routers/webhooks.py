"""Webhooks (事件推送): neighbours' endpoints, their delivery log and redelivery; admin only."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from domain.identity.policy import Action
from domain.integration.handlers import webhooks as handlers
from services.api.etag import IfMatch, etag_of
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.routers.events import feed_position
from services.api.schemas.base import Item, Page
from services.api.schemas.integration import (
    DeliveryOut,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
    WebhookWithSecret,
)
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/webhooks", tags=["integration"])
DELIVERY_GUARANTEES = """Register an endpoint; the answer carries its `secret` (whsec_…), shown this once. Its
host must resolve, and only to public addresses or those in GAOXIN_WEBHOOK_ALLOWED_NETWORKS (else 422;
development also allows loopback); the addresses are checked again at every delivery.

Delivery guarantees: every event committed after the endpoint was created (or after the feed cursor
`since`) and of a wanted type is delivered **at least once**, signed as Standard Webhooks says; a redelivery
carries the same `webhook-id` (the event id), so a receiver drops what it has already seen. Deliveries are
retried with the backoff of `GAOXIN_WEBHOOK_BACKOFF`; a 410 disables the endpoint. **Order is not
guaranteed** (retries and concurrent sends overtake each other): the event feed `GET /api/v1/events` is the
ordered source.
"""


def _shown(webhook) -> dict:
    """An endpoint as the caller is shown it (what its ETag is taken over)."""
    return represent(WebhookOut, webhook)


@router.get("", response_model=Page[Item(WebhookOut)])
async def list_webhooks(page: PageDep, uow: unit_for(Action.WEBHOOK_MANAGE)):
    """List webhook endpoints (secrets are never shown again)."""
    rows = await handlers.list_webhooks(after=page.after_key({}), limit=page.limit, uow=uow)
    return page.page(rows, listed(WebhookOut, rows), key=lambda w: [w.id], filters={})


@router.post("", status_code=201, response_model=WebhookWithSecret, description=DELIVERY_GUARANTEES)
async def create_webhook(
    body: WebhookIn, request: Request, response: Response, uow: unit_for(Action.WEBHOOK_MANAGE)
):
    """Register an endpoint; the answer carries its `secret` (whsec_…), shown this once."""
    since = feed_position(body.since, request.app.state.cursor_secret) if body.since else None
    webhook = await handlers.create_webhook(
        body.model_dump(),
        uow=uow,
        now=uow.clock.now(),
        targets=request.app.state.webhook_targets,
        since=since,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["ETag"] = etag_of(represent(WebhookOut, webhook))
    return {**represent(WebhookOut, webhook), "secret": webhook.secret}


@router.get("/{webhook_id}", response_model=WebhookOut)
async def get_webhook(webhook_id: str, response: Response, uow: unit_for(Action.WEBHOOK_MANAGE)):
    """Read one endpoint."""
    return single(response, WebhookOut, await handlers.get_webhook(webhook_id, uow=uow))


@router.patch("/{webhook_id}", response_model=WebhookOut)
async def patch_webhook(
    webhook_id: str,
    body: WebhookPatch,
    if_match: IfMatch,
    request: Request,
    response: Response,
    uow: unit_for(Action.WEBHOOK_MANAGE),
):
    """Change the url (checked as at registration), the event types, or re-enable (If-Match required)."""
    webhook = await handlers.update_webhook(
        webhook_id,
        body.model_dump(exclude_unset=True),
        uow=uow,
        targets=request.app.state.webhook_targets,
        expected=if_match.against(_shown),
    )
    return single(response, WebhookOut, webhook)


@router.delete("/{webhook_id}", status_code=204, response_class=Response)
async def delete_webhook(webhook_id: str, if_match: IfMatch, uow: unit_for(Action.WEBHOOK_MANAGE)):
    """Remove an endpoint and its delivery log (If-Match required)."""
    await handlers.delete_webhook(webhook_id, uow=uow, expected=if_match.against(_shown))
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=Page[Item(DeliveryOut)])
async def list_deliveries(webhook_id: str, page: PageDep, uow: unit_for(Action.WEBHOOK_MANAGE)):
    """The endpoint's delivery log: status, attempts, last answer."""
    filters = {"webhook_id": webhook_id}
    after = page.after_key(filters)
    rows = await handlers.webhook_deliveries(webhook_id, after=after, limit=page.limit, uow=uow)
    return page.page(rows, listed(DeliveryOut, rows), key=lambda d: [d.id], filters=filters)


@router.post("/{webhook_id}/deliveries/{delivery_id}/retry", response_model=DeliveryOut)
async def retry_delivery(
    webhook_id: str, delivery_id: str, response: Response, uow: unit_for(Action.WEBHOOK_MANAGE)
):
    """Redeliver a failed delivery now (409 unless it failed)."""
    delivery = await handlers.retry_delivery(webhook_id, delivery_id, uow=uow, now=uow.clock.now())
    return single(response, DeliveryOut, delivery)
