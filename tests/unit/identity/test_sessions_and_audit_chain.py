"""Refresh-token rotation and reuse, and the audit hash chain, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.identity.audit import GENESIS, AuditEntry, entry_hash, redact, verify_chain
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


def _chain(entries):
    rows, previous = [], GENESIS
    for n, entry in enumerate(entries, start=1):
        previous = entry_hash(previous, entry)
        rows.append((n, entry, previous))
    return rows


def test_an_intact_chain_verifies():
    check = verify_chain(_chain([_entry(n) for n in range(5)]))
    assert check.valid and check.entries == 5


def test_an_altered_entry_is_found():
    rows = _chain([_entry(n) for n in range(5)])
    n, entry, stored = rows[2]
    rows[2] = (n, AuditEntry(entry.at, "mallory", *list(entry.__dict__.values())[2:]), stored)
    assert verify_chain(rows).first_broken_id == 3


def test_a_removed_entry_breaks_the_next_link():
    rows = _chain([_entry(n) for n in range(5)])
    del rows[1]
    check = verify_chain(rows)
    assert not check.valid and check.first_broken_id == 3


def test_redaction_shows_only_that_a_secret_changed():
    assert redact({"password_hash": "argon2$…", "name": "x", "token": None}, {"password_hash", "token"}) == {
        "password_hash": "changed",
        "name": "x",
        "token": None,
    }
