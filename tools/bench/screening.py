"""Screening benchmark: 50,000 enterprises with five years of metrics, each rule set timed (best of 3).

    .venv/bin/python bench/screening.py            # a fresh SQLite file under /tmp
    GAOXIN_BENCH_DATABASE_URL=postgresql+asyncpg://root@127.0.0.1:5432/test \
        .venv/bin/python bench/screening.py        # a fresh PostgreSQL database on that server

With GAOXIN_BENCH_DATABASE_URL a fresh database is created on that server (CREATE DATABASE, as the
tests do) and dropped afterwards. The data is generated from a fixed seed, bulk-inserted with
executemany in chunks, and each rule set is screened through the handler `run_screening` — the three
bulk reads, the domain's `screen`, and the audit entry of every candidate an officer is shown — in a
write unit of work as `POST /api/v1/screenings` does. `--http` also times the endpoint itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from domain.cultivation.certifications import derived_expiry
from domain.cultivation.eligibility import REGISTRY
from domain.cultivation.enterprises import CLUSTERS
from domain.cultivation.handlers.registry import run_screening
from domain.identity.policy import Principal
from infrastructure.db.engine import make_engine, make_session_factory
from infrastructure.db.mapping import start_mappers
from infrastructure.db.migrate import upgrade_async
from infrastructure.db.tables import cultivation as t
from infrastructure.read_log import read_log
from infrastructure.settings import Settings
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.bulk import collector_paused
from tools.bench.inprocess import signed_in

OFFICER = Principal(kind="user", id="bench", name="bench-officer", roles=frozenset({"officer"}))
CHUNK = 5000
# Per enterprise: the chance of holding each kind, and of a figure being unknown in a year.
KIND_ODDS = {"tech_sme": 0.3, "hnte": 0.15, "above_scale": 0.1, "specialized": 0.03, "eaglet": 0.03}
KIND_ODDS |= {"gazelle": 0.01, "unicorn": 0.001, "platform": 0.002}
UNKNOWN = 0.05


def _money(rng: random.Random, value: float) -> Decimal | None:
    return None if rng.random() < UNKNOWN else Decimal(f"{max(value, 0):.2f}")


def _count(rng: random.Random, value: float) -> int | None:
    return None if rng.random() < UNKNOWN else max(int(value), 0)


def _metrics(rng: random.Random, number: int, year: int, revenue: float, staff: float) -> dict[str, Any]:
    enterprise_id = f"bench{number:027d}"
    employees = _count(rng, staff)
    rd = revenue * rng.uniform(0, 0.09)
    valued = rng.random() < 0.02
    return {
        "id": f"metric{number:022d}{year}",
        "enterprise_id": enterprise_id,
        "year": year,
        "revenue": _money(rng, revenue),
        "main_business_revenue": _money(rng, revenue * rng.uniform(0.8, 1)),
        "high_tech_revenue": _money(rng, revenue * rng.uniform(0.2, 0.95)),
        "rd_expense": _money(rng, rd),
        "rd_expense_domestic": _money(rng, rd * rng.uniform(0.4, 1)),
        "total_cost": _money(rng, revenue * rng.uniform(0.7, 1.05)),
        "employees": employees,
        "tech_staff": None if employees is None else int(employees * rng.uniform(0.02, 0.5)),
        "total_assets": _money(rng, revenue * rng.uniform(0.5, 2)),
        "tax": _money(rng, revenue * rng.uniform(0, 0.08)),
        "exports": _money(rng, revenue * rng.uniform(0, 0.3)),
        "class1_ip": _count(rng, rng.choice([0, 0, 0, 1, 2, 3])),
        "class2_ip": _count(rng, rng.randint(0, 8)),
        "valuation": _money(rng, rng.uniform(100_000, 2_000_000)) if valued else None,
        "equity_financing": _money(rng, rng.uniform(0, 3000) if rng.random() < 0.2 else 0),
        "innovation_score": None if rng.random() < 0.5 else Decimal(rng.randint(400, 1000)) / 10,
        "award": rng.choice([None, None, False, True]),
        "runs_platform": rng.choice([None, None, False, True]),
        "version": 1,
    }


def generate(count: int, year: int, years: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Enterprises, their certifications and `years` years of metrics up to `year`; the same for a seed."""
    rng = random.Random(seed)
    enterprises, certifications, metrics = [], [], []
    sizes = ((0.6, 100, 5000), (0.3, 5000, 20000), (0.09, 20000, 100000), (0.01, 100000, 300000))
    for i in range(count):
        eid = f"bench{i:027d}"
        name = f"鞍山基准测试企业{i:05d}"
        registered = date(rng.randint(2000, year - 1), rng.randint(1, 12), rng.randint(1, 28))
        listed = rng.random() < 0.01
        enterprises.append(
            {
                "id": eid,
                "name": name,
                "aliases": [],
                "search_text": name.lower(),
                "registered_on": None if rng.random() < 0.02 else registered,
                "cluster": rng.choice((None, None, *CLUSTERS)),
                "status": "active" if rng.random() < 0.95 else "moved_out",
                "listed": listed,
                "listed_on": date(rng.randint(2010, year), 6, 1) if listed else None,
                "version": 1,
            }
        )
        _, low, high = rng.choices(sizes, weights=[s[0] for s in sizes])[0]
        revenue, staff = rng.uniform(low, high), rng.uniform(10, 600)
        for y in range(year - years + 1, year + 1):
            if y >= registered.year and rng.random() < 0.92:
                metrics.append(_metrics(rng, i, y, revenue, staff))
            revenue *= 1 + rng.uniform(-0.1, 0.4)
            staff *= 1 + rng.uniform(-0.05, 0.35)
        for n, (kind, odds) in enumerate(KIND_ODDS.items()):
            if rng.random() < odds:
                issued = date(rng.randint(year - 3, year), rng.randint(1, 12), rng.randint(1, 28))
                expires = derived_expiry(kind, issued)
                if kind in ("eaglet", "gazelle", "unicorn"):
                    expires = date(issued.year + 3, 12, 31)
                certifications.append(
                    {
                        "id": f"cert{i:026d}{n:02d}",
                        "enterprise_id": eid,
                        "kind": kind,
                        "number": f"GR{issued.year}21{i:06d}" if kind == "hnte" else None,
                        "issued_on": issued,
                        "expires_on": expires,
                        "revoked": False,
                        "version": 1,
                    }
                )
    return {"enterprises": enterprises, "certifications": certifications, "annual_metrics": metrics}


@asynccontextmanager
async def fresh_database(keep: bool):
    """A new, empty database: an SQLite file under /tmp, or one beside GAOXIN_BENCH_DATABASE_URL."""
    server_url = os.environ.get("GAOXIN_BENCH_DATABASE_URL")
    label = uuid.uuid4().hex[:10]
    if not server_url:
        path = Path(f"/tmp/gaoxin-bench-{label}.db")
        try:
            yield f"sqlite+aiosqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                if not keep:
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    server = make_url(server_url)
    name = f"gaoxin_bench_{label}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def load(engine, data: dict[str, list[dict]]) -> None:
    """executemany in chunks, parents first."""
    for table in (t.enterprises, t.certifications, t.annual_metrics):
        rows = data[table.name]
        async with engine.begin() as connection:
            for start in range(0, len(rows), CHUNK):
                await connection.execute(insert(table), rows[start : start + CHUNK])
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            await connection.execute(text("ANALYZE"))


async def screen_once(factory, rule_set: str, year: int) -> tuple[float, int]:
    """One screening as the endpoint runs it (collector paused, reads audited), timed."""
    async with SqlAlchemyUnitOfWork(factory, actor=OFFICER.name, request_id="bench") as uow:
        started = time.perf_counter()
        with collector_paused():
            body = await run_screening(
                rule_set, year, uow=uow, principal=OFFICER, record_reads=read_log(uow, factory)
            )
        return time.perf_counter() - started, len(body["candidates"])


async def time_endpoint(settings: Settings, year: int, runs: int) -> None:
    """POST /api/v1/screenings as an officer through the ASGI app: the handler plus the response."""
    async with signed_in(settings, "bench_officer", ["officer"]) as (_app, http):
        print(f"\nPOST /api/v1/screenings {year}, best of {runs} (seconds, whole request and JSON answer)")
        print(f"{'rule set':<12} {'status':>7} {'candidates':>10} {'best':>7}   runs")
        for rule_set in REGISTRY.names():
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                response = await http.post("/api/v1/screenings", json={"rule_set": rule_set, "year": year})
                times.append(time.perf_counter() - started)
            found = len(response.json()["candidates"])
            shown = " ".join(f"{r:.2f}" for r in times)
            print(f"{rule_set:<12} {response.status_code:>7} {found:>10} {min(times):>7.2f}   {shown}")


async def main(args: argparse.Namespace) -> None:
    async with fresh_database(args.keep) as url:
        started = time.perf_counter()
        await upgrade_async(url)
        start_mappers()
        settings = Settings(environment="development", database_url=url)
        engine = make_engine(settings)
        data = generate(args.enterprises, args.year, args.years, args.seed)
        generated = time.perf_counter()
        await load(engine, data)
        loaded = time.perf_counter()
        counts = {name: len(rows) for name, rows in data.items()}
        load_average = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average {load_average}")
        print(f"database: {engine.dialect.name} ({make_url(url).render_as_string(hide_password=True)})")
        print(f"rows: {counts}")
        print(
            f"migrate + generate {generated - started:.1f} s, insert {loaded - generated:.1f} s "
            f"(chunks of {CHUNK}, executemany)"
        )
        factory = make_session_factory(engine)
        print(f"\nscreening year {args.year}, best of {args.runs} (seconds, through run_screening)")
        print(f"{'rule set':<12} {'version':>7} {'candidates':>10} {'best':>7}   runs")
        for rule_set in REGISTRY.names():
            runs = []
            for _ in range(args.runs):
                seconds, found = await screen_once(factory, rule_set, args.year)
                runs.append(seconds)
            version = REGISTRY.rule_set_for(rule_set, args.year).version
            shown = " ".join(f"{r:.2f}" for r in runs)
            print(f"{rule_set:<12} {version:>7} {found:>10} {min(runs):>7.2f}   {shown}")
        await engine.dispose()
        if args.http:
            await time_endpoint(settings, args.year, args.runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=5, help="years of metrics up to --year")
    parser.add_argument("--year", type=int, default=2024, help="the year screened")
    parser.add_argument("--seed", type=int, default=20251231)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--http", action="store_true", help="also time POST /api/v1/screenings")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    asyncio.run(main(parser.parse_args()))
