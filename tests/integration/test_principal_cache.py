"""Who a token speaks for, remembered between requests on PostgreSQL, is never stale: a revocation, a
deactivation, a role change or a client's revocation — through the API or straight in SQL — is what the very
next request sees. On SQLite nothing is remembered: every request reads the database."""

from __future__ import annotations

import asyncio
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from tests.support.accounts import make_user, password_login
from tests.support.statements import listening, statements_sent

ME = "/api/v1/me"


async def cache_is_on(app) -> bool:
    """On PostgreSQL, wait for the lifespan's listener to connect (the cache is on only then)."""
    if app.state.engine.dialect.name != "postgresql":
        assert not app.state.principal_cache.enabled
        return False
    for _ in range(500):
        if app.state.principal_cache.enabled:
            return True
        await asyncio.sleep(0.01)
    raise AssertionError("the principal listener never connected")


@contextmanager
def principal_reads(app):
    """The statements of the block that read a sign-in session or a client token (read after the block)."""
    found: list[str] = []
    with statements_sent(app) as sent:
        yield found
    found.extend(s for s in sent if "auth_sessions" in s or "client_tokens" in s)


async def signed_in(app, client, username: str, roles: list[str]) -> tuple[dict[str, str], dict]:
    await make_user(app, username, roles)
    tokens = (await password_login(client, username)).json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}, tokens


async def test_a_principal_is_read_once_while_listening_and_on_every_request_otherwise(app, client):
    headers, _ = await signed_in(app, client, "reader", ["viewer"])
    listening = await cache_is_on(app)
    assert (await client.get(ME, headers=headers)).status_code == 200
    with principal_reads(app) as reads:
        for _ in range(3):
            assert (await client.get(ME, headers=headers)).status_code == 200
    assert len(reads) == (0 if listening else 3)


async def _patch_user(client, admin: dict[str, str], user_id: str, change: dict) -> None:
    current = await client.get(f"/api/v1/users/{user_id}", headers=admin)
    patched = await client.patch(
        f"/api/v1/users/{user_id}", json=change, headers=admin | {"If-Match": current.headers["ETag"]}
    )
    assert patched.status_code == 200, patched.text


async def test_a_revoked_session_is_refused_at_the_next_request(app, client):
    headers, tokens = await signed_in(app, client, "leaving", ["viewer"])
    await cache_is_on(app)
    assert (await client.get(ME, headers=headers)).status_code == 200  # remembered from here on
    assert (
        await client.post("/api/v1/auth/revoke", data={"token": tokens["refresh_token"]})
    ).status_code == 200
    assert (await client.get(ME, headers=headers)).status_code == 401


async def test_a_deactivated_user_is_refused_at_the_next_request(app, client):
    headers, _ = await signed_in(app, client, "gone", ["viewer"])
    admin, _ = await signed_in(app, client, "root", ["admin"])
    await cache_is_on(app)
    me = await client.get(ME, headers=headers)
    assert me.status_code == 200
    await _patch_user(client, admin, me.json()["id"], {"active": False})
    assert (await client.get(ME, headers=headers)).status_code == 401


async def test_a_role_taken_away_is_refused_at_the_next_request(app, client):
    headers, _ = await signed_in(app, client, "deputy", ["admin"])
    admin, _ = await signed_in(app, client, "root", ["admin"])
    await cache_is_on(app)
    me = await client.get(ME, headers=headers)
    assert (await client.get("/api/v1/users", headers=headers)).status_code == 200
    await _patch_user(client, admin, me.json()["id"], {"roles": ["viewer"]})
    assert (await client.get("/api/v1/users", headers=headers)).status_code == 403
    assert (await client.get(ME, headers=headers)).json()["roles"] == ["viewer"]


async def test_a_change_made_in_sql_outside_the_service_is_seen_at_the_next_request(app, client):
    headers, _ = await signed_in(app, client, "outside", ["viewer"])
    await cache_is_on(app)
    assert (await client.get(ME, headers=headers)).status_code == 200
    async with app.state.engine.begin() as connection:
        await connection.execute(text("UPDATE users SET active = false WHERE username = 'outside'"))
    assert (await client.get(ME, headers=headers)).status_code == 401


async def test_a_deleted_client_is_refused_at_the_next_request(app, client):
    admin, _ = await signed_in(app, client, "root", ["admin"])
    made = await client.post("/api/v1/clients", json={"name": "园区大脑", "scopes": ["read"]}, headers=admin)
    created = made.json()
    form = {"grant_type": "client_credentials", "client_id": created["client_id"]}
    grant = await client.post("/api/v1/auth/token", data=form | {"client_secret": created["client_secret"]})
    headers = {"Authorization": f"Bearer {grant.json()['access_token']}"}
    await cache_is_on(app)
    assert (await client.get("/api/v1/enterprises", headers=headers)).status_code == 200
    deleted = await client.delete(
        f"/api/v1/clients/{created['id']}", headers=admin | {"If-Match": made.headers["ETag"]}
    )
    assert deleted.status_code == 204
    assert (await client.get("/api/v1/enterprises", headers=headers)).status_code == 401


@pytest.mark.parametrize("notified", [True, False])
async def test_a_read_overtaken_by_a_notice_is_not_remembered(app, client, notified):
    """A principal read while a change commits may be the old one: it is used once, never remembered."""
    headers, _ = await signed_in(app, client, "racing", ["viewer"])
    if not await cache_is_on(app):
        pytest.skip("SQLite: nothing is remembered")
    cache = app.state.principal_cache

    def notice_during_the_read(_conn, _cursor, statement, *_args) -> None:
        if notified and "auth_sessions" in statement:
            cache.forget_all()

    with listening(app, "before_cursor_execute", notice_during_the_read):
        assert (await client.get(ME, headers=headers)).status_code == 200
    with principal_reads(app) as reads:
        assert (await client.get(ME, headers=headers)).status_code == 200
    assert len(reads) == (1 if notified else 0)
