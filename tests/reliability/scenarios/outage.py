"""Database faults under load: a TCP proxy between the app and PostgreSQL is cut and restored while
concurrent readers and writers keep going; afterwards every write that answered 201 and its event are there.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.reliability.scenarios.harness import PROBLEM, admin_headers, database, make_plan, make_task, serve
from tests.support.tcp_proxy import TcpProxy

SCENARIO = "database faults under load"
RECOVERY_LIMIT = 5.0
FEED_WAIT = 30.0


@dataclass
class Answer:
    began: float
    ended: float
    status: int
    problem_type: str | None


@dataclass
class Outage:
    """What the load saw: every answer with its time, the down windows, and the writes that answered 201."""

    answers: list[Answer] = field(default_factory=list)
    windows: list[tuple[float, float]] = field(default_factory=list)
    recoveries: list[float] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    missing_rows: list[str] = field(default_factory=list)
    missing_events: list[str] = field(default_factory=list)
    feed_wait: float = 0.0
    blocking: str = ""

    @property
    def statuses(self) -> Counter:
        return Counter(a.status for a in self.answers)

    def while_down(self) -> list[Answer]:
        """Answers to requests sent after a cut and answered before the restore."""
        return [a for a in self.answers if any(cut <= a.began and a.ended <= up for cut, up in self.windows)]

    def problems(self) -> list[str]:
        found = [f"{n} × {status}" for status, n in self.statuses.items() if status >= 500 and status != 503]
        wrong = [
            a
            for a in self.while_down()
            if a.status != 503 or a.problem_type != "/problems/service-unavailable"
        ]
        found += [f"while down: {a.status} {a.problem_type}" for a in wrong[:5]]
        found += [
            f"no answer within {RECOVERY_LIMIT}s of a restore" for r in self.recoveries if r > RECOVERY_LIMIT
        ]
        found += [f"task {i} answered 201 but is missing" for i in self.missing_rows[:5]]
        if self.missing_events:
            found.append(
                f"{len(self.missing_events)} events of writes that answered 201 not in the feed after "
                f"{self.feed_wait:.0f} s (oldest open transaction: {self.blocking})"
            )
        return found


async def _timed(outage: Outage, request) -> httpx.Response:
    began = time.monotonic()
    response = await request
    problem = response.json().get("type") if response.headers.get("content-type") == PROBLEM else None
    outage.answers.append(Answer(began, time.monotonic(), response.status_code, problem))
    return response


async def _load(client, headers, plan_id: str, outage: Outage, stop: asyncio.Event, worker: int) -> None:
    for n in itertools.count():
        if stop.is_set():
            return
        await _timed(
            outage, client.get("/api/v1/tasks", params={"plan_id": plan_id, "limit": 5}, headers=headers)
        )
        created = await _timed(outage, make_task(client, headers, plan_id, f"负载任务 {worker}-{n}"))
        if created.status_code == 201:
            outage.created.append(created.json()["id"])
        await asyncio.sleep(0)


async def _recovery(client, headers, plan_id: str) -> float:
    """Seconds from now until the API answers 200 again."""
    began = time.monotonic()
    while time.monotonic() - began < 2 * RECOVERY_LIMIT:
        response = await client.get("/api/v1/tasks", params={"plan_id": plan_id, "limit": 1}, headers=headers)
        if response.status_code == 200:
            break
        await asyncio.sleep(0.05)
    return time.monotonic() - began


async def _feed_subjects(client, headers) -> set[str]:
    seen, cursor = set(), None
    while True:
        params = {"types": "task.created", "limit": 200} | ({"after": cursor} if cursor else {})
        page = (await client.get("/api/v1/events", params=params, headers=headers)).json()
        seen |= {item["subject"]["id"] for item in page["items"]}
        if not page["items"]:
            return seen
        cursor = page["next_cursor"]


async def _oldest_transaction(app) -> str:
    """The oldest transaction open on the server: the feed holds back every event younger than it."""
    statement = text(
        "SELECT datname, state, now() - xact_start AS age, left(query, 60) AS query FROM pg_stat_activity "
        "WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1"
    )
    async with app.state.engine.connect() as connection:
        row = (await connection.execute(statement)).first()
    return "none" if row is None else f"{row.datname} {row.state} for {row.age}: {row.query}"


async def _verify(app, client, headers, outage: Outage) -> None:
    """Every task that answered 201 is readable, and its task.created event is in the feed. The feed serves
    an event once every older transaction on the server has ended, so it is given FEED_WAIT seconds."""
    for task_id in outage.created:
        if (await client.get(f"/api/v1/tasks/{task_id}", headers=headers)).status_code != 200:
            outage.missing_rows.append(task_id)
    began = time.monotonic()
    while True:
        seen = await _feed_subjects(client, headers)
        outage.missing_events = [i for i in outage.created if i not in seen]
        outage.feed_wait = time.monotonic() - began
        if not outage.missing_events or outage.feed_wait > FEED_WAIT:
            break
        await asyncio.sleep(0.5)
    if outage.missing_events:
        outage.blocking = await _oldest_transaction(app)


async def run(
    database_url: str, *, seconds: float, workers: int = 6, up: float = 1.5, down: float = 2.0
) -> Outage:
    """Load for `seconds` with the database cut for `down` seconds after each `up` seconds."""
    real = make_url(database_url)
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    via_proxy = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    outage, stop = Outage(), asyncio.Event()
    try:
        async with serve(via_proxy, db_connect_timeout=2) as (app, client):
            admin = await admin_headers(app, client)
            plan_id = await make_plan(client, admin)
            load = [
                asyncio.create_task(_load(client, admin, plan_id, outage, stop, w)) for w in range(workers)
            ]
            deadline = time.monotonic() + seconds
            while time.monotonic() + up + down < deadline:
                await asyncio.sleep(up)
                await proxy.cut()
                cut = time.monotonic()
                await asyncio.sleep(down)
                outage.windows.append((cut, time.monotonic()))  # stamped before: no answer after it counts
                await proxy.restore()
                outage.recoveries.append(await _recovery(client, admin, plan_id))
            await asyncio.sleep(max(0.0, deadline - time.monotonic()))
            stop.set()
            await asyncio.gather(*load)
            await _verify(app, client, admin, outage)
    finally:
        await proxy.cut()
    return outage


def record(figures, outage: Outage, seconds: float) -> None:
    figures.took(SCENARIO, seconds)
    figures.responses(SCENARIO, outage.statuses)
    figures.fault(SCENARIO, len(outage.windows))
    figures.check(
        SCENARIO,
        answered_while_down=len(outage.while_down()),
        writes_201=len(outage.created),
        writes_missing=len(outage.missing_rows),
        events_missing=len(outage.missing_events),
        slowest_recovery_ms=int(1000 * max(outage.recoveries, default=0)),
        feed_wait_ms=int(1000 * outage.feed_wait),
    )


async def soak(seconds: float, figures) -> list[str]:
    """The same run for `seconds`, the database cut for 3 s after every 4 s, eight clients."""
    async with database("outage") as url:
        began = time.monotonic()
        result = await run(url, seconds=seconds, workers=8, up=4.0, down=3.0)
        record(figures, result, time.monotonic() - began)
    return result.problems()
