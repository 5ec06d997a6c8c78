"""Schemas of integration: the event feed, webhooks and deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from services.api.schemas.base import ReadModel, WriteModel


class EventSubject(ReadModel):
    type: str
    id: str


class EventOut(ReadModel):
    id: str = Field(description="stable event id; the webhook-id of its deliveries")
    type: str
    occurred_at: datetime
    subject: EventSubject
    data: dict[str, Any]


class EventPage(ReadModel):
    items: list[EventOut]
    next_cursor: str = Field(description="always present: the same `after` when nothing is new")


class WebhookIn(WriteModel):
    url: str = Field(max_length=2000)
    event_types: list[str] | None = Field(default=None, description="none or empty: every event")
    secret: str | None = Field(default=None, description="whsec_…; generated when omitted")
    since: str | None = Field(
        default=None,
        max_length=512,
        description=(
            "an event feed cursor (a `next_cursor` of GET /api/v1/events, or `start`): the endpoint also "
            "receives the events after it. Without it, only events committed after the endpoint is created."
        ),
    )


class WebhookPatch(WriteModel):
    url: str | None = Field(default=None, max_length=2000)
    event_types: list[str] | None = None
    active: bool | None = None


class WebhookOut(ReadModel):
    id: str
    url: str
    event_types: list[str]
    active: bool
    disabled_reason: str | None = None
    created_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str = Field(description="shown this once")


class DeliveryOut(ReadModel):
    id: str
    webhook_id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
