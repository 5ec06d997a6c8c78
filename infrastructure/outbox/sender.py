"""Sending one webhook request, signed as Standard Webhooks says; every failure becomes an Outcome.

The target is resolved and checked at every delivery (an address the policy refuses is never contacted)
and the request goes to the address that was checked, with the url's own Host header and TLS server name.
A failure records the status and a short reason of ours: never the receiver's body or reason phrase.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

import httpx

from domain.integration.deliveries import Outcome
from domain.integration.webhooks import sign
from domain.shared.errors import InvalidValue
from infrastructure.outbox.targets import WebhookTargets


def _retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    except (TypeError, ValueError):
        return None


def _status_text(code: int) -> str:
    try:
        return f"HTTP {code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


async def send_webhook(
    http: httpx.AsyncClient,
    url: str,
    secret: str,
    message: dict[str, Any],
    now: datetime,
    targets: WebhookTargets,
) -> Outcome:
    """POST the event to the checked address; the answer's status (or the error) decides what happens next."""
    try:
        target = await targets.resolve(url)
    except InvalidValue as refused:
        return Outcome(None, f"refused: {refused.en}"[:300])
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
        "host": target.host_header(),
    }
    extensions = {"sni_hostname": target.host} if url.lower().startswith("https:") else {}
    try:
        response = await http.post(target.pinned_url(), content=body, headers=headers, extensions=extensions)
    except httpx.HTTPError as exc:  # the exception's text may quote the receiver: its class says enough
        return Outcome(None, f"{type(exc).__name__} ({target.address})")
    error = None if response.is_success else _status_text(response.status_code)
    return Outcome(response.status_code, error, _retry_after(response.headers.get("retry-after"), now))
