"""The audit log (审计日志): append-only entries, each hash-chained to the one before it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
CHANGED = "changed"  # what a secret or sensitive value shows in before/after


@dataclass(frozen=True)
class AuditEntry:
    """One write (or one read of sensitive figures): who, when, what, before and after."""

    at: datetime
    actor: str | None
    action: str
    resource_type: str
    resource_id: str | None
    request_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def entry_hash(previous_hash: str, entry: AuditEntry) -> str:
    """sha256 over the previous hash and the entry's canonical JSON; altering one breaks the chain."""
    content = json.dumps(
        {
            "prev": previous_hash,
            "at": entry.at.isoformat(),
            "actor": entry.actor,
            "action": entry.action,
            "resource_type": entry.resource_type,
            "resource_id": entry.resource_id,
            "request_id": entry.request_id,
            "before": entry.before,
            "after": entry.after,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode()).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    """The verdict of a walk along the chain."""

    valid: bool
    entries: int
    first_broken_id: str | int | None = None
    last_hash: str = GENESIS


def verify_chain(rows: Iterable[tuple[str | int, AuditEntry, str]], previous: str = GENESIS) -> ChainCheck:
    """Walk (id, entry, stored hash) in order; the first mismatch is where a row was altered or removed."""
    count = 0
    for row_id, entry, stored in rows:
        count += 1
        expected = entry_hash(previous, entry)
        if expected != stored:
            return ChainCheck(False, count, row_id, previous)
        previous = stored
    return ChainCheck(True, count, None, previous)


def redact(values: dict[str, Any], hidden: set[str]) -> dict[str, Any]:
    """Show hidden fields (secrets, sensitive figures) only as "changed"."""
    return {k: (CHANGED if k in hidden and v is not None else v) for k, v in values.items()}
