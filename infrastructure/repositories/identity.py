"""Repositories of the identity context."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.identity.accounts import Client, Department, User, username_key
from domain.identity.sessions import AuthSession, ClientToken, RefreshToken
from domain.identity.throttle import LoginThrottle, SourceThrottle
from infrastructure.db.tables.identity import login_source_throttle
from infrastructure.repositories.base import Repository


class DepartmentRepository(Repository):
    entity = Department

    async def with_name_or_code(self, name: str, code: str | None) -> list[Department]:
        condition = Department.name == name
        if code:
            condition = or_(condition, Department.code == code)
        return await self._all(select(Department).where(condition))


class UserRepository(Repository):
    entity = User

    async def by_username(self, username: str) -> User | None:
        """The user whose username is this one under NFKC and case (`username_key`)."""
        return await self._one(select(User).where(User.username_key == username_key(username)))

    async def active_admins(self) -> list[User]:
        return [u for u in await self._all(select(User).where(User.active.is_(True))) if "admin" in u.roles]

    async def any(self) -> bool:
        return await self._one(select(User.id).limit(1)) is not None


class ClientRepository(Repository):
    entity = Client

    async def by_client_id(self, client_id: str) -> Client | None:
        return await self._one(select(Client).where(Client.client_id == client_id))


class SessionRepository(Repository):
    entity = AuthSession

    async def revoke_all_of_user(
        self, user_id: str, at: datetime, reason: str, keep: str | None = None
    ) -> None:
        sessions = await self._all(
            select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        )
        for auth_session in sessions:
            if auth_session.id != keep:
                auth_session.revoke(at, reason)


class RefreshTokenRepository(Repository):
    entity = RefreshToken


class ClientTokenRepository(Repository):
    entity = ClientToken

    async def revoke_all_of_client(self, client_id: str, at: datetime, reason: str) -> None:
        tokens = await self._all(
            select(ClientToken).where(ClientToken.client_id == client_id, ClientToken.revoked_at.is_(None))
        )
        for token in tokens:
            token.revoke(at, reason)


class ThrottleRepository(Repository):
    entity = LoginThrottle

    async def for_username(self, username: str) -> LoginThrottle:
        throttle = await self.session.get(LoginThrottle, username)
        if throttle is None:
            throttle = LoginThrottle(username=username)
            self.session.add(throttle)
        return throttle


class SourceThrottleRepository(Repository):
    entity = SourceThrottle

    async def for_source(self, source: str) -> SourceThrottle:
        """The address's count, its row locked until commit: failures from several workers add up exactly."""
        values = {"source": source, "failures": 0}
        if self.session.bind.dialect.name == "postgresql":
            await self.session.execute(
                pg_insert(login_source_throttle).values(**values).on_conflict_do_nothing()
            )
        else:
            await self.session.execute(
                sqlite_insert(login_source_throttle).values(**values).on_conflict_do_nothing()
            )
        return await self.session.get(SourceThrottle, source, with_for_update=True, populate_existing=True)
