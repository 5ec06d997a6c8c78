"""Network addresses and CIDR lists as settings name them (GAOXIN_LOGIN_TRUSTED_NETWORKS, …)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(text: str | None) -> tuple[Network, ...]:
    """A comma-separated CIDR list ("10.8.0.0/16, 2001:db8::/32"; a bare address is a /32 or /128).
    ValueError names the entry that is none."""
    networks = []
    for part in (text or "").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(f"{part.strip()!r} is not an address or a CIDR network") from None
    return tuple(networks)


def parse_address(text: str | None) -> Address | None:
    """The address, IPv4-mapped IPv6 as its IPv4 form; None for anything else (a host name, nothing)."""
    try:
        address = ipaddress.ip_address((text or "").strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def within(address: Address | str | None, networks: Iterable[Network]) -> bool:
    """Whether the address lies in one of the networks."""
    found = parse_address(address) if isinstance(address, str | None) else address
    return found is not None and any(found.version == n.version and found in n for n in networks)
