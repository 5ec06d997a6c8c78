"""Idempotency keys (幂等键): a retried creation is answered from the first one, never done twice.

A key moves in_flight (claimed before the request runs) → committed (written by the unit of work in
the same transaction as the creation) → completed (the first response stored for replay). The stored
body is encrypted: the first answer of POST /clients holds a client's secret, which must not lie in the
table (or its backups) in plaintext for the 48 hours a key is kept.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.shared.ids import new_id
from infrastructure.db.engine import write_session
from infrastructure.db.tables.integration import idempotency_keys as keys
from infrastructure.security.crypto import seal, unseal

# The key row of the request being served, for the unit of work to mark in the creation's transaction.
current_key: ContextVar[str | None] = ContextVar("idempotency_key", default=None)

KEEP_FOR = timedelta(hours=48)  # API.md promises at least 24 h
STALE_IN_FLIGHT = timedelta(minutes=5)  # a claim this old never committed: its request died


def request_hash(method: str, target: str, content_type: str, body: bytes) -> str:
    digest = hashlib.sha256(f"{method} {target} {content_type}\n".encode())
    digest.update(body)
    return digest.hexdigest()


@dataclass(frozen=True)
class Claim:
    """What the store says about a key: run it (row_id), replay it, or refuse it."""

    row_id: str | None = None
    replay: tuple[int, dict, bytes] | None = None
    refusal: str | None = None  # "other-body" or "in-flight"


async def claim(factory: async_sessionmaker, caller: str, key: str, hashed: str) -> Claim:
    now = datetime.now(UTC)
    row_id = new_id()
    try:
        async with write_session(factory) as session:
            await session.execute(
                delete(keys).where(
                    keys.c.caller == caller, keys.c.key == key, keys.c.created_at < now - KEEP_FOR
                )
            )
            await session.execute(
                insert(keys).values(
                    id=row_id, caller=caller, key=key, request_hash=hashed, state="in_flight", created_at=now
                )
            )
        return Claim(row_id=row_id)
    except IntegrityError:
        pass
    async with write_session(factory) as session:
        row = (await session.execute(select(keys).where(keys.c.caller == caller, keys.c.key == key))).first()
        if row is None:
            return Claim(refusal="in-flight")
        if row.request_hash != hashed:
            return Claim(refusal="other-body")
        if row.state == "completed":
            return Claim(
                replay=(row.status_code, row.response_headers or {}, unseal(row.response_body or b""))
            )
        if row.state == "in_flight" and row.created_at < now - STALE_IN_FLIGHT:
            await session.execute(update(keys).where(keys.c.id == row.id).values(created_at=now))
            return Claim(row_id=row.id)
    return Claim(refusal="in-flight")


async def mark_committed(session) -> None:
    """Called by the unit of work inside the creating transaction."""
    row_id = current_key.get()
    if row_id is not None:
        await session.execute(update(keys).where(keys.c.id == row_id).values(state="committed"))


async def finish(factory: async_sessionmaker, row_id: str, status: int, headers: dict, body: bytes) -> None:
    """Store the response for replay; a server error before anything committed frees the key instead."""
    async with write_session(factory) as session:
        state = await session.scalar(select(keys.c.state).where(keys.c.id == row_id))
        if status >= 500 and state == "in_flight":
            await session.execute(delete(keys).where(keys.c.id == row_id))
            return
        await session.execute(
            update(keys)
            .where(keys.c.id == row_id)
            .values(state="completed", status_code=status, response_headers=headers, response_body=seal(body))
        )


async def forget(factory: async_sessionmaker, row_id: str) -> None:
    async with write_session(factory) as session:
        await session.execute(delete(keys).where(keys.c.id == row_id, keys.c.state == "in_flight"))
