"""Who a token speaks for, remembered between requests and forgotten the moment it may have changed.

An entry (kind, subject, session) → Principal is kept only while the process listens to PostgreSQL's
`gaoxin_principals` channel: triggers on users, clients, sign-in sessions and client tokens NOTIFY it in
the transaction of every change (migration 0011), PostgreSQL delivers the notice to every listening process
at that commit, and each process then forgets everything it remembered. While the listener is not connected
(start-up, a lost connection, SQLite) nothing is remembered and every request reads the database, as before.

A read that began before a notice may not fill the cache after it (`generation`): it could hold what the
change just replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from domain.identity.policy import Principal

log = logging.getLogger("gaoxin.principals")
CHANNEL = "gaoxin_principals"
Key = tuple[str, str, str]  # kind, subject, session id


class PrincipalCache:
    """At most `size` principals, least recently used first out; off until `enable()`."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self.enabled = False
        self.generation = 0
        self._entries: OrderedDict[Key, Principal] = OrderedDict()

    def get(self, key: Key) -> Principal | None:
        if not self.enabled:
            return None
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Key, principal: Principal, *, read_in_generation: int) -> None:
        """Remember what a read found, unless a change was announced since the read began."""
        if not self.enabled or read_in_generation != self.generation:
            return
        self._entries[key] = principal
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def forget_all(self) -> None:
        self.generation += 1
        self._entries.clear()

    def enable(self) -> None:
        self.forget_all()
        self.enabled = True

    def disable(self) -> None:
        self.enabled = False
        self.forget_all()


Connect = Callable[[], Awaitable[object]]


async def listen(
    cache: PrincipalCache, connect: Connect, stop: asyncio.Event, *, retry_seconds: float = 1.0
) -> None:
    """Keep a LISTEN connection open until `stop`; the cache is on only while it is."""
    while not stop.is_set():
        try:
            await _listen_once(cache, connect, stop)
        except Exception:
            log.warning("principal cache off: cannot listen for identity changes", exc_info=True)
        finally:
            cache.disable()
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=retry_seconds)


async def _listen_once(cache: PrincipalCache, connect: Connect, stop: asyncio.Event) -> None:
    """One LISTEN connection, until `stop` or until the connection is lost."""
    lost = asyncio.Event()
    connection = await connect()
    try:
        await connection.add_listener(CHANNEL, lambda *_notice: cache.forget_all())
        connection.add_termination_listener(lambda _connection: lost.set())
        cache.enable()
        log.info("principal cache on: listening for identity changes")
        waiting = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(lost.wait())]
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        for task in waiting:
            task.cancel()
    finally:
        with contextlib.suppress(Exception):
            await connection.close()
