"""Ports of the identity context: hashing and token signing live in infrastructure."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.identity.policy import Principal


class PasswordHasher(Protocol):
    """Hashing is slow on purpose: it runs off the event loop, so both methods are awaited."""

    async def hash(self, secret: str) -> str: ...

    async def verify(self, secret: str, hashed: str | None) -> bool:
        """Check a secret; with no hash, spend the same time and answer False."""


class TokenSigner(Protocol):
    def access_token(self, principal: Principal, now: datetime) -> tuple[str, int]:
        """Return a signed access token (naming `principal.session_id` as its session) and its lifetime."""

    @property
    def access_seconds(self) -> int:
        """How long an access token lives."""

    def new_refresh_token(self) -> tuple[str, str]:
        """Return a new refresh token and the hash to store."""

    def hash_refresh_token(self, token: str) -> str: ...

    def session_of_access_token(self, token: str) -> tuple[str, str] | None:
        """(kind, session id) of a valid access token — "user" and its sign-in session, or "client" and
        its client token — else None."""
