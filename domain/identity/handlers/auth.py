"""Token grants (password, client credentials, refresh) and revocation (RFC 6749, RFC 7009).

Every grant and every refusal is a security event in the audit log (domain/identity/security_events.py),
committed even when the request is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.identity import security_events as events
from domain.identity.accounts import Client, User, username_key
from domain.identity.policy import Principal
from domain.identity.ports import IdentityUnitOfWork, PasswordHasher, TokenSigner
from domain.identity.sessions import (
    AuthError,
    AuthSession,
    ClientToken,
    LoginLocked,
    RefreshToken,
    invalid_grant,
    refresh_expiry,
    use_refresh_token,
)
from domain.identity.throttle import SourcePolicy, SourceThrottle, ThrottlePolicy


@dataclass(frozen=True)
class TokenGrant:
    """What the token endpoint answers."""

    access_token: str
    expires_in: int
    refresh_token: str | None = None


def user_principal(user: User, session_id: str | None = None) -> Principal:
    return Principal(
        kind="user",
        id=user.id,
        name=user.username,
        roles=frozenset(user.roles),
        department_id=user.department_id,
        must_change_password=user.must_change_password,
        session_id=session_id,
    )


def client_principal(client: Client, token_id: str | None = None) -> Principal:
    return Principal(
        kind="client",
        id=client.id,
        name=client.client_id,
        scopes=frozenset(client.scopes),
        session_id=token_id,
    )


async def _open_session(
    user: User, *, uow: IdentityUnitOfWork, signer: TokenSigner, now: datetime, refresh_days: int
) -> TokenGrant:
    session = AuthSession(user_id=user.id, created_at=now)
    uow.sessions.add(session)
    refresh, refresh_hash = signer.new_refresh_token()
    uow.refresh_tokens.add(RefreshToken(refresh_hash, session.id, now, refresh_expiry(now, refresh_days)))
    access, ttl = signer.access_token(user_principal(user, session.id), now)
    return TokenGrant(access, ttl, refresh)


async def _address_allowed(
    uow: IdentityUnitOfWork, source: str | None, policy: SourcePolicy, now: datetime
) -> SourceThrottle | None:
    """The address's failure count (None when it is not limited); refused (429) while it is over its limit."""
    if not policy.limits(source):
        return None
    by_source = await uow.source_throttle.for_source(source)
    locked = by_source.locked_for(now)
    if locked:
        events.record(uow, events.LOGIN_REFUSED, "source", source, events.REFUSED, "address_limited")
        await uow.commit()
        raise LoginLocked(locked, by_address=True)
    return by_source


async def password_grant(
    username: str,
    password: str,
    *,
    uow: IdentityUnitOfWork,
    hasher: PasswordHasher,
    signer: TokenSigner,
    now: datetime,
    throttle_policy: ThrottlePolicy,
    refresh_days: int,
    source: str | None = None,
    source_policy: SourcePolicy = SourcePolicy(),
) -> TokenGrant:
    """Sign a person in; failures count against the username whether or not it exists, and against the
    caller's address, which past its limit is refused before any hashing."""
    uow.actor = username = username_key(username)  # Admin, ａｄｍｉｎ and admin are one username, one lock
    by_source = await _address_allowed(uow, source, source_policy, now)
    throttle = await uow.throttle.for_username(username)
    locked = throttle.locked_for(now)
    if locked:
        events.record(uow, events.LOGIN_REFUSED, "user", None, events.REFUSED, "locked")
        await uow.commit()
        raise LoginLocked(locked)
    user = await uow.users.by_username(username)
    usable = user is not None and user.active
    if not await hasher.verify(password, user.password_hash if usable else None):
        reason = "unknown_user" if user is None else ("wrong_password" if user.active else "inactive")
        user_id = user.id if user else None
        events.record(uow, events.LOGIN_FAILED, "user", user_id, events.FAILURE, reason)
        throttle.fail(now, throttle_policy)
        if by_source is not None:
            by_source.fail(now, source_policy)
        if throttle.locked_for(now):
            events.record(uow, events.LOCKOUT, "user", user_id, events.LOCKED, "too_many_failures")
        await uow.commit()  # the failure must count even though the request is refused
        raise invalid_grant()
    throttle.succeed()
    grant = await _open_session(user, uow=uow, signer=signer, now=now, refresh_days=refresh_days)
    events.record(uow, events.LOGIN, "user", user.id, events.SUCCESS)
    await uow.commit()
    return grant


async def client_credentials_grant(
    client_id: str,
    client_secret: str,
    *,
    uow: IdentityUnitOfWork,
    hasher: PasswordHasher,
    signer: TokenSigner,
    now: datetime,
    source: str | None = None,
    source_policy: SourcePolicy = SourcePolicy(),
) -> TokenGrant:
    """Give a city-system client an access token for its scopes (no refresh token); wrong secrets count
    against the caller's address as wrong passwords do."""
    uow.actor = client_id
    by_source = await _address_allowed(uow, source, source_policy, now)
    client = await uow.clients.by_client_id(client_id)
    usable = client is not None and client.active
    if not await hasher.verify(client_secret, client.secret_hash if usable else None):
        reason = "unknown_client" if client is None else ("wrong_secret" if client.active else "inactive")
        resource = client.id if client else None
        events.record(uow, events.CLIENT_TOKEN_FAILED, "client", resource, events.FAILURE, reason)
        if by_source is not None:
            by_source.fail(now, source_policy)
        await uow.commit()
        raise AuthError("invalid_client", "the client credentials are not valid", "客户端凭据不正确")
    token = ClientToken(client.id, now, now + timedelta(seconds=signer.access_seconds))
    uow.client_tokens.add(token)
    access, ttl = signer.access_token(client_principal(client, token.id), now)
    events.record(uow, events.CLIENT_TOKEN, "client", client.id, events.SUCCESS)
    await uow.commit()
    return TokenGrant(access, ttl)


async def refresh_grant(
    refresh_token: str, *, uow: IdentityUnitOfWork, signer: TokenSigner, now: datetime, refresh_days: int
) -> TokenGrant:
    """Swap a refresh token for new tokens; a reused one revokes its whole family."""
    token = await uow.refresh_tokens.get(signer.hash_refresh_token(refresh_token))
    session = await uow.sessions.get(token.session_id) if token else None
    user = await uow.users.get(session.user_id) if session else None
    uow.actor = user.username if user else None
    try:
        use_refresh_token(token, session, now)
        if user is None or not user.active:
            raise invalid_grant("inactive")
    except AuthError as refused:
        resource = session.id if session else None
        events.record(uow, events.REFRESH_FAILED, "session", resource, events.FAILURE, refused.reason)
        await uow.commit()  # keep the family's revocation, and the event
        raise
    new_refresh, new_hash = signer.new_refresh_token()
    uow.refresh_tokens.add(RefreshToken(new_hash, session.id, now, refresh_expiry(now, refresh_days)))
    access, ttl = signer.access_token(user_principal(user, session.id), now)
    events.record(uow, events.REFRESH, "session", session.id, events.SUCCESS)
    await uow.commit()
    return TokenGrant(access, ttl, new_refresh)


async def revoke_token(token: str, *, uow: IdentityUnitOfWork, signer: TokenSigner, now: datetime) -> None:
    """End the session a refresh or access token belongs to, or a client's access token; unknown tokens
    are ignored (RFC 7009 §2.2)."""
    refresh = await uow.refresh_tokens.get(signer.hash_refresh_token(token))
    named = ("user", refresh.session_id) if refresh else signer.session_of_access_token(token)
    kind, session_id = named or (None, None)
    if kind == "client":
        await _revoke_client_token(session_id, uow=uow, now=now)
        return
    session = await uow.sessions.get(session_id) if session_id else None
    if session is not None and session.active:
        user = await uow.users.get(session.user_id)
        uow.actor = user.username if user else None
        session.revoke(now, "revoked")
        events.record(uow, events.LOGOUT, "session", session.id, events.SUCCESS)
        await uow.commit()


async def _revoke_client_token(token_id: str, *, uow: IdentityUnitOfWork, now: datetime) -> None:
    token = await uow.client_tokens.get(token_id)
    if token is None or token.revoked_at is not None:
        return
    client = await uow.clients.get(token.client_id)
    uow.actor = client.client_id if client else None
    token.revoke(now, "revoked")
    events.record(uow, events.CLIENT_TOKEN_REVOKED, "client", token.client_id, events.SUCCESS)
    await uow.commit()
