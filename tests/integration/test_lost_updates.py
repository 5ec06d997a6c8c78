"""Lost updates: concurrent PATCHes with one ETag — exactly one wins, every other answer is 412."""

from __future__ import annotations

import asyncio

from tests.support.accounts import bearer, make_user


async def test_a_hundred_concurrent_patches_with_the_same_etag_one_wins(app, client):
    await make_user(app, "root", ["admin"])
    admin = await bearer(client, "root")
    created = await client.post("/api/v1/departments", json={"name": "原名"}, headers=admin)
    url, etag = f"/api/v1/departments/{created.json()['id']}", created.headers["etag"]

    async def rename(n: int):
        return await client.patch(url, json={"name": f"新名{n}"}, headers=admin | {"If-Match": etag})

    responses = await asyncio.gather(*(rename(n) for n in range(100)))
    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 1, statuses
    assert statuses.count(412) == 99
    winner = next(r for r in responses if r.status_code == 200).json()["name"]
    assert (await client.get(url, headers=admin)).json()["name"] == winner
