"""Lost updates: N writers retrying on 412 with fresh ETags leave the weight at exactly start + N; 100
writers holding one ETag make exactly one change."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from tests.reliability.figures import FIGURES
from tests.reliability.scenarios import contention
from tests.reliability.scenarios.harness import make_plan, make_task
from tests.support.accounts import bearer, make_user

WRITERS = 15


async def test_concurrent_increments_with_retries_lose_nothing(app, client):
    await make_user(app, "root", ["admin"])
    admin = await bearer(client, "root")
    plan_id = await make_plan(client, admin)
    task = (await make_task(client, admin, plan_id, "并发加权")).json()

    began = time.monotonic()
    race = await contention.increment_race(client, admin, task["id"], WRITERS)
    contention.record(FIGURES, race, time.monotonic() - began)

    assert race.start == 1  # the default weight
    assert race.final == race.start + WRITERS, race
    assert race.patches[200] == WRITERS  # one win a writer, none lost, none counted twice
    assert set(race.statuses) <= {200, 412}
    # The writers did collide (else this proves nothing): every loser re-read and won later.
    assert race.patches[412] >= WRITERS - 1


async def test_a_hundred_concurrent_patches_of_a_task_with_one_etag_one_wins(app, client):
    """Issue 8's lost-update case on a task: 100 writers holding the same ETag, one answer 200, 99 × 412."""
    scenario = "lost updates: one ETag, 100 writers"
    await make_user(app, "root", ["admin"])
    admin = await bearer(client, "root")
    plan_id = await make_plan(client, admin)
    created = (await make_task(client, admin, plan_id, "同一版本并发修改")).json()
    url = f"/api/v1/tasks/{created['id']}"
    etag = (await client.get(url, headers=admin)).headers["etag"]

    async def retitle(n: int):
        return await client.patch(url, json={"title": f"修改{n}"}, headers=admin | {"If-Match": etag})

    began = time.monotonic()
    responses = await asyncio.gather(*(retitle(n) for n in range(100)))
    statuses = Counter(r.status_code for r in responses)
    FIGURES.took(scenario, time.monotonic() - began)
    FIGURES.responses(scenario, statuses)
    FIGURES.check(scenario, writers=100, winners=statuses[200])

    assert statuses == {200: 1, 412: 99}, statuses
    winner = next(r for r in responses if r.status_code == 200).json()
    current = await client.get(url, headers=admin)
    assert current.json()["title"] == winner["title"]
    assert current.headers["etag"] != etag  # the one change made a new version
    refused = next(r for r in responses if r.status_code == 412)
    assert refused.headers["content-type"].startswith("application/problem+json")
