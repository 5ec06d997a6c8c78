"""Start-up tasks shared by the CLI and the tests: the engine, the unit of work, the admin account."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy import text

from domain.identity.audit import Keyring
from domain.identity.handlers.accounts import ensure_admin
from infrastructure import audit as audit_chain
from infrastructure.db.engine import make_engine, make_session_factory, write_session
from infrastructure.db.mapping import start_mappers
from infrastructure.db.migrate import upgrade_async
from infrastructure.security import crypto
from infrastructure.security.passwords import Argon2PasswordHasher
from infrastructure.seed import seed_all
from infrastructure.settings import Settings
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork


def hasher_for(settings: Settings) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(
        memory_cost=settings.password_memory_kib,
        time_cost=settings.password_time_cost,
        threads=settings.password_hash_threads,
    )


@asynccontextmanager
async def session_factory_for(settings: Settings) -> AsyncIterator:
    start_mappers()
    crypto.configure(settings.secret_key.get_secret_value())
    audit_chain.configure(Keyring.of(settings.audit_key_texts()))
    engine = make_engine(settings)
    try:
        yield make_session_factory(engine)
    finally:
        await engine.dispose()


async def bootstrap_admin(settings: Settings, *, actor: str = "system") -> str | None:
    """Apply GAOXIN_ADMIN_PASSWORD, or create a first admin with a random password on an empty database."""
    password = settings.admin_password.get_secret_value() if settings.admin_password else None
    async with session_factory_for(settings) as factory, SqlAlchemyUnitOfWork(factory, actor=actor) as uow:
        return await ensure_admin(password, uow=uow, hasher=hasher_for(settings), now=datetime.now(UTC))


async def seal_audit_chain(settings: Settings) -> None:
    """Announce a new audit key (or the first one, after an upgrade) with its marker entry right away."""
    async with session_factory_for(settings) as factory, write_session(factory) as session:
        await audit_chain.append_entries(session, [], seal=True)


STARTUP_LOCK_KEY = 0x6761_6F79  # serialises migrate + seed + admin when several processes start at once


async def prepare_database(settings: Settings) -> str | None:
    """Migrate, seed what is missing and make sure `admin` exists — one process at a time on PostgreSQL.

    Returns the generated admin password on a first start (see `bootstrap_admin`).
    """
    engine = make_engine(settings)
    try:
        async with engine.connect() as lock:
            if lock.dialect.name == "postgresql":
                await lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY})
            try:
                await upgrade_async(settings.database_url)
                async with session_factory_for(settings) as factory:
                    await seed_all(factory)
                await seal_audit_chain(settings)
                return await bootstrap_admin(settings)
            finally:
                if lock.dialect.name == "postgresql":
                    await lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_KEY})
    finally:
        await engine.dispose()
