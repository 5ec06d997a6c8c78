"""Who a token speaks for, remembered between requests and forgotten the moment it may have changed.

An entry (kind, subject, session) → Principal is kept only while the process listens to PostgreSQL's
`gaoxin_principals` channel: triggers on users, clients, sign-in sessions and client tokens NOTIFY it in
the transaction of every change (migration 0014), PostgreSQL delivers the notice to every listening process
at that commit, and each process then forgets everything it remembered. While the listener is not connected
(start-up, a lost connection, SQLite) nothing is remembered and every request reads the database, as before.

A read that began before a notice may not fill the cache after it (`generation`): it could hold what the
change just replaced. PostgreSQL signals the listening backends before the changing transaction's COMMIT
returns, so the notice is on its way to every process before the change is answered; the process that made
the change does not even wait for that: from its commit until its own notice is back (matched by the
backend pid every notice carries) it answers nothing from memory (`expect_notice_from`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import PendingRollbackError
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.identity.policy import Principal

log = logging.getLogger("gaoxin.principals")
CHANNEL = "gaoxin_principals"
Key = tuple[str, str, str]  # kind, subject, session id
NOTICE_WITHIN = 5.0  # seconds a committed change waits for its notice before the cache gives up on it
LISTENER_NAME = "gaoxin principal listener"  # how the connection shows in pg_stat_activity
HEARTBEAT = 5.0  # seconds between the listener's checks that its connection still answers


class PrincipalCache:
    """At most `size` principals, least recently used first out; off until `enable()`, and off while a
    change this process committed has not come back as a notice (`expect_notice_from`)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self.enabled = False
        self.generation = 0
        self._entries: OrderedDict[Key, Principal] = OrderedDict()
        # backend pid → deadlines of this process's identity commits on it whose notice has not arrived
        self._awaited: dict[int, list[float]] = {}

    def get(self, key: Key) -> Principal | None:
        if not self.enabled or self._awaiting():
            return None
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Key, principal: Principal, *, read_in_generation: int) -> None:
        """Remember what a read found, unless a change was announced since the read began."""
        if not self.enabled or read_in_generation != self.generation or self._awaiting():
            return
        self._entries[key] = principal
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def forget_all(self) -> None:
        self.generation += 1
        self._entries.clear()

    def expect_notice_from(self, pid: int, *, within: float = NOTICE_WITHIN) -> None:
        """A transaction of this process on backend `pid` is committing an identity change: remember
        nothing, and answer nothing from memory, until its notice has come back through the listener."""
        self.forget_all()
        self._awaited.setdefault(pid, []).append(time.monotonic() + within)

    def noticed(self, pid: int) -> None:
        """A notice from the transaction of backend `pid` (one a transaction: PostgreSQL folds equal ones)."""
        self.forget_all()
        deadlines = self._awaited.get(pid)
        if deadlines:
            deadlines.pop(0)  # a backend's notices arrive in the order of its commits
            if not deadlines:
                del self._awaited[pid]

    def _awaiting(self) -> bool:
        if not self._awaited:
            return False
        now = time.monotonic()
        # A commit that failed sends no notice: its wait ends at its deadline.
        self._awaited = {
            pid: kept for pid, ds in self._awaited.items() if (kept := [d for d in ds if d > now])
        }
        return bool(self._awaited)

    def enable(self) -> None:
        self.forget_all()
        self.enabled = True

    def disable(self) -> None:
        self.enabled = False
        self.forget_all()
        self._awaited.clear()


# The statements that fire the notice triggers of migration 0014 (as SQLAlchemy writes them).
IDENTITY_CHANGE = re.compile(
    r"^\s*(?:UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:\w+\s*,\s*)*"
    r"\"?(?:users|clients|auth_sessions|client_tokens)\"?\b",
    re.IGNORECASE,
)
_CHANGED = "gaoxin_identity_changed"


def watch_identity_changes(engine: AsyncEngine, cache: PrincipalCache) -> None:
    """Tell the cache of every identity change this process commits on `engine`, before it commits: the
    next request of this process must not be answered from memory before the change's notice is back."""
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _seen(connection, _cursor, statement, *_args) -> None:
        if IDENTITY_CHANGE.match(statement):
            connection.info[_CHANGED] = True

    @event.listens_for(sync_engine, "commit")
    def _committing(connection) -> None:
        if connection.info.pop(_CHANGED, False):
            cache.expect_notice_from(_backend_pid(connection))

    @event.listens_for(sync_engine, "rollback")
    def _rolled_back(connection) -> None:
        # A connection the database dropped mid-transaction (an outage) is invalid: its info cannot be read
        # until the rollback ends, and raising here would turn the outage's 503 into a 500. A mark left
        # behind only makes a later commit on that connection wait for a notice: the cautious side.
        with contextlib.suppress(PendingRollbackError):
            connection.info.pop(_CHANGED, None)


def _backend_pid(connection) -> int:
    """The PostgreSQL backend of a connection, as asyncpg knows it from the start-up (no round trip)."""
    return connection.connection.dbapi_connection._connection.get_server_pid()


Connect = Callable[[], Awaitable[object]]


def postgresql_connect(database_url: str) -> Connect:
    """A factory of plain asyncpg connections to the service's database: the listener's own, out of the
    pool (a pooled connection would be handed to requests and LISTEN would not survive its return)."""
    url = make_url(database_url).set(drivername="postgresql")
    dsn = url.render_as_string(hide_password=False)

    async def connect() -> object:
        return await asyncpg.connect(dsn, server_settings={"application_name": LISTENER_NAME})

    return connect


async def listen(
    cache: PrincipalCache,
    connect: Connect,
    stop: asyncio.Event,
    *,
    retry_seconds: float = 1.0,
    heartbeat_seconds: float = HEARTBEAT,
) -> None:
    """Keep a LISTEN connection open until `stop`; the cache is on only while it is."""
    while not stop.is_set():
        try:
            await _listen_once(cache, connect, stop, heartbeat_seconds)
        except Exception:
            log.warning("principal cache off: cannot listen for identity changes", exc_info=True)
        finally:
            cache.disable()
        if not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=retry_seconds)


async def _listen_once(
    cache: PrincipalCache, connect: Connect, stop: asyncio.Event, heartbeat: float
) -> None:
    """One LISTEN connection, until `stop`, until the connection is lost, or until it stops answering."""
    lost = asyncio.Event()
    connection = await connect()
    try:
        await connection.add_listener(
            CHANNEL, lambda _connection, pid, _channel, _payload: cache.noticed(pid)
        )
        connection.add_termination_listener(lambda _connection: lost.set())
        cache.enable()
        log.info("principal cache on: listening for identity changes")
        while not (stop.is_set() or lost.is_set()):
            waiting = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(lost.wait())]
            await asyncio.wait(waiting, timeout=heartbeat, return_when=asyncio.FIRST_COMPLETED)
            for task in waiting:
                task.cancel()
            if not (stop.is_set() or lost.is_set()):
                # A connection that died without a word (no reset reached us) would deliver no notice while
                # the cache stayed on: one that does not answer within a heartbeat is given up.
                await asyncio.wait_for(connection.execute("SELECT 1"), timeout=heartbeat)
    finally:
        with contextlib.suppress(Exception):
            await connection.close()
