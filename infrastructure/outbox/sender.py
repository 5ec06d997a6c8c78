"""Sending one webhook request, signed as Standard Webhooks says; every failure becomes an Outcome."""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from domain.integration.deliveries import Outcome
from domain.integration.webhooks import sign


def _retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    except (TypeError, ValueError):
        return None


async def send_webhook(
    http: httpx.AsyncClient, url: str, secret: str, message: dict[str, Any], now: datetime
) -> Outcome:
    """POST the event; the answer's status (or the error) decides what happens next."""
    timestamp = int(now.timestamp())
    body = json.dumps(
        {
            "type": message["type"],
            "timestamp": now.isoformat(),
            "data": {"subject": message["subject"], "occurred_at": message["occurred_at"], **message["data"]},
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    headers = {
        "content-type": "application/json",
        "webhook-id": message["id"],
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message["id"], timestamp, body),
        "user-agent": "gaoxin-webhooks/1",
    }
    try:
        response = await http.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:500])
    error = None if response.is_success else response.text[:200]
    return Outcome(response.status_code, error, _retry_after(response.headers.get("retry-after"), now))
