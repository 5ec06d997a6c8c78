"""The async engine: SQLite in WAL mode with foreign keys on, or PostgreSQL through asyncpg."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import aiosqlite
import orjson
from aiosqlite.context import contextmanager as aiosqlite_contextmanager
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from infrastructure.settings import Settings

# Execution option that makes an SQLite transaction take the write lock at BEGIN: a deferred
# transaction that later writes can fail at once with "database is locked" when another writer
# committed in between, which busy_timeout cannot cure.
SQLITE_WRITE = "gaoxin_sqlite_write"


def make_engine(settings: Settings) -> AsyncEngine:
    """Create the engine for the configured database (on PostgreSQL, with its pool for reads beside it)."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(settings)
    # No pre-ping: it costs a round trip on every checkout. A connection that died with the server fails
    # its first statement instead; SQLAlchemy sees the disconnect, drops every pooled connection made
    # before it, and that one request answers 503 with Retry-After (tests/integration, database outage).
    options: dict[str, Any] = {
        **pool_sizes(settings),
        "pool_timeout": settings.db_connect_timeout,
        "connect_args": {"timeout": settings.db_connect_timeout, "command_timeout": 60},
        "json_deserializer": orjson.loads,  # a plan's tree reads two JSON columns of each of 5,000 tasks
    }
    engine = create_async_engine(url, **options)
    # Reads run each statement on its own (no BEGIN and ROLLBACK round trips), on connections kept in
    # autocommit for good: switching a shared connection in and out of it on every checkout, and resetting
    # it on return, cost 0.06 ms of every read. Nothing is left to reset on an autocommit connection.
    reads = create_async_engine(url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, **options)
    _READS[engine.sync_engine] = reads

    @event.listens_for(engine.sync_engine, "engine_disposed")
    def _dispose_reads(_engine) -> None:  # in dispose()'s own greenlet: the pool closes its connections
        reads.sync_engine.dispose()

    return engine


_READS: WeakKeyDictionary[Engine, AsyncEngine] = WeakKeyDictionary()


def pool_sizes(settings: Settings) -> dict[str, int]:
    """Up to twice `db_pool_size` connections a pool, each kept once made. Not `db_pool_size` kept and as
    many again as overflow: a pool closes an overflow connection as soon as it is given back, so that
    sixteen clients reading at once opened and closed 10 to 15 PostgreSQL backends a second, each a new
    server process and a connection's set-up (docs/BENCHMARKS.md)."""
    return {"pool_size": 2 * settings.db_pool_size, "max_overflow": 0}


def read_engine(bind: AsyncEngine) -> AsyncEngine | None:
    """The pool of autocommit connections `make_engine` made beside `bind` for reads, if it made one."""
    return _READS.get(bind.sync_engine)


def ensure_sqlite_folder(database_url: str) -> None:
    """SQLite creates the file but not its folder (./var/ on a fresh clone)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


# Rows a statement brings back with it from aiosqlite's thread; more are fetched in further hops, so a
# large result is never held twice.
PREFETCH_ROWS = 256


class _Cursor(aiosqlite.Cursor):
    """An aiosqlite cursor that runs a statement and fetches its first rows in one hop to the connection's
    thread. Stock aiosqlite hops four times per statement (cursor, execute, fetchall, close), each a queue
    put, a thread wake-up and a callback through the event loop's self-pipe: measured, the hops cost more
    CPU than the statements of a read (docs/BENCHMARKS.md, "The embedded database"). Everything that
    touches the database — the statement, its busy_timeout, the stepping through rows, closing — still
    runs in that thread; only making the cursor object (no call into SQLite) happens in place."""

    def __init__(self, conn: aiosqlite.Connection, cursor: sqlite3.Cursor) -> None:
        super().__init__(conn, cursor)
        self._rows: list = []  # fetched, not yet handed out
        self._more = False  # whether the statement may have rows beyond _rows

    async def execute(self, sql: str, parameters: Any = None) -> _Cursor:
        rows = await self._execute(self._run, sql, [] if parameters is None else parameters)
        self._rows, self._more = rows or [], rows is not None and len(rows) == PREFETCH_ROWS
        return self

    def _run(self, sql: str, parameters: Any) -> list | None:  # in the connection's thread
        self._cursor.execute(sql, parameters)
        return self._cursor.fetchmany(PREFETCH_ROWS) if self._cursor.description else None

    async def executemany(self, sql: str, parameters: Any) -> _Cursor:
        self._rows, self._more = [], False
        await super().executemany(sql, parameters)
        return self

    async def fetchall(self) -> list:
        rows, self._rows = self._rows, []
        if self._more:
            self._more = False
            rows = rows + await self._execute(self._cursor.fetchall)
        return rows

    async def fetchmany(self, size: int | None = None) -> list:
        size = size or self.arraysize
        if len(self._rows) < size and self._more:
            chunk = max(size - len(self._rows), PREFETCH_ROWS)
            more = await self._execute(self._cursor.fetchmany, chunk)
            self._rows, self._more = self._rows + more, len(more) == chunk
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    async def fetchone(self) -> Any:
        rows = await self.fetchmany(1)
        return rows[0] if rows else None

    async def close(self) -> None:
        # Queued to the connection's thread without waiting for it: nobody needs its answer, and it runs
        # after whatever the thread may still be doing with this cursor (the statement of a request that
        # was cancelled while it waited). The event loop is not woken for it.
        self._rows, self._more = [], False
        self._conn._tx.put_nowait((None, self._cursor.close))


class _Connection(aiosqlite.Connection):
    """aiosqlite's connection, its cursors made in place (no hop) and running statements in one hop."""

    @aiosqlite_contextmanager
    async def cursor(self) -> _Cursor:
        return _Cursor(self, self._conn.cursor())


def _sqlite_connector(url: URL, timeout: float) -> Callable[[], Awaitable[aiosqlite.Connection]]:
    """The async_creator of the SQLite engine: the dialect's own connect arguments, on _Connection."""
    args, kwargs = url.get_dialect()().create_connect_args(url)
    kwargs = {**kwargs, "timeout": timeout, "check_same_thread": False}

    async def connect() -> aiosqlite.Connection:
        connection = _Connection(partial(sqlite3.connect, *args, **kwargs), iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite: never holds up the exit
        return await connection

    return connect


def _sqlite_engine(settings: Settings) -> AsyncEngine:
    url = make_url(settings.database_url)
    ensure_sqlite_folder(settings.database_url)
    engine = create_async_engine(
        url,
        async_creator=_sqlite_connector(url, timeout=30),
        **pool_sizes(settings),
        pool_timeout=60,
        json_deserializer=orjson.loads,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection):
        write = connection.get_execution_options().get(SQLITE_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker:
    """Sessions that keep loaded objects usable after commit (the response is built from them)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def new_session(session_factory: async_sessionmaker, *, write: bool) -> AsyncSession:
    """A session that connects at its first query; a write one takes SQLite's write lock at BEGIN.

    The lock is taken lazily on purpose: a request must not hold it while it is still authenticating.
    """
    bind = session_factory.kw["bind"]
    if write and bind.dialect.name == "sqlite":
        return session_factory(bind=bind.execution_options(**{SQLITE_WRITE: True}))
    return session_factory()


@asynccontextmanager
async def write_session(session_factory: async_sessionmaker) -> AsyncIterator[AsyncSession]:
    """A session in one write transaction (BEGIN IMMEDIATE on SQLite), committed on success."""
    async with new_session(session_factory, write=True) as session:
        yield session
        await session.commit()


async def transaction_id(session: AsyncSession) -> int:
    """The writing transaction's id on PostgreSQL (the outbox's commit-order key); 0 on SQLite."""
    if session.bind.dialect.name != "postgresql":
        return 0
    return (await session.execute(text("SELECT pg_current_xact_id()::text::bigint"))).scalar_one()
