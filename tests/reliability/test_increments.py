"""Lost updates with fresh ETags: N writers retrying on 412 leave the weight at exactly start + N."""

from __future__ import annotations

import time

from soak import contention
from soak.harness import make_plan, make_task
from tests.reliability.figures import FIGURES
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
