"""What a read costs on the embedded database: statements, hops to aiosqlite's thread, thread switches, CPU.

    .venv/bin/python -m tools.bench.sqlite_path              # 2,000 GET one, stock aiosqlite then ours
    .venv/bin/python -m tools.bench.sqlite_path --requests 500 --statements 20000

A fresh SQLite file (migrated) with one enterprise holding two certifications; the app in-process
(tools/bench/inprocess.py) answers GET /api/v1/enterprises/{id} `--requests` times, once with the engine
on stock aiosqlite (its cursor hops four times to the connection's thread per statement) and once as
infrastructure/db/engine.py makes it (one hop a statement). Per request: statements (SQLAlchemy's
before_cursor_execute), hops (calls into aiosqlite's queue), context switches of all the process's threads
(/proc/self/task/*/status) and CPU time of the process (client and server together: the in-process client
costs the same in both runs, so the difference is the server's). Then the floor: the same primary-key
read `--statements` times through the standard library's sqlite3 in the calling thread, and through
aiosqlite (one statement = one round of hops). Writes: `--writers` clients at once registering
enterprises (write transactions meeting at SQLite's lock and its busy handler). Pool size: 16 clients
on pools of 2 and of 10 connections (each an aiosqlite thread). Figures are CPU, so another process on
the machine moves them less than wall time; they are still noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import aiosqlite
import httpx
from sqlalchemy import event

from infrastructure.db import engine as engine_module
from infrastructure.db.migrate import upgrade_async
from infrastructure.settings import Settings
from tools.bench.inprocess import signed_in


def context_switches() -> int:
    """Voluntary and involuntary context switches of every thread of this process so far."""
    total = 0
    for status in Path("/proc/self/task").glob("*/status"):
        try:
            text = status.read_text()
        except OSError:  # a thread that ended meanwhile
            continue
        for line in text.splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


class Hops:
    """Counts the calls aiosqlite queues to a connection's thread (aiosqlite.Connection._execute)."""

    def __init__(self) -> None:
        self.n = 0
        self._original = aiosqlite.Connection._execute

    @contextmanager
    def counting(self):
        original, hops = self._original, self

        async def counted(connection, fn, *args, **kwargs):
            hops.n += 1
            return await original(connection, fn, *args, **kwargs)

        with mock.patch.object(aiosqlite.Connection, "_execute", counted):
            yield self


@contextmanager
def stock_aiosqlite():
    """The engine as SQLAlchemy makes it for aiosqlite, without engine.py's one-hop connection."""
    with mock.patch.object(engine_module, "_sqlite_connector", lambda url, timeout: None):
        yield


async def get_one(url: str, requests: int, clients: int = 1, pool: int | None = None) -> dict[str, Any]:
    """`requests` GET one from `clients` concurrent clients (a pool of `pool` connections if given)."""
    settings = Settings(database_url=url, environment="development")
    if pool is not None:
        settings = settings.model_copy(update={"db_pool_size": pool})
    async with signed_in(settings, f"sqlite-path-{clients}-{pool}", ["admin"]) as (app, http):
        created = await http.post("/api/v1/enterprises", json={"name": "鞍山嵌入式数据库测量有限公司"})
        assert created.status_code == 201, created.text
        path = f"/api/v1/enterprises/{created.json()['id']}"
        for kind, issued in (("tech_sme", "2025-04-01"), ("hnte", "2024-11-20")):
            cert = {"kind": kind, "issued_on": issued} | (
                {"number": "GR202421000123"} if kind == "hnte" else {}
            )
            assert (await http.post(f"{path}/certifications", json=cert)).status_code == 201
        for _ in range(50):  # warm: compiled statements cached, pool filled
            assert (await http.get(path)).status_code == 200
        statements = [0]

        def count(*_args) -> None:
            statements[0] += 1

        event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
        hops = Hops()
        with hops.counting():
            switches, cpu, wall = context_switches(), time.process_time(), time.perf_counter()

            async def client() -> httpx.Response:
                for _ in range(requests // clients):
                    response = await http.get(path)
                return response

            responses = await asyncio.gather(*(client() for _ in range(clients)))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            switches = context_switches() - switches
        assert all(r.status_code == 200 for r in responses), responses[0].text
        return {
            "statements_per_request": round(statements[0] / requests, 2),
            "hops_per_request": round(hops.n / requests, 2),
            "context_switches_per_request": round(switches / requests, 1),
            "cpu_ms_per_request": round(cpu / requests * 1000, 3),
            "wall_ms_per_request": round(wall / requests * 1000, 3),
        }


async def writes(url: str, writers: int, each: int) -> dict[str, Any]:
    """`writers` clients at once, each registering `each` enterprises (a write transaction apiece)."""
    settings = Settings(database_url=url, environment="development")
    async with signed_in(settings, "sqlite-writes", ["admin"]) as (_app, http):
        latencies: list[float] = []

        async def writer(n: int) -> None:
            for k in range(each):
                sent = time.perf_counter()
                response = await http.post(
                    "/api/v1/enterprises", json={"name": f"鞍山写入测量{n}-{k}有限公司"}
                )
                latencies.append(time.perf_counter() - sent)
                assert response.status_code == 201, response.text

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(writer(n) for n in range(writers)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    latencies.sort()
    n = len(latencies)
    return {
        "writers": writers,
        "requests": n,
        "per_second": round(n / wall, 1),
        "p50_ms": round(latencies[n // 2] * 1000, 2),
        "p95_ms": round(latencies[int(n * 0.95)] * 1000, 2),
        "max_ms": round(latencies[-1] * 1000, 2),
        "cpu_ms_per_request": round(cpu / n * 1000, 3),
    }


async def floor(path: Path, statements: int) -> dict[str, Any]:
    """One primary-key read: sqlite3 in this thread, then aiosqlite (execute + fetchall)."""
    with sqlite3.connect(path) as connection:
        key = connection.execute("SELECT id FROM enterprises LIMIT 1").fetchone()[0]
        sql = "SELECT * FROM enterprises WHERE id = ?"
        cpu = time.process_time()
        for _ in range(statements):
            connection.execute(sql, (key,)).fetchall()
        direct = (time.process_time() - cpu) / statements
    async with aiosqlite.connect(path) as connection:
        hops = Hops()
        with hops.counting():
            switches, cpu = context_switches(), time.process_time()
            for _ in range(statements):
                async with connection.execute(sql, (key,)) as cursor:
                    await cursor.fetchall()
            threaded = (time.process_time() - cpu) / statements
            switches = context_switches() - switches
    return {
        "sqlite3_in_thread_us_per_statement": round(direct * 1e6, 1),
        "aiosqlite_us_per_statement": round(threaded * 1e6, 1),
        "aiosqlite_hops_per_statement": round(hops.n / statements, 2),
        "aiosqlite_us_per_hop": round((threaded - direct) / (hops.n / statements) * 1e6, 1),
        "aiosqlite_context_switches_per_statement": round(switches / statements, 1),
    }


@contextmanager
def as_built():
    yield


VARIANTS = {"stock aiosqlite": stock_aiosqlite, "engine.py": as_built}


async def measure(requests: int, statements: int, writers: int, writes_each: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="gaoxin-sqlite-path-") as folder:
        out: dict[str, Any] = {}
        for n, (name, variant) in enumerate(VARIANTS.items()):
            path = Path(folder) / f"{n}.db"
            url = f"sqlite+aiosqlite:///{path}"
            await upgrade_async(url)
            with variant():
                out[name] = await get_one(url, requests)
                out[name][f"{writers} writers"] = await writes(url, writers, writes_each)
                if name == "engine.py":  # pool size: 16 clients on a pool of 2 (+2 overflow), then 10 (+10)
                    for pool in (2, 10):
                        out[name][f"16 clients, pool {pool}"] = await get_one(url, requests, 16, pool)
        out["floor"] = await floor(path, statements)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=20000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--writes", type=int, default=100, help="enterprises each writer registers")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.requests, args.statements, args.writers, args.writes))
    print(json.dumps(figures, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
