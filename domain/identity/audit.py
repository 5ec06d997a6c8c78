"""The audit log (审计日志): append-only entries, each chained to the one before it by a keyed hash.

Each entry's hash is an HMAC-SHA256, under the chain's key, of the previous entry's hash and the entry's
own content: whoever can write the database but does not hold the key can neither alter an entry nor
recompute the hashes after it. Each entry records the id of the key that signed it; a new key is
announced by a marker entry (`audit.key_changed`) signed with it, and old entries are never rewritten.
Entries written before the chain was keyed carry no key id and a plain SHA-256: they are accepted only
before the first keyed entry, and a non-empty chain must end with a keyed one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.shared.errors import InvalidValue

GENESIS = "0" * 64
CHANGED = "changed"  # what a secret or sensitive value shows in before/after
KEY_CHANGED = "audit.key_changed"  # the marker entry that starts a new key's stretch of the chain


@dataclass(frozen=True)
class AuditEntry:
    """One write (or one read of sensitive figures, or one security event): who, when, what, from where."""

    at: datetime
    actor: str | None
    action: str
    resource_type: str
    resource_id: str | None
    request_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    source: str | None = None  # the caller's network address, where there was a caller


@dataclass(frozen=True)
class ChainKey:
    """A key of the chain: the secret that signs and the short id each entry records (never the secret)."""

    id: str
    secret: bytes

    @classmethod
    def derive(cls, text: str) -> ChainKey:
        """The key derived from a configured text (GAOXIN_AUDIT_KEY, by default the secret key)."""
        secret = hashlib.sha256(b"gaoxin-audit-chain:" + text.encode()).digest()
        return cls(hashlib.sha256(b"gaoxin-audit-key-id:" + secret).hexdigest()[:16], secret)


@dataclass(frozen=True)
class Keyring:
    """The key that signs new entries, and every key (retired ones too) that verifies old ones."""

    signing: ChainKey
    keys: Mapping[str, ChainKey]

    @classmethod
    def of(cls, texts: Sequence[str]) -> Keyring:
        """The first text signs; the others are retired keys kept to verify what they signed."""
        keys = [ChainKey.derive(text) for text in texts]
        return cls(keys[0], {key.id: key for key in keys})


def _content(previous_hash: str, entry: AuditEntry, key_id: str | None) -> bytes:
    body: dict[str, Any] = {
        "prev": previous_hash,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "resource_type": entry.resource_type,
        "resource_id": entry.resource_id,
        "request_id": entry.request_id,
        "before": entry.before,
        "after": entry.after,
    }
    if key_id is not None:  # entries of the unkeyed chain were hashed without these
        body |= {"source": entry.source, "key_id": key_id}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return text.encode()


def entry_hash(previous_hash: str, entry: AuditEntry, key: ChainKey | None) -> str:
    """HMAC-SHA256 under `key` of the previous hash and the entry's canonical JSON (plain SHA-256 for an
    entry of the unkeyed chain, `key` None); altering one entry breaks the chain from there on."""
    content = _content(previous_hash, entry, key.id if key else None)
    if key is None:
        return hashlib.sha256(content).hexdigest()
    return hmac.new(key.secret, content, hashlib.sha256).hexdigest()


def key_change_marker(at: datetime, old_key_id: str | None, new_key_id: str) -> AuditEntry:
    """The entry that opens a new key's stretch: it names the key before (None: the unkeyed chain)."""
    return AuditEntry(
        at, "system", KEY_CHANGED, "audit_log", None, None, {"key_id": old_key_id}, {"key_id": new_key_id}
    )


@dataclass(frozen=True)
class Anchor:
    """锚点: the chain's head as an operator wrote it down outside the database: `<entry id>:<hash>`."""

    entry_id: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        entry_id, _, digest = text.strip().partition(":")
        if not entry_id.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise InvalidValue(
                "an anchor is `<entry id>:<64 hex digits>`, as `gaoxin audit anchor` prints it",
                "锚点格式为“条目编号:64位十六进制哈希”,即 `gaoxin audit anchor` 的输出",
                field="anchor",
            )
        return cls(int(entry_id), digest)

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.hash}"


@dataclass(frozen=True)
class ChainedRow:
    """An entry as stored: its id, content, hash and the id of the key that signed it (None: unkeyed)."""

    id: int
    entry: AuditEntry
    hash: str
    key_id: str | None


# Why a chain is not valid (`ChainCheck.reason`).
ALTERED = "altered"  # the hash does not match: this entry was altered, or one before it removed
UNKNOWN_KEY = "unknown_key"  # signed with a key that is not configured (GAOXIN_AUDIT_KEY)
UNKEYED = "unkeyed"  # an unkeyed entry after a keyed one, or a chain that ends unkeyed
ANCHOR_MISMATCH = "anchor_mismatch"  # the anchored entry is there with another hash
TRUNCATED = "truncated"  # the anchored entry is gone: the log was cut back behind the anchor


@dataclass(frozen=True)
class ChainCheck:
    """The verdict of a walk along the chain, and its head (what an anchor writes down)."""

    valid: bool
    entries: int
    first_broken_id: int | None = None
    reason: str | None = None
    head: Anchor | None = None


def verify_chain(
    rows: Iterable[ChainedRow], keys: Mapping[str, ChainKey], *, anchor: Anchor | None = None
) -> ChainCheck:
    """Walk the entries in order; name the first that is altered, follows a removed one, was signed with
    an unknown key, or breaks the anchor; an anchor whose entry never comes means the log was truncated."""
    previous, count, keyed, head, anchored = GENESIS, 0, False, None, anchor is None
    for row in rows:
        count += 1
        if anchor is not None and not anchored and row.id > anchor.entry_id:
            return ChainCheck(False, count, row.id, TRUNCATED, head)
        if row.key_id is None and keyed:
            return ChainCheck(False, count, row.id, UNKEYED, head)
        key = keys.get(row.key_id) if row.key_id is not None else None
        if row.key_id is not None and key is None:
            return ChainCheck(False, count, row.id, UNKNOWN_KEY, head)
        if not hmac.compare_digest(entry_hash(previous, row.entry, key), row.hash):
            return ChainCheck(False, count, row.id, ALTERED, head)
        if anchor is not None and row.id == anchor.entry_id:
            if not hmac.compare_digest(row.hash, anchor.hash):
                return ChainCheck(False, count, row.id, ANCHOR_MISMATCH, head)
            anchored = True
        keyed = keyed or key is not None
        previous, head = row.hash, Anchor(row.id, row.hash)
    if not anchored:
        return ChainCheck(False, count, None, TRUNCATED, head)
    if count and not keyed:
        return ChainCheck(False, count, head.entry_id if head else None, UNKEYED, head)
    return ChainCheck(True, count, None, None, head)


def redact(values: dict[str, Any], hidden: set[str]) -> dict[str, Any]:
    """Show hidden fields (secrets, sensitive figures) only as "changed"."""
    return {k: (CHANGED if k in hidden and v is not None else v) for k, v in values.items()}
