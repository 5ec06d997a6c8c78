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
        self._threads = threads
        self._pool: ThreadPoolExecutor | None = None
        # Unknown usernames are checked against this, so timing does not tell who exists.
        self._dummy = self._hash.hash("dummy-password-for-timing")

    def _workers(self) -> ThreadPoolExecutor:
        # Made on first use, and again after `close()`: an app whose lifespan ended may be started again
        # (a test harness does), and must not then fail every sign-in.
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._threads, thread_name_prefix=THREAD_PREFIX)
        return self._pool

    async def hash(self, secret: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._workers(), self._hash_now, secret)

    async def verify(self, secret: str, hashed: str | None) -> bool:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._workers(), self._verify_now, secret, hashed)

    def close(self) -> None:
        """Let the pool's threads end (at the app's shutdown)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False)

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
