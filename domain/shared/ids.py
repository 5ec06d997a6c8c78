"""Opaque ids: 32 hex characters, time-ordered so that keyset pages follow creation."""

from __future__ import annotations

import secrets
import time


def new_id() -> str:
    """Return a new id: 48 bits of milliseconds, then 80 random bits."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(10)}"
