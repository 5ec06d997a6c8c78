"""What the identity ring's tests start from: a fixed clock and records an earlier request committed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.identity.accounts import Client, User
from domain.identity.sessions import AuthSession, ClientToken
from tests.unit.fakes import FakeUnitOfWork

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
PASSWORD = "Gaoxin-2025"
SECRET = "gxs_the-current-secret"


def stored_user(uow: FakeUnitOfWork, username: str, roles: list[str], **fields) -> User:
    """A user in the store, signing in with PASSWORD."""
    user = User(username=username, password_hash="hashed:" + PASSWORD, roles=roles, **fields)
    uow.users.items[user.id] = user
    return user


def stored_session(uow: FakeUnitOfWork, user: User) -> AuthSession:
    session = AuthSession(user_id=user.id, created_at=NOW - timedelta(hours=1))
    uow.sessions.items[session.id] = session
    return session


def stored_client(uow: FakeUnitOfWork, name: str = "园区大脑", **fields) -> Client:
    """A city-system client in the store, signing in with SECRET."""
    client = Client(
        name=name,
        client_id="gx_" + name.encode().hex()[:16],
        secret_hash="hashed:" + SECRET,
        scopes=["read"],
        created_at=NOW - timedelta(days=30),
        **fields,
    )
    uow.clients.items[client.id] = client
    return client


def stored_client_token(uow: FakeUnitOfWork, client: Client) -> ClientToken:
    token = ClientToken(client.id, NOW - timedelta(minutes=5), NOW + timedelta(minutes=10))
    uow.client_tokens.items[token.id] = token
    return token
