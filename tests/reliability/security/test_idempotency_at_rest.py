"""Finding 2: the idempotency store keeps first responses encrypted: the secrets of POST /clients,
POST /clients/{id}/rotate and POST /webhooks are not in the database (nor in its backups) in plaintext,
and a replay still answers the first response, as the contract promises."""

from __future__ import annotations

from sqlalchemy import select

from infrastructure.db.tables.integration import idempotency_keys


async def _stored(app) -> list[tuple[bytes, str]]:
    async with app.state.session_factory() as session:
        rows = (
            await session.execute(
                select(idempotency_keys.c.response_body, idempotency_keys.c.response_headers)
            )
        ).all()
    return [(row.response_body or b"", str(row.response_headers)) for row in rows]


async def _twice(client, url: str, headers: dict, key: str, **kwargs):
    headers = headers | {"Idempotency-Key": key}
    first = await client.post(url, headers=headers, **kwargs)
    again = await client.post(url, headers=headers, **kwargs)
    assert first.status_code == again.status_code and first.status_code in (200, 201), first.text
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    return first.json()


async def test_secrets_in_stored_responses_are_encrypted_and_replays_still_answer_them(app, client, admin):
    created = await _twice(
        client, "/api/v1/clients", admin, "c-1", json={"name": "园区大脑", "scopes": ["read"]}
    )
    rotated = await _twice(client, f"/api/v1/clients/{created['id']}/rotate", admin, "c-2")
    hook = await _twice(client, "/api/v1/webhooks", admin, "w-1", json={"url": "http://8.8.8.8/hook"})
    secrets = [created["client_secret"], rotated["client_secret"], hook["secret"]]

    stored = await _stored(app)
    assert len(stored) == 3 and all(body for body, _ in stored)
    for body, headers in stored:
        for secret in secrets:
            assert secret.encode() not in body and secret not in headers
        assert b"client_secret" not in body and b'"secret"' not in body  # nothing of the answer shows


async def test_a_response_stored_before_encryption_began_is_still_replayed(app, client, admin):
    """Rows written before revision 0008 hold plaintext until the sweep removes them (≤ 48 h)."""
    first = await client.post(
        "/api/v1/departments", json={"name": "旧答复局"}, headers=admin | {"Idempotency-Key": "old"}
    )
    async with app.state.engine.begin() as connection:
        await connection.execute(idempotency_keys.update().values(response_body=first.content))
    again = await client.post(
        "/api/v1/departments", json={"name": "旧答复局"}, headers=admin | {"Idempotency-Key": "old"}
    )
    assert again.status_code == 201 and again.json() == first.json()
