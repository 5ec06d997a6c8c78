"""Which addresses a webhook may reach: public ones, the allowed networks, loopback in development only —
each range tested at its edges."""

from __future__ import annotations

import ipaddress

import pytest

from domain.integration.webhooks import TargetPolicy, check_addresses, refusal
from domain.shared.errors import InvalidValue
from domain.shared.networks import parse_networks

PUBLIC = TargetPolicy()


@pytest.mark.parametrize(
    "address, why",
    [
        ("9.255.255.255", None),
        ("10.0.0.0", "private"),
        ("10.255.255.255", "private"),
        ("11.0.0.0", None),
        ("172.15.255.255", None),
        ("172.16.0.0", "private"),
        ("172.31.255.255", "private"),
        ("172.32.0.0", None),
        ("192.167.255.255", None),
        ("192.168.0.1", "private"),
        ("100.63.255.255", None),
        ("100.64.0.0", "not public"),
        ("100.127.255.255", "not public"),
        ("100.128.0.0", None),
        ("126.255.255.255", None),
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.255", "multicast"),
        ("255.255.255.255", "private"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:8.8.8.8", None),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fdff:ffff::1", "private"),
        ("ff02::1", "multicast"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 around 10.0.0.1
        ("2001:4860:4860::8888", None),
        ("8.8.8.8", None),
    ],
)
def test_only_public_addresses_are_reached(address, why):
    assert refusal(ipaddress.ip_address(address), PUBLIC) == why


def test_the_allowed_networks_open_exactly_their_range():
    policy = TargetPolicy(parse_networks("10.20.0.0/16"))
    assert refusal(ipaddress.ip_address("10.20.0.0"), policy) is None
    assert refusal(ipaddress.ip_address("10.20.255.255"), policy) is None
    assert refusal(ipaddress.ip_address("10.21.0.0"), policy) == "private"
    assert refusal(ipaddress.ip_address("10.19.255.255"), policy) == "private"


def test_development_adds_loopback_only():
    development = TargetPolicy(loopback=True)
    assert refusal(ipaddress.ip_address("127.0.0.1"), development) is None
    assert refusal(ipaddress.ip_address("::1"), development) is None
    assert refusal(ipaddress.ip_address("10.0.0.1"), development) == "private"


def test_every_address_of_a_name_must_pass_and_a_name_without_any_is_refused():
    addresses = [ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("10.0.0.1")]
    with pytest.raises(InvalidValue, match=r"10\.0\.0\.1") as refused:
        check_addresses("mixed.example", addresses, PUBLIC)
    assert refused.value.field == "url"
    with pytest.raises(InvalidValue, match="does not resolve"):
        check_addresses("nowhere.invalid", [], PUBLIC)
    check_addresses("public.example", addresses[:1], PUBLIC)
