"""Ports of the identity context: its repositories and unit of work, and hashing and token signing, which
live in infrastructure (infrastructure/repositories/identity.py, infrastructure/security/)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.identity.accounts import Client, Department, User
from domain.identity.policy import Principal
from domain.identity.sessions import AuthSession, ClientToken, RefreshToken
from domain.identity.throttle import LoginThrottle, SourceThrottle
from domain.shared.uow import Repository, UnitOfWork


class DepartmentRepositoryPort(Repository[Department], Protocol):
    async def list_page(self, *, after: str | None, limit: int) -> list[Department]:
        """limit + 1 departments after the id `after`, in id (creation) order."""

    async def with_name_or_code(self, name: str, code: str | None) -> list[Department]:
        """Departments named `name`, or coded `code` when one is given: what uniqueness is checked on."""


class UserRepositoryPort(Repository[User], Protocol):
    async def list_page(self, *, after: str | None, limit: int) -> list[User]:
        """limit + 1 users after the id `after`, in id (creation) order."""

    async def by_username(self, username: str) -> User | None:
        """The user whose username is this one under NFKC and case (`accounts.username_key`)."""

    async def active_admins(self) -> list[User]: ...

    async def any(self) -> bool:
        """Whether any user exists at all (an empty database gets a generated admin)."""


class ClientRepositoryPort(Repository[Client], Protocol):
    async def list_page(self, *, after: str | None, limit: int) -> list[Client]:
        """limit + 1 clients after the id `after`, in id (creation) order."""

    async def by_client_id(self, client_id: str) -> Client | None:
        """The client by the public `client_id` it signs in with (not its resource id)."""


class SessionRepositoryPort(Repository[AuthSession], Protocol):
    async def revoke_all_of_user(
        self, user_id: str, at: datetime, reason: str, keep: str | None = None
    ) -> None:
        """End every active sign-in session of the user, except `keep`."""


class RefreshTokenRepositoryPort(Repository[RefreshToken], Protocol):
    """Refresh tokens by their hash (`get` takes the hash, never the token)."""


class ClientTokenRepositoryPort(Repository[ClientToken], Protocol):
    async def revoke_all_of_client(self, client_id: str, at: datetime, reason: str) -> None:
        """End every active access token given to the client (by its resource id)."""


class ThrottleRepositoryPort(Protocol):
    async def for_username(self, username: str) -> LoginThrottle:
        """The username's failure count, made (at zero) when it has none yet."""


class SourceThrottleRepositoryPort(Protocol):
    async def for_source(self, source: str) -> SourceThrottle:
        """The address's failure count, made when it has none; held until commit, so that failures counted
        by several workers at once add up exactly."""


class IdentityUnitOfWork(UnitOfWork, Protocol):
    """The unit of work the identity handlers run in."""

    departments: DepartmentRepositoryPort
    users: UserRepositoryPort
    clients: ClientRepositoryPort
    sessions: SessionRepositoryPort
    refresh_tokens: RefreshTokenRepositoryPort
    client_tokens: ClientTokenRepositoryPort
    throttle: ThrottleRepositoryPort
    source_throttle: SourceThrottleRepositoryPort


class PasswordHasher(Protocol):
    """Hashing is slow on purpose: it runs off the event loop, so both methods are awaited."""

    async def hash(self, secret: str) -> str: ...

    async def verify(self, secret: str, hashed: str | None) -> bool:
        """Check a secret; with no hash, spend the same time and answer False."""


class TokenSigner(Protocol):
    def access_token(self, principal: Principal, now: datetime) -> tuple[str, int]:
        """Return a signed access token (naming `principal.session_id` as its session) and its lifetime."""

    @property
    def access_seconds(self) -> int:
        """How long an access token lives."""

    def new_refresh_token(self) -> tuple[str, str]:
        """Return a new refresh token and the hash to store."""

    def hash_refresh_token(self, token: str) -> str: ...

    def session_of_access_token(self, token: str) -> tuple[str, str] | None:
        """(kind, session id) of a valid access token — "user" and its sign-in session, or "client" and
        its client token — else None."""
