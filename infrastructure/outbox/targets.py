"""Where a webhook request goes: the url's host resolved, every address checked, and the one checked is
the one connected to — never a second lookup that could answer otherwise (DNS rebinding)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.integration.webhooks import TargetPolicy, check_addresses
from domain.shared.networks import Address, parse_address, parse_networks

RESOLVE_SECONDS = 3.0
DEFAULT_PORTS = {"http": 80, "https": 443}

# host, port → the addresses it resolves to (as text); the system resolver by default.
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


@dataclass(frozen=True)
class Target:
    """A webhook url with the address it will be sent to."""

    url: str
    host: str  # as the url names it: the Host header and the TLS server name
    port: int
    address: Address

    def pinned_url(self) -> str:
        """The url with its host replaced by the checked address."""
        parts = urlsplit(self.url)
        host = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        netloc = f"{host}:{parts.port}" if parts.port else host
        return parts._replace(netloc=netloc).geturl()

    def host_header(self) -> str:
        parts = urlsplit(self.url)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{parts.port}" if parts.port else host


class WebhookTargets:
    """The TargetCheck port (registration), and the resolution a delivery connects with."""

    def __init__(self, policy: TargetPolicy, *, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver

    @classmethod
    def from_settings(cls, settings) -> WebhookTargets:
        allowed = parse_networks(settings.webhook_allowed_networks)
        return cls(TargetPolicy(allowed, loopback=settings.environment == "development"))

    async def check(self, url: str) -> None:
        await self.resolve(url)

    async def resolve(self, url: str) -> Target:
        """Resolve the host and check every address (422 on `url` when one is refused)."""
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or DEFAULT_PORTS.get(parts.scheme, 80)
        literal = parse_address(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                found = await asyncio.wait_for(self.resolver(host, port), RESOLVE_SECONDS)
            except (OSError, TimeoutError, UnicodeError):
                found = []
            addresses = list(dict.fromkeys(a for a in map(parse_address, found) if a is not None))
        check_addresses(host, addresses, self.policy)
        return Target(url, host, port, addresses[0])
