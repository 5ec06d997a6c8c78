"""The async engine: SQLite in WAL mode with foreign keys on, or PostgreSQL through asyncpg."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import orjson
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from infrastructure.settings import Settings

# Execution option that makes an SQLite transaction take the write lock at BEGIN: a deferred
# transaction that later writes can fail at once with "database is locked" when another writer
# committed in between, which busy_timeout cannot cure.
SQLITE_WRITE = "gaoxin_sqlite_write"


def make_engine(settings: Settings) -> AsyncEngine:
    """Create the engine for the configured database."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(settings)
    # No pre-ping: it costs a round trip on every checkout. A connection that died with the server fails
    # its first statement instead; SQLAlchemy sees the disconnect, drops every pooled connection made
    # before it, and that one request answers 503 with Retry-After (tests/integration, database outage).
    return create_async_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_timeout=settings.db_connect_timeout,
        connect_args={"timeout": settings.db_connect_timeout, "command_timeout": 60},
        json_deserializer=orjson.loads,  # a plan's tree reads two JSON columns of each of 5,000 tasks
    )


def ensure_sqlite_folder(database_url: str) -> None:
    """SQLite creates the file but not its folder (./var/ on a fresh clone)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(settings: Settings) -> AsyncEngine:
    url = make_url(settings.database_url)
    ensure_sqlite_folder(settings.database_url)
    engine = create_async_engine(
        url,
        connect_args={"timeout": 30},
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
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
