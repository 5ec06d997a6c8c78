"""The ceiling: a bare Starlette app that reads one enterprise row and answers the JSON our API answers.

    BENCH_CEILING_DATABASE=sqlite:///path.db | postgresql://user@host:port/db \\
    BENCH_CEILING_TIERS=tiers.json  .venv/bin/python -m tools.bench.ceiling --port 8001 [--workers 2]

Served by uvicorn with the settings `gaoxin serve` uses (loop and HTTP parser auto, i.e. uvloop and
httptools; proxy headers on; log_config None) and no access log. On PostgreSQL the row comes through a
raw asyncpg pool of GAOXIN_DB_POOL_SIZE (default 10) connections, as our engine's pool; on SQLite through
the standard library's sqlite3, one connection a worker, queried in the event loop (a primary-key read
takes microseconds, so a thread hop would only add cost). No authentication, no ETag, no middleware,
no logging: what is left is HTTP, one primary-key query and the JSON encoding — the physical limit of
"GET one row" on this stack.

The tier is derived by our domain from the certifications and is not in the row; the ceiling answers
the tier our API gave for that id (BENCH_CEILING_TIERS, captured by bench/run.py before the ceiling
runs), so that both answers are the same JSON, byte for byte, which bench/run.py checks.
`/ping` answers a constant: the HTTP floor, to see what the load driver and uvicorn alone can do.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

COLUMNS = (
    "id, name, aliases, credit_code, registered_on, cluster, status, listed, "
    "stock_code, listed_on, officer_id"
)
NOT_FOUND = {"type": "/problems/not-found", "title": "Not found", "status": 404}


def _day(value) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _body(row, tiers: dict[str, str]) -> dict:
    (eid, name, aliases, credit_code, registered_on, cluster, status, listed, stock, listed_on, officer) = row
    return {
        "id": eid,
        "name": name,
        "aliases": json.loads(aliases) if isinstance(aliases, str) else aliases,
        "credit_code": credit_code,
        "registered_on": _day(registered_on),
        "cluster": cluster,
        "status": status,
        "listed": None if listed is None else bool(listed),
        "stock_code": stock,
        "listed_on": _day(listed_on),
        "officer_id": officer,
        "tier": tiers.get(eid, "none"),
    }


def build_app() -> Starlette:
    database = os.environ["BENCH_CEILING_DATABASE"]
    tiers_file = os.environ.get("BENCH_CEILING_TIERS")
    tiers = json.loads(Path(tiers_file).read_text()) if tiers_file else {}
    state: dict = {}

    @asynccontextmanager
    async def lifespan(_app):
        if database.startswith("postgresql"):
            import asyncpg

            size = int(os.environ.get("GAOXIN_DB_POOL_SIZE", "10"))
            state["pool"] = await asyncpg.create_pool(database, min_size=size, max_size=size)
            yield
            await state["pool"].close()
        else:
            path = database.removeprefix("sqlite:///")
            connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            state["sqlite"] = connection
            yield
            connection.close()

    async def enterprise(request):
        eid = request.path_params["enterprise_id"]
        if "pool" in state:
            row = await state["pool"].fetchrow(f"SELECT {COLUMNS} FROM enterprises WHERE id = $1", eid)
        else:
            row = (
                state["sqlite"].execute(f"SELECT {COLUMNS} FROM enterprises WHERE id = ?", (eid,)).fetchone()
            )
        if row is None:
            return JSONResponse(NOT_FOUND, status_code=404)
        return JSONResponse(_body(tuple(row), tiers))

    async def ping(_request):
        return JSONResponse({"status": "ok"})

    routes = [Route("/api/v1/enterprises/{enterprise_id}", enterprise), Route("/ping", ping)]
    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run(
        "tools.bench.ceiling:build_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
