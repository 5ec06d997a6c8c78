"""Who a valid access token speaks for, read from the database.

Reading the user (or client) and the token's session as they are now means a deactivated user, a revoked
session, a revoked or rotated client token, a deleted client or changed roles take effect at the next
request, not when the token expires. On PostgreSQL a process may answer from what it read before, as long
as no change was notified since (principal_cache.py).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.handlers.auth import client_principal, user_principal
from domain.identity.policy import Principal
from infrastructure.db.tables.identity import auth_sessions, client_tokens, clients, users
from infrastructure.security.tokens import AccessClaims


async def load_principal(session: AsyncSession, claims: AccessClaims) -> Principal | None:
    """The active user (with a live session) or client the claims name, or None."""
    if claims.session_id is None:  # every token names its session (a client's: its own grant)
        return None
    if claims.kind == "client":
        statement = (
            select(clients, client_tokens.c.revoked_at)
            .join(client_tokens, client_tokens.c.client_id == clients.c.id)
            .where(clients.c.id == claims.subject, client_tokens.c.id == claims.session_id)
        )
        row = (await session.execute(statement)).first()
        if row is None or not row.active or row.revoked_at is not None:
            return None
        return client_principal(_Row(row), claims.session_id)
    statement = (
        select(users, auth_sessions.c.revoked_at)
        .join(auth_sessions, auth_sessions.c.user_id == users.c.id)
        .where(users.c.id == claims.subject, auth_sessions.c.id == claims.session_id)
    )
    row = (await session.execute(statement)).first()
    if row is None or not row.active or row.revoked_at is not None:
        return None
    return user_principal(_Row(row), claims.session_id)


class _Row:
    """Attribute access over a Core row, enough for the principal builders."""

    def __init__(self, row) -> None:
        self.__dict__.update(row._mapping)
