"""Housekeeping the daily scheduler does beside the sweep: rows past their use, no domain rule involved."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from infrastructure.db.tables.identity import client_tokens
from infrastructure.db.tables.integration import idempotency_keys
from infrastructure.idempotency import KEEP_FOR

# A client token past its expiry is refused by its signature already; its row is kept a day after.
KEEP_EXPIRED_CLIENT_TOKENS = timedelta(days=1)


async def remove_expired(session: AsyncSession, now: datetime) -> None:
    """Delete the idempotency keys older than KEEP_FOR and the client tokens a day past their expiry."""
    await session.execute(delete(idempotency_keys).where(idempotency_keys.c.created_at < now - KEEP_FOR))
    await session.execute(
        delete(client_tokens).where(client_tokens.c.expires_at < now - KEEP_EXPIRED_CLIENT_TOKENS)
    )
