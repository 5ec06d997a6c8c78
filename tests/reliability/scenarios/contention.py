"""Lost updates: N writers increment one task's weight, each re-reading the ETag and retrying on 412."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import httpx

from tests.reliability.scenarios.harness import admin_headers, database, make_plan, make_task, serve


@dataclass
class Race:
    """One race: where the weight started, where it ended, and every answer given on the way."""

    writers: int
    start: Decimal
    final: Decimal
    statuses: Counter = field(default_factory=Counter)
    patches: Counter = field(default_factory=Counter)

    @property
    def lost(self) -> int:
        return int(self.start + self.writers - self.final)


async def _weight(client: httpx.AsyncClient, url: str, headers: dict, statuses: Counter):
    response = await client.get(url, headers=headers)
    statuses[response.status_code] += 1
    assert response.status_code == 200, response.text
    return response.headers["etag"], Decimal(str(response.json()["weight"]))


async def increment_race(client: httpx.AsyncClient, headers: dict, task_id: str, writers: int) -> Race:
    """`writers` concurrent read–increment–PATCH loops; each stops at its first 200."""
    url = f"/api/v1/tasks/{task_id}"
    statuses: Counter = Counter()
    patches: Counter = Counter()
    _, start = await _weight(client, url, headers, statuses)

    async def writer() -> None:
        for _ in range(10 * writers):  # a bound, so a bug shows as a failure rather than a hang
            etag, weight = await _weight(client, url, headers, statuses)
            patched = await client.patch(
                url, json={"weight": str(weight + 1)}, headers=headers | {"If-Match": etag}
            )
            statuses[patched.status_code] += 1
            patches[patched.status_code] += 1
            if patched.status_code == 200:
                return
            assert patched.status_code == 412, patched.text
        raise AssertionError(f"a writer retried {10 * writers} times without winning")

    await asyncio.gather(*(writer() for _ in range(writers)))
    _, final = await _weight(client, url, headers, statuses)
    return Race(writers, start, final, statuses, patches)


SCENARIO = "lost updates: retry loop"


def record(figures, race: Race, seconds: float) -> None:
    figures.took(SCENARIO, seconds)
    figures.responses(SCENARIO, race.statuses)
    figures.check(
        SCENARIO, races=1, increments=race.writers, increments_lost=race.lost, retries=race.patches[412]
    )


async def soak(seconds: float, figures, *, writers: int = 25) -> list[str]:
    """Races one after another for `seconds`; returns the problems seen (none is the pass)."""
    problems = []
    async with database("contention") as url, serve(url) as (app, client):
        admin = await admin_headers(app, client)
        plan_id = await make_plan(client, admin)
        task = await make_task(client, admin, plan_id, "并发加权")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            began = time.monotonic()
            race = await increment_race(client, admin, task.json()["id"], writers)
            record(figures, race, time.monotonic() - began)
            if race.lost:
                problems.append(f"{race.writers} increments from {race.start} ended at {race.final}")
    return problems
