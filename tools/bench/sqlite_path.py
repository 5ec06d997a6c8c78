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
aiosqlite (one statement = one round of hops). Figures are CPU, so another process on the machine moves
them less than wall time; they are still noisy on a shared machine.
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


async def get_one(url: str, requests: int) -> dict[str, Any]:
    settings = Settings(database_url=url, environment="development")
    async with signed_in(settings, "sqlite-path", ["admin"]) as (app, http):
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
            for _ in range(requests):
                response = await http.get(path)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            switches = context_switches() - switches
        assert response.status_code == 200, response.text
        return {
            "statements_per_request": round(statements[0] / requests, 2),
            "hops_per_request": round(hops.n / requests, 2),
            "context_switches_per_request": round(switches / requests, 1),
            "cpu_ms_per_request": round(cpu / requests * 1000, 3),
            "wall_ms_per_request": round(wall / requests * 1000, 3),
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


async def measure(requests: int, statements: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="gaoxin-sqlite-path-") as folder:
        out: dict[str, Any] = {}
        for name, patch in (("stock aiosqlite", stock_aiosqlite), ("engine.py", contextmanager(_nothing))):
            path = Path(folder) / f"{name.split()[0]}.db"
            url = f"sqlite+aiosqlite:///{path}"
            await upgrade_async(url)
            with patch():
                out[name] = await get_one(url, requests)
        out["floor"] = await floor(path, statements)
    return out


def _nothing():
    yield


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=20000)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.requests, args.statements)), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
