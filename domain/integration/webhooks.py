"""Webhooks (事件推送): endpoints neighbours register, and the Standard Webhooks signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from domain.integration.events import EVENT_TYPES
from domain.shared.errors import InvalidValue
from domain.shared.ids import new_id

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def check_secret(secret: str) -> str:
    if not secret.startswith(SECRET_PREFIX):
        raise InvalidValue("the secret must start with whsec_", "密钥须以 whsec_ 开头", field="secret")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except ValueError:
        raise InvalidValue(
            "the secret after whsec_ must be base64", "whsec_ 之后须为base64", field="secret"
        ) from None
    if not 24 <= len(key) <= 64:
        raise InvalidValue("the secret must hold 24 to 64 bytes", "密钥须为24至64字节", field="secret")
    return secret


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` keyed with the secret's decoded bytes."""
    key = base64.b64decode(secret[len(SECRET_PREFIX) :])
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidValue(
            "the url must be an absolute http(s) URL", "地址须为完整的 http(s) URL", field="url"
        )
    return url.strip()


def check_event_types(types: list[str] | None) -> list[str]:
    """None or [] means every event; unknown types are refused with the catalogue in the message."""
    types = list(dict.fromkeys(types or []))
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise InvalidValue(
            f"unknown event types {unknown}; known: {', '.join(EVENT_TYPES)}",
            f"未知事件类型 {unknown}",
            field="event_types",
        )
    return types


@dataclass(eq=False, kw_only=True)
class Webhook:
    """事件推送地址: a neighbour's URL, the events it wants, and the secret deliveries are signed with."""

    id: str = field(default_factory=new_id)
    url: str
    event_types: list[str] = field(default_factory=list)
    secret: str
    active: bool = True
    disabled_reason: str | None = None
    created_at: datetime
    # Where the subscription starts: the events committed after its creation. The database says which
    # those are (infrastructure/outbox/feed.py): the newest outbox row then, or PostgreSQL's snapshot.
    start_row: int = 0
    start_snapshot: str | None = None

    def __post_init__(self) -> None:
        self.url = check_url(self.url)
        self.event_types = check_event_types(self.event_types)
        self.secret = check_secret(self.secret)

    def wants(self, event_type: str) -> bool:
        return self.active and (not self.event_types or event_type in self.event_types)

    def follows(self, event_type: str, *, committed_before_start: bool) -> bool:
        """Whether an event goes to this endpoint: wanted, and committed after the endpoint was created
        (the earlier ones only when replayed on creation from a `since` cursor)."""
        return self.wants(event_type) and not committed_before_start

    def disable(self, reason: str) -> None:
        self.active, self.disabled_reason = False, reason
