"""Argon2id hashing of passwords and client secrets (pwdlib)."""

from __future__ import annotations

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


class Argon2PasswordHasher:
    """Hash and verify; verifying against no hash still spends the time of a real check."""

    def __init__(self, *, memory_cost: int = 65536, time_cost: int = 3) -> None:
        self._hash = PasswordHash((Argon2Hasher(memory_cost=memory_cost, time_cost=time_cost),))
        # Unknown usernames are checked against this, so timing does not tell who exists.
        self._dummy = self._hash.hash("dummy-password-for-timing")

    def hash(self, secret: str) -> str:
        return self._hash.hash(secret)

    def verify(self, secret: str, hashed: str | None) -> bool:
        if hashed is None:
            self._hash.verify(secret, self._dummy)
            return False
        try:
            return self._hash.verify(secret, hashed)
        except Exception:  # a malformed stored hash is a failed check, never a crash
            return False
