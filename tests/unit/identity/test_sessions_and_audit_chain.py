"""Refresh-token rotation and reuse, and the audit hash chain, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.identity.audit import (
    GENESIS,
    Anchor,
    AuditEntry,
    ChainedRow,
    ChainKey,
    entry_hash,
    redact,
    verify_chain,
)
from domain.identity.sessions import AuthError, AuthSession, RefreshToken, use_refresh_token

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_a_refresh_token_is_usable_once_and_reuse_revokes_the_family():
    session = AuthSession(user_id="u", created_at=NOW)
    token = RefreshToken("h", session.id, NOW, NOW + timedelta(days=14))
    use_refresh_token(token, session, NOW)
    assert token.used_at == NOW and session.active
    with pytest.raises(AuthError, match="already used"):
        use_refresh_token(token, session, NOW + timedelta(minutes=1))
    assert not session.active and session.revoked_reason == "refresh_token_reused"


def test_an_expired_or_orphan_refresh_token_is_refused():
    session = AuthSession(user_id="u", created_at=NOW)
    token = RefreshToken("h", session.id, NOW, NOW + timedelta(days=1))
    with pytest.raises(AuthError):
        use_refresh_token(token, session, NOW + timedelta(days=1))
    with pytest.raises(AuthError):
        use_refresh_token(None, None, NOW)


def _entry(n: int) -> AuditEntry:
    return AuditEntry(
        NOW + timedelta(seconds=n),
        "root",
        "user.update",
        "user",
        f"u{n}",
        None,
        {"roles": ["viewer"]},
        {"roles": ["planner"]},
    )


KEY = ChainKey.derive("a key of the audit chain for the unit tests")
KEYS = {KEY.id: KEY}


def _chain(entries, key: ChainKey | None = KEY, previous: str = GENESIS, first: int = 1):
    rows = []
    for n, entry in enumerate(entries, start=first):
        previous = entry_hash(previous, entry, key)
        rows.append(ChainedRow(n, entry, previous, key.id if key else None))
    return rows


def test_an_intact_chain_verifies_and_names_its_head():
    rows = _chain([_entry(n) for n in range(5)])
    check = verify_chain(rows, KEYS)
    assert check.valid and check.entries == 5 and check.head == Anchor(5, rows[-1].hash)


def test_an_altered_entry_is_found():
    rows = _chain([_entry(n) for n in range(5)])
    row = rows[2]
    rows[2] = ChainedRow(
        row.id,
        AuditEntry(row.entry.at, "mallory", *list(row.entry.__dict__.values())[2:]),
        row.hash,
        row.key_id,
    )
    check = verify_chain(rows, KEYS)
    assert check.first_broken_id == 3 and check.reason == "altered"


def test_a_removed_entry_breaks_the_next_link():
    rows = _chain([_entry(n) for n in range(5)])
    del rows[1]
    check = verify_chain(rows, KEYS)
    assert not check.valid and check.first_broken_id == 3


def test_without_the_key_nobody_can_recompute_the_chain():
    forged = _chain([_entry(n) for n in range(3)], key=ChainKey("0" * 16, b"guessed"))
    forged = [ChainedRow(r.id, r.entry, r.hash, KEY.id) for r in forged]
    assert verify_chain(forged, KEYS).reason == "altered"
    assert verify_chain(_chain([_entry(0)]), {}).reason == "unknown_key"


def test_unkeyed_entries_count_only_before_the_first_keyed_one_and_never_at_the_end():
    legacy = _chain([_entry(n) for n in range(2)], key=None)
    keyed = _chain([_entry(n) for n in range(2, 4)], previous=legacy[-1].hash, first=3)
    assert verify_chain(legacy + keyed, KEYS).valid
    assert verify_chain(legacy, KEYS).reason == "unkeyed"  # a chain posing as written before keying
    late = _chain([_entry(9)], key=None, previous=keyed[-1].hash, first=5)
    assert verify_chain(legacy + keyed + late, KEYS).reason == "unkeyed"


def test_an_anchor_finds_a_log_cut_back_behind_it():
    rows = _chain([_entry(n) for n in range(5)])
    anchor = Anchor(4, rows[3].hash)
    assert verify_chain(rows, KEYS, anchor=anchor).valid
    assert verify_chain(rows[:3], KEYS, anchor=anchor).reason == "truncated"
    regrown = rows[:3] + _chain([_entry(7)], previous=rows[2].hash, first=4)
    assert verify_chain(regrown, KEYS, anchor=anchor).reason == "anchor_mismatch"
    skipped = rows[:3] + _chain([_entry(7)], previous=rows[2].hash, first=6)
    assert verify_chain(skipped, KEYS, anchor=anchor).reason == "truncated"
    assert str(Anchor.parse(str(anchor))) == str(anchor)


def test_redaction_shows_only_that_a_secret_changed():
    assert redact({"password_hash": "argon2$…", "name": "x", "token": None}, {"password_hash", "token"}) == {
        "password_hash": "changed",
        "name": "x",
        "token": None,
    }
