"""Finding 1: an idempotent replay passes the same authentication (live session, active user or client)
and the route's permission as a first request. A revoked or demoted admin re-sending `POST /clients` with
the same Idempotency-Key and body gets 401 or 403, never the stored 201 with its `client_secret`."""

from __future__ import annotations

from tests.support.accounts import bearer, make_user

CLIENT = {"name": "园区大脑", "scopes": ["read"]}


async def _create(client, headers, key: str = "create-client-1"):
    return await client.post("/api/v1/clients", json=CLIENT, headers=headers | {"Idempotency-Key": key})


async def _patch_user(client, admin, user_id: str, changes: dict) -> None:
    etag = (await client.get(f"/api/v1/users/{user_id}", headers=admin)).headers["etag"]
    response = await client.patch(
        f"/api/v1/users/{user_id}", json=changes, headers=admin | {"If-Match": etag}
    )
    assert response.status_code == 200, response.text


async def test_the_replay_still_answers_the_first_response_to_its_caller(app, client):
    await make_user(app, "admin_a", ["admin"])
    caller = await bearer(client, "admin_a")
    first = await _create(client, caller)
    again = await _create(client, caller)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"


async def test_a_revoked_token_gets_401_not_the_stored_secret(app, client):
    await make_user(app, "admin_b", ["admin"])
    caller = await bearer(client, "admin_b")
    first = await _create(client, caller)
    assert first.status_code == 201
    token = caller["Authorization"].removeprefix("Bearer ")
    assert (await client.post("/api/v1/auth/revoke", data={"token": token})).status_code == 200

    replay = await _create(client, caller)
    assert replay.status_code == 401
    assert first.json()["client_secret"] not in replay.text and "idempotent-replayed" not in replay.headers


async def test_an_admin_demoted_to_viewer_gets_403_not_the_stored_secret(app, client, admin):
    demoted = await make_user(app, "admin_c", ["admin"])
    caller = await bearer(client, "admin_c")
    first = await _create(client, caller)
    await _patch_user(client, admin, demoted.id, {"roles": ["viewer"]})

    replay = await _create(client, caller)
    assert replay.status_code == 403
    assert first.json()["client_secret"] not in replay.text and "idempotent-replayed" not in replay.headers


async def test_a_deactivated_user_gets_401_not_the_stored_secret(app, client, admin):
    leaver = await make_user(app, "admin_d", ["admin"])
    caller = await bearer(client, "admin_d")
    first = await _create(client, caller)
    await _patch_user(client, admin, leaver.id, {"active": False})

    replay = await _create(client, caller)
    assert replay.status_code == 401 and first.json()["client_secret"] not in replay.text


async def test_a_deleted_client_replaying_its_own_creation_gets_401(app, client, admin):
    """A client (city system) with client.manage creates a client, is deleted, and replays."""
    maker = (
        await client.post("/api/v1/clients", json={"name": "运维", "scopes": ["admin"]}, headers=admin)
    ).json()
    form = {
        "grant_type": "client_credentials",
        "client_id": maker["client_id"],
        "client_secret": maker["client_secret"],
    }
    token = (await client.post("/api/v1/auth/token", data=form)).json()["access_token"]
    caller = {"Authorization": f"Bearer {token}"}
    first = await _create(client, caller, key="by-a-client")
    assert first.status_code == 201
    etag = (await client.get(f"/api/v1/clients/{maker['id']}", headers=admin)).headers["etag"]
    await client.delete(f"/api/v1/clients/{maker['id']}", headers=admin | {"If-Match": etag})

    replay = await _create(client, caller, key="by-a-client")
    assert replay.status_code == 401 and first.json()["client_secret"] not in replay.text
