"""Argon2id hashing of passwords and client secrets (pwdlib), in a bounded pool of threads.

Argon2 is slow and memory-hard on purpose (~50 ms and 64 MiB a check at the default cost): run on the
event loop, a few clients looping on /auth/token would stall every other request. The work goes to a pool
of `threads` workers instead (argon2-cffi releases the GIL), and waits there in line when they are busy.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

THREAD_PREFIX = "gaoxin-hash"


class Argon2PasswordHasher:
    """Hash and verify off the event loop; verifying against no hash still spends the time of a real check."""

    def __init__(self, *, memory_cost: int = 65536, time_cost: int = 3, threads: int = 2) -> None:
        self._hash = PasswordHash((Argon2Hasher(memory_cost=memory_cost, time_cost=time_cost),))
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=THREAD_PREFIX)
        # Unknown usernames are checked against this, so timing does not tell who exists.
        self._dummy = self._hash.hash("dummy-password-for-timing")

    async def hash(self, secret: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._hash_now, secret)

    async def verify(self, secret: str, hashed: str | None) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._verify_now, secret, hashed)

    def close(self) -> None:
        """Let the pool's threads end (at the app's shutdown)."""
        self._pool.shutdown(wait=False)

    def _hash_now(self, secret: str) -> str:
        return self._hash.hash(secret)

    def _verify_now(self, secret: str, hashed: str | None) -> bool:
        if hashed is None:
            self._hash.verify(secret, self._dummy)
            return False
        try:
            return self._hash.verify(secret, hashed)
        except Exception:  # a malformed stored hash is a failed check, never a crash
            return False
