"""Finding 6: a client's access token stops working at once when it is revoked, when the client's secret
is rotated and when the client is deleted — not when it expires 15 minutes later."""

from __future__ import annotations

from tests.support.accounts import make_user


async def _client(http, admin) -> dict:
    created = await http.post("/api/v1/clients", json={"name": "园区大脑", "scopes": ["read"]}, headers=admin)
    assert created.status_code == 201, created.text
    return created.json()


async def _token(http, client: dict, secret: str | None = None) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": client["client_id"],
        "client_secret": secret or client["client_secret"],
    }
    response = await http.post("/api/v1/auth/token", data=form)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _reads(http, headers) -> int:
    return (await http.get("/api/v1/departments", headers=headers)).status_code


async def test_a_revoked_client_token_is_refused_at_once_and_only_that_one(client, admin, auditor):
    registered = await _client(client, admin)
    token, other = await _token(client, registered), await _token(client, registered)
    assert await _reads(client, token) == 200
    bare = token["Authorization"].removeprefix("Bearer ")
    assert (await client.post("/api/v1/auth/revoke", data={"token": bare})).status_code == 200
    assert await _reads(client, token) == 401
    assert await _reads(client, other) == 200  # the client's other token is another grant
    entries = await client.get(
        "/api/v1/audit-log", params={"action": "auth.client_token_revoked"}, headers=auditor
    )
    assert [e["actor"] for e in entries.json()["items"]] == [registered["client_id"]]


async def test_rotating_the_secret_ends_every_token_of_the_client_at_once(client, admin):
    registered = await _client(client, admin)
    token = await _token(client, registered)
    rotated = await client.post(f"/api/v1/clients/{registered['id']}/rotate", headers=admin)
    assert rotated.status_code == 200
    assert await _reads(client, token) == 401
    assert await _reads(client, await _token(client, registered, rotated.json()["client_secret"])) == 200


async def test_deleting_the_client_ends_its_tokens_at_once(client, admin):
    registered = await _client(client, admin)
    token = await _token(client, registered)
    etag = (await client.get(f"/api/v1/clients/{registered['id']}", headers=admin)).headers["etag"]
    deleted = await client.delete(f"/api/v1/clients/{registered['id']}", headers=admin | {"If-Match": etag})
    assert deleted.status_code == 204
    assert await _reads(client, token) == 401


async def test_revoking_a_client_token_leaves_peoples_sessions_alone(app, client, admin):
    """Revocation names the token's own session: a client token never ends a person's session."""
    await make_user(app, "li", ["viewer"])
    login = await client.post(
        "/api/v1/auth/token", data={"grant_type": "password", "username": "li", "password": "Gaoxin-2025"}
    )
    person = {"Authorization": f"Bearer {login.json()['access_token']}"}
    registered = await _client(client, admin)
    bare = (await _token(client, registered))["Authorization"].removeprefix("Bearer ")
    assert (await client.post("/api/v1/auth/revoke", data={"token": bare})).status_code == 200
    assert await _reads(client, person) == 200
