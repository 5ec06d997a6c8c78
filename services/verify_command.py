"""`gaoxin verify`: recompute every stored derivation (infrastructure/verification.py), print each difference;
exit 1 if there is any, 0 if none."""

from __future__ import annotations

import argparse
import asyncio

from domain.shared.clock import SystemClock
from infrastructure.settings import get_settings
from infrastructure.verification import CHECKS, differences
from services.bootstrap import session_factory_for


async def _differences() -> list[str]:
    async with session_factory_for(get_settings()) as factory:
        return await differences(factory, SystemClock().today())


def cmd_verify(_args: argparse.Namespace) -> int:
    """Print each stored value that differs from its recomputation; exit 1 when any does."""
    found = asyncio.run(_differences())
    for line in found:
        print(line)
    if found:
        print(f"verify: {len(found)} difference(s)")
        return 1
    print(f"verify: {len(CHECKS)} check(s), no difference")
    return 0


def add_verify_command(sub: argparse._SubParsersAction) -> None:
    sub.add_parser(
        "verify", help="recompute every stored derivation and print each difference (exit 1 if any)"
    ).set_defaults(func=cmd_verify)
