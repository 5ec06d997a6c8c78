"""An access token's signature is checked once a process; its expiry on every read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.identity.policy import Principal
from infrastructure.security import tokens
from infrastructure.security.tokens import AccessClaims, JwtTokenSigner

KEY = "a-secret-key-of-more-than-thirty-two-characters"
ALICE = Principal(kind="user", id="u1", name="alice", session_id="s1")


def test_a_token_reads_the_same_again_and_its_signature_is_checked_once(monkeypatch):
    signer = JwtTokenSigner(KEY, access_minutes=15)
    token, _ = signer.access_token(ALICE, datetime.now(UTC))
    assert signer.read_access_token(token) == AccessClaims("user", "u1", "s1")
    checks = []
    monkeypatch.setattr(tokens.jwt, "decode", lambda *a, **k: checks.append(1) or {})
    assert signer.read_access_token(token) == AccessClaims("user", "u1", "s1")
    assert checks == []


def test_a_remembered_token_is_refused_from_its_expiry_on(monkeypatch):
    signer = JwtTokenSigner(KEY, access_minutes=15)
    now = datetime.now(UTC)
    token, _ = signer.access_token(ALICE, now)
    assert signer.read_access_token(token) is not None
    expiry = (now + timedelta(minutes=15)).timestamp()
    monkeypatch.setattr(tokens.time, "time", lambda: int(expiry))
    assert signer.read_access_token(token) is None
    assert token not in signer._verified  # forgotten once refused


def test_tampered_foreign_and_expired_tokens_are_refused_and_never_remembered():
    signer = JwtTokenSigner(KEY, access_minutes=15)
    token, _ = signer.access_token(ALICE, datetime.now(UTC))
    foreign, _ = JwtTokenSigner(KEY + "!", access_minutes=15).access_token(ALICE, datetime.now(UTC))
    expired, _ = signer.access_token(ALICE, datetime.now(UTC) - timedelta(hours=1))
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for bad in (tampered, foreign, expired):
        assert signer.read_access_token(bad) is None
        assert signer.read_access_token(bad) is None
    assert len(signer._verified) == 0


def test_at_most_so_many_tokens_are_remembered():
    signer = JwtTokenSigner(KEY, access_minutes=15, remembered=2)
    made = [signer.access_token(ALICE, datetime.now(UTC))[0] for _ in range(3)]
    for token in made:
        assert signer.read_access_token(token) is not None
    assert list(signer._verified) == made[1:]
