"""Webhooks (事件推送): endpoints neighbours register, the addresses they may reach, and the Standard
Webhooks signature.

A webhook is a request the service makes on an admin's say: aimed at the service's own host, the
government intranet or a cloud's metadata address, it would be a way in (SSRF). Every address its host
resolves to must be public, unless it lies in the allowed networks (GAOXIN_WEBHOOK_ALLOWED_NETWORKS: the
park brain sits on the intranet); development also allows loopback, so that a local receiver works.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from domain.integration.events import EVENT_TYPES
from domain.shared.errors import InvalidValue
from domain.shared.ids import new_id
from domain.shared.networks import Address, Network, parse_address, within

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


@dataclass(frozen=True)
class TargetPolicy:
    """Which addresses webhooks may reach besides public ones."""

    allowed: tuple[Network, ...] = ()  # GAOXIN_WEBHOOK_ALLOWED_NETWORKS
    loopback: bool = False  # development only: `make run` with a local receiver


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (6to4, Teredo, NAT64), which is where it really leads."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address, policy: TargetPolicy) -> str | None:
    """Why a webhook may not reach this address — loopback, link-local, private, unspecified, multicast
    or otherwise not public — or None when it may."""
    found = parse_address(str(address))  # an IPv4-mapped IPv6 address is judged as its IPv4 form
    if found is None:
        return "not an address"
    if within(found, policy.allowed):
        return None
    if found.is_loopback:
        return None if policy.loopback else "loopback"
    if (inner := _embedded_ipv4(found)) is not None and (why := refusal(inner, policy)) is not None:
        return why
    for name in ("link_local", "unspecified", "multicast", "private"):
        if getattr(found, f"is_{name}"):
            return name.replace("_", "-")
    return None if found.is_global else "not public"


def check_addresses(host: str, addresses: Sequence[Address], policy: TargetPolicy) -> None:
    """Refuse (422, on `url`) a host that resolves to nothing, or to any address a webhook may not reach."""
    if not addresses:
        raise InvalidValue(
            f"the url's host {host} does not resolve", f"地址中的主机名 {host} 无法解析", field="url"
        )
    for address in addresses:
        why = refusal(address, policy)
        if why is not None:
            raise InvalidValue(
                f"the url's host {host} leads to {address}, a {why} address: webhooks reach public "
                "addresses only, and those in GAOXIN_WEBHOOK_ALLOWED_NETWORKS",
                f"地址中的主机 {host} 解析为 {address}({why}):推送地址只能是公网地址,"
                "或 GAOXIN_WEBHOOK_ALLOWED_NETWORKS 中的网段",
                field="url",
            )


class TargetCheck(Protocol):
    """The port that resolves a webhook url's host and checks every address it leads to."""

    async def check(self, url: str) -> None:
        """Raise InvalidValue (on `url`) when the host does not resolve or leads somewhere refused."""


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
