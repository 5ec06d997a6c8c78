"""Departments, users and clients over HTTP: policy, temporary passwords, rotation, nothing secret shown."""

from __future__ import annotations

import logging

import pytest

from tests.support.accounts import PASSWORD, bearer, make_user, password_login


@pytest.fixture
async def admin(app, client) -> dict[str, str]:
    await make_user(app, "root", ["admin"])
    return await bearer(client, "root")


async def test_department_create_read_patch_with_etag(client, admin):
    created = await client.post(
        "/api/v1/departments", json={"name": "经济发展局", "code": "JF"}, headers=admin
    )
    assert created.status_code == 201
    department = created.json()
    assert department["name"] == "经济发展局" and created.headers["etag"]
    url = f"/api/v1/departments/{department['id']}"
    no_match = await client.patch(url, json={"name": "经发局"}, headers=admin)
    assert no_match.status_code == 428
    patched = await client.patch(
        url, json={"name": "经发局"}, headers=admin | {"If-Match": created.headers["etag"]}
    )
    assert patched.status_code == 200 and patched.json()["name"] == "经发局"
    stale = await client.patch(url, json={"name": "X"}, headers=admin | {"If-Match": created.headers["etag"]})
    assert stale.status_code == 412
    assert (await client.get(url, headers=admin)).json()["name"] == "经发局"
    listed = (await client.get("/api/v1/departments", headers=admin)).json()
    assert [d["name"] for d in listed["items"]] == ["经发局"] and listed["items"][0]["etag"]


async def test_duplicate_department_name_is_409(client, admin):
    await client.post("/api/v1/departments", json={"name": "财政局"}, headers=admin)
    again = await client.post("/api/v1/departments", json={"name": "财政局"}, headers=admin)
    assert again.status_code == 409 and again.json()["rule"] == "duplicate"


@pytest.mark.parametrize(
    "password, reason",
    [("Ab1!xyz", "at least 8"), ("abcdefgh1", "three"), ("ABCDEFGH", "three"), ("newuser-Abc1", "username")],
)
async def test_password_policy_refusals_say_why(client, admin, password, reason):
    response = await client.post(
        "/api/v1/users",
        json={"username": "newuser", "password": password, "roles": ["viewer"]},
        headers=admin | {"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert reason in response.json()["detail"]
    assert password not in response.text
    assert (await client.get("/api/v1/users", headers=admin)).json()["items"][-1]["username"] == "root"


async def test_user_lifecycle_never_returns_the_password(client, admin):
    created = await client.post(
        "/api/v1/users",
        json={"username": "zhang", "password": "Wei-Ming-2025", "roles": ["viewer"], "display_name": "张三"},
        headers=admin,
    )
    assert created.status_code == 201
    body = created.json()
    assert "password" not in body and "password_hash" not in body and "Wei-Ming-2025" not in created.text
    assert (await password_login(client, "zhang", "Wei-Ming-2025")).status_code == 200
    duplicate = await client.post(
        "/api/v1/users",
        json={"username": "zhang", "password": "Wei-Ming-2025", "roles": ["viewer"]},
        headers=admin,
    )
    assert duplicate.status_code == 409


async def test_department_role_needs_a_department_and_unknown_department_is_422(client, admin):
    no_department = await client.post(
        "/api/v1/users", json={"username": "d1", "password": PASSWORD, "roles": ["department"]}, headers=admin
    )
    assert no_department.status_code == 422
    unknown = await client.post(
        "/api/v1/users",
        json={"username": "d1", "password": PASSWORD, "roles": ["viewer"], "department_id": "nope"},
        headers=admin,
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["body", "department_id"]


async def test_reset_password_forces_a_change_before_anything_else(app, client, admin):
    user = await make_user(app, "li", ["viewer"])
    etag = (await client.get(f"/api/v1/users/{user.id}", headers=admin)).headers["etag"]
    reset = await client.patch(
        f"/api/v1/users/{user.id}", json={"reset_password": "Temp-0001x"}, headers=admin | {"If-Match": etag}
    )
    assert reset.status_code == 200 and reset.json()["must_change_password"] is True
    assert (await password_login(client, "li", PASSWORD)).status_code == 400
    headers = await bearer(client, "li", "Temp-0001x")
    blocked = await client.get("/api/v1/departments", headers=headers)
    assert blocked.status_code == 403 and "/me/password" in blocked.json()["detail"]
    wrong = await client.post(
        "/api/v1/me/password",
        json={"current_password": "nope", "new_password": "Fresh-Pass-2025"},
        headers=headers,
    )
    assert wrong.status_code == 422
    changed = await client.post(
        "/api/v1/me/password",
        json={"current_password": "Temp-0001x", "new_password": "Fresh-Pass-2025"},
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json()["must_change_password"] is False
    assert (await client.get("/api/v1/departments", headers=headers)).status_code == 200


async def test_deactivating_a_user_ends_their_sessions(app, client, admin):
    user = await make_user(app, "wang", ["viewer"])
    tokens = (await password_login(client, "wang")).json()
    etag = (await client.get(f"/api/v1/users/{user.id}", headers=admin)).headers["etag"]
    await client.patch(f"/api/v1/users/{user.id}", json={"active": False}, headers=admin | {"If-Match": etag})
    assert (
        await client.get("/api/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    ).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 400


async def test_client_secret_shown_once_rotated_and_revoked(client, admin):
    created = await client.post(
        "/api/v1/clients", json={"name": "市政务平台", "scopes": ["read"]}, headers=admin
    )
    assert created.status_code == 201
    issued = created.json()
    assert issued["client_secret"].startswith("gxs_")
    shown_again = await client.get(f"/api/v1/clients/{issued['id']}", headers=admin)
    assert "client_secret" not in shown_again.json() and issued["client_secret"] not in shown_again.text
    rotated = (await client.post(f"/api/v1/clients/{issued['id']}/rotate", headers=admin)).json()
    form = {"grant_type": "client_credentials", "client_id": issued["client_id"]}
    old = await client.post("/api/v1/auth/token", data=form | {"client_secret": issued["client_secret"]})
    assert old.status_code == 401
    new = await client.post("/api/v1/auth/token", data=form | {"client_secret": rotated["client_secret"]})
    assert new.status_code == 200
    client_headers = {"Authorization": f"Bearer {new.json()['access_token']}"}
    assert (await client.get("/api/v1/departments", headers=client_headers)).status_code == 200
    assert (
        await client.post("/api/v1/departments", json={"name": "x"}, headers=client_headers)
    ).status_code == 403
    etag = (await client.get(f"/api/v1/clients/{issued['id']}", headers=admin)).headers["etag"]
    deleted = await client.delete(f"/api/v1/clients/{issued['id']}", headers=admin | {"If-Match": etag})
    assert deleted.status_code == 204
    assert (await client.get("/api/v1/departments", headers=client_headers)).status_code == 401


async def test_unknown_scope_or_role_is_422(client, admin):
    assert (
        await client.post("/api/v1/clients", json={"name": "x", "scopes": ["root"]}, headers=admin)
    ).status_code == 422
    response = await client.post(
        "/api/v1/users", json={"username": "x1", "password": PASSWORD, "roles": ["god"]}, headers=admin
    )
    assert response.status_code == 422


async def test_no_password_or_secret_in_any_log_line(app, client, admin, caplog):
    caplog.set_level(logging.DEBUG)
    await client.post(
        "/api/v1/users",
        json={"username": "zhao", "password": "Hidden-Secret-77", "roles": ["viewer"]},
        headers=admin,
    )
    await password_login(client, "zhao", "Hidden-Secret-77")
    await password_login(client, "zhao", "Wrong-Secret-88")
    issued = (
        await client.post("/api/v1/clients", json={"name": "c", "scopes": ["read"]}, headers=admin)
    ).json()
    text = "\n".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    for secret in (
        "Hidden-Secret-77",
        "Wrong-Secret-88",
        issued["client_secret"],
        admin["Authorization"][7:],
    ):
        assert secret not in text
