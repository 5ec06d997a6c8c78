"""The identity context's repositories in memory (the ports of domain/identity/), and its two other ports:
a password hasher and a token signer that do no cryptography, so that the ring runs in milliseconds."""

from __future__ import annotations

import itertools
from datetime import datetime

from domain.identity.accounts import Client, Department, User, username_key
from domain.identity.policy import Principal
from domain.identity.roles import Role
from domain.identity.sessions import RefreshToken
from domain.identity.throttle import LoginThrottle, SourceThrottle
from tests.unit.fakes.base import FakeRepository


class FakeDepartmentRepository(FakeRepository):
    async def with_name_or_code(self, name: str, code: str | None) -> list[Department]:
        return self.where(lambda d: d.name == name or (bool(code) and d.code == code))


class FakeUserRepository(FakeRepository):
    async def by_username(self, username: str) -> User | None:
        found = self.where(lambda u: u.username_key == username_key(username))
        return found[0] if found else None

    async def active_admins(self) -> list[User]:
        return self.where(lambda u: u.active and Role.ADMIN in u.roles)

    async def any(self) -> bool:
        return bool(self.items)


class FakeClientRepository(FakeRepository):
    async def by_client_id(self, client_id: str) -> Client | None:
        found = self.where(lambda c: c.client_id == client_id)
        return found[0] if found else None

    async def delete(self, entity: Client) -> None:
        # The database deletes a client's tokens with it (ON DELETE CASCADE).
        await super().delete(entity)
        tokens = self.uow.client_tokens.items
        for token_id in [t.id for t in tokens.values() if t.client_id == entity.id]:
            del tokens[token_id]


class FakeSessionRepository(FakeRepository):
    async def revoke_all_of_user(
        self, user_id: str, at: datetime, reason: str, keep: str | None = None
    ) -> None:
        for session in self.where(lambda s: s.user_id == user_id and s.active and s.id != keep):
            session.revoke(at, reason)


class FakeRefreshTokenRepository(FakeRepository):
    """Refresh tokens are known by their hash, their primary key."""

    def add(self, entity: RefreshToken) -> None:
        self.items[entity.token_hash] = self._seen(entity)


class FakeClientTokenRepository(FakeRepository):
    async def revoke_all_of_client(self, client_id: str, at: datetime, reason: str) -> None:
        for token in self.where(lambda t: t.client_id == client_id and t.revoked_at is None):
            token.revoke(at, reason)


class FakeThrottleRepository(FakeRepository):
    async def for_username(self, username: str) -> LoginThrottle:
        return self.items.setdefault(username, LoginThrottle(username=username))


class FakeSourceThrottleRepository(FakeRepository):
    async def for_source(self, source: str) -> SourceThrottle:
        return self.items.setdefault(source, SourceThrottle(source=source))


class IdentityRepositories:
    """Mixed into FakeUnitOfWork: `make_identity_repositories()` sets one attribute a repository port."""

    def make_identity_repositories(self) -> None:
        self.departments = self._repository(FakeDepartmentRepository)
        self.users = self._repository(FakeUserRepository)
        self.clients = self._repository(FakeClientRepository)
        self.sessions = self._repository(FakeSessionRepository)
        self.refresh_tokens = self._repository(FakeRefreshTokenRepository)
        self.client_tokens = self._repository(FakeClientTokenRepository)
        self.throttle = self._repository(FakeThrottleRepository)
        self.source_throttle = self._repository(FakeSourceThrottleRepository)


class FakeHasher:
    """`PasswordHasher` without the cost: a hash anyone can read, and a count of the checks made (a refusal
    before any hashing shows as no check)."""

    def __init__(self) -> None:
        self.verified = 0

    async def hash(self, secret: str) -> str:
        return "hashed:" + secret

    async def verify(self, secret: str, hashed: str | None) -> bool:
        self.verified += 1
        return hashed is not None and hashed == "hashed:" + secret


class FakeSigner:
    """`TokenSigner` with readable tokens: `access:<kind>:<session id>`, refresh tokens `gxr_<n>`."""

    access_seconds = 900

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self.signed: list[Principal] = []

    def access_token(self, principal: Principal, now: datetime) -> tuple[str, int]:
        self.signed.append(principal)
        return f"access:{principal.kind}:{principal.session_id}", self.access_seconds

    def new_refresh_token(self) -> tuple[str, str]:
        token = f"gxr_{next(self._numbers)}"
        return token, self.hash_refresh_token(token)

    def hash_refresh_token(self, token: str) -> str:
        return "h:" + token

    def session_of_access_token(self, token: str) -> tuple[str, str] | None:
        scheme, _, named = token.partition(":")
        kind, _, session_id = named.partition(":")
        return (kind, session_id) if scheme == "access" and session_id else None
