"""Tokens: every grant and its errors, bad tokens, rotation and reuse, revocation, the login lock."""

from __future__ import annotations

import base64
import time

import httpx
import jwt
import pytest

from services.api.app import create_app
from tests.conftest import TEST_SECRET
from tests.support.accounts import PASSWORD, bearer, make_user, password_login
from tests.support.lifespan import running


def assert_oauth_problem(response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["error"] == error


async def test_password_grant_gives_access_and_refresh_tokens(app, client):
    await make_user(app, "planner1", ["planner"])
    response = await password_login(client, "planner1")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    assert body["refresh_token"].startswith("gxr_")
    assert response.headers["cache-control"] == "no-store"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["username"] == "planner1" and me.json()["roles"] == ["planner"]


async def test_wrong_password_and_unknown_user_answer_alike(app, client):
    await make_user(app, "viewer1", ["viewer"])
    wrong = await password_login(client, "viewer1", "Wrong-pass1")
    unknown = await password_login(client, "nobody", "Wrong-pass1")
    assert_oauth_problem(wrong, 400, "invalid_grant")
    assert_oauth_problem(unknown, 400, "invalid_grant")
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_inactive_user_cannot_sign_in(app, client):
    admin = await bearer(client, (await make_user(app, "root1", ["admin"])).username)
    user = await make_user(app, "leaver", ["viewer"])
    etag = (await client.get(f"/api/v1/users/{user.id}", headers=admin)).headers["etag"]
    await client.patch(f"/api/v1/users/{user.id}", json={"active": False}, headers=admin | {"If-Match": etag})
    assert_oauth_problem(await password_login(client, "leaver"), 400, "invalid_grant")


@pytest.mark.parametrize(
    "form, error",
    [
        ({"grant_type": "magic"}, "unsupported_grant_type"),
        ({"grant_type": "password", "username": "x"}, "invalid_request"),
        ({"grant_type": "refresh_token"}, "invalid_request"),
        ({"grant_type": "refresh_token", "refresh_token": "gxr_forged"}, "invalid_grant"),
    ],
)
async def test_bad_grants_are_400_with_oauth_error(client, form, error):
    assert_oauth_problem(await client.post("/api/v1/auth/token", data=form), 400, error)


async def test_client_credentials_grant_and_bad_client(app, client):
    admin = await bearer(client, (await make_user(app, "root2", ["admin"])).username)
    created = (
        await client.post("/api/v1/clients", json={"name": "园区大脑", "scopes": ["read"]}, headers=admin)
    ).json()
    form = {"grant_type": "client_credentials", "client_id": created["client_id"]}
    ok = await client.post("/api/v1/auth/token", data=form | {"client_secret": created["client_secret"]})
    assert ok.status_code == 200 and "refresh_token" not in ok.json()
    basic = base64.b64encode(f"{created['client_id']}:{created['client_secret']}".encode()).decode()
    via_basic = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert via_basic.status_code == 200
    bad = await client.post("/api/v1/auth/token", data=form | {"client_secret": "gxs_wrong"})
    assert_oauth_problem(bad, 401, "invalid_client")
    assert bad.headers["www-authenticate"].startswith("Basic")


def _forge(claims: dict, key: bytes | str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


async def test_missing_tampered_expired_foreign_and_alg_none_tokens_are_401(app, client):
    user = await make_user(app, "viewer2", ["viewer"])
    good = (await bearer(client, "viewer2"))["Authorization"].split()[1]
    header, payload, signature = good.split(".")
    now = int(time.time())
    claims = {"iss": "gaoxin", "sub": user.id, "kind": "user", "iat": now, "exp": now + 60, "sid": "x"}
    import hashlib

    key = hashlib.sha256(b"access-token:" + TEST_SECRET.encode()).digest()
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    cases = {
        "missing": None,
        "tampered": f"{header}.{payload[:-2]}xx.{signature}",
        "expired": _forge(claims | {"iat": now - 7200, "exp": now - 3600}, key),
        "foreign": _forge(claims, b"another-service-key-of-sufficient-length"),
        "alg none": f"{unsigned}.{payload}.",
        "wrong alg": _forge(claims, key + key, "HS512"),
    }
    for name, token in cases.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401, name
        assert response.headers["www-authenticate"].startswith("Bearer"), name
        assert response.json()["type"] == "/problems/unauthorized", name
    assert (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"})).status_code == 200


async def test_refresh_rotates_and_reuse_revokes_the_family(app, client):
    await make_user(app, "dept1", ["viewer"])
    first = (await password_login(client, "dept1")).json()
    second = await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    reuse = await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert_oauth_problem(reuse, 400, "invalid_grant")
    # the thief's replay ended the whole family: the rotated tokens die too
    after = await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": rotated["refresh_token"]}
    )
    assert_oauth_problem(after, 400, "invalid_grant")
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {rotated['access_token']}"})
    assert me.status_code == 401


async def test_revoke_logs_out_access_and_refresh(app, client):
    await make_user(app, "viewer3", ["viewer"])
    tokens = (await password_login(client, "viewer3")).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    assert (
        await client.post("/api/v1/auth/revoke", data={"token": tokens["refresh_token"]})
    ).status_code == 200
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401
    assert (await client.post("/api/v1/auth/revoke", data={"token": "unknown"})).status_code == 200


async def test_ten_failures_lock_the_username_even_for_the_right_password(app, client):
    await make_user(app, "target", ["viewer"])
    for _ in range(10):
        assert (await password_login(client, "target", "Wrong-pass1")).status_code == 400
    locked = await password_login(client, "target", PASSWORD)
    assert locked.status_code == 429
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    assert locked.json()["type"] == "/problems/too-many-requests"
    # an unknown username is throttled the same way: the lock does not reveal who exists
    for _ in range(10):
        await password_login(client, "ghost", "Wrong-pass1")
    assert (await password_login(client, "ghost", "Wrong-pass1")).status_code == 429


async def test_nine_failures_then_success_resets_the_count(app, client):
    await make_user(app, "careful", ["viewer"])
    for _ in range(9):
        await password_login(client, "careful", "Wrong-pass1")
    assert (await password_login(client, "careful")).status_code == 200
    for _ in range(9):
        await password_login(client, "careful", "Wrong-pass1")
    assert (await password_login(client, "careful")).status_code == 200


async def test_an_app_started_again_after_its_shutdown_still_signs_in(settings):
    """The hashing pool closes with the lifespan; a second start (as a harness does) makes a new one."""
    application = create_app(settings)
    async with running(application):
        await make_user(application, "twice", ["viewer"])
    async with (
        running(application),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://testserver"
        ) as http,
    ):
        assert (await password_login(http, "twice")).status_code == 200
