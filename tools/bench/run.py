"""`make bench`: generate the stress data, serve it as in production, load it, compare with the ceiling.

    make bench                                   # SQLite, and PostgreSQL when a server URL is set
    GAOXIN_BENCH_DATABASE_URL=postgresql+asyncpg://root@127.0.0.1:5432/test make bench
    .venv/bin/python -m tools.bench.run --backends sqlite --quick     # try the harness (figures meaningless)

For each backend: a fresh database (an SQLite file under var/bench/, or a database created beside
GAOXIN_BENCH_DATABASE_URL / GAOXIN_TEST_DATABASE_URL and dropped afterwards), the stress data
(bench/generate.py), a user `bench` with the admin role (`gaoxin user add`), then `gaoxin serve` as in
production — GAOXIN_ENVIRONMENT=production, a generated secret key and GAOXIN_ADMIN_PASSWORD,
GAOXIN_RELAY_IN_PROCESS=false, JSON access log at INFO to a file — with 1 worker, then 2 (each backend).
With one worker the server is pinned to CPU 0 and the load driver (bench/load.py, its own process) to
CPU 1; PostgreSQL, the rest of the machine and, with 2 workers, everything share both CPUs.
Every scenario whose route is absent from /openapi.json and answers 404/405 is skipped with
"endpoint not available yet". GET one is measured back to back with the ceiling (bench/ceiling.py,
served beside ours with the same settings and CPUs, loaded by the same driver), twice at 16 clients.
Then, with one worker on each backend, the three slowest endpoints, GET one and the scenarios named by
`--profile` (e.g. `--profile plan_tree,list_tasks`) are profiled with py-spy on the serving worker
itself (bench/spy.py). `--budget` (27 minutes) bounds the whole: load levels not
started by then are skipped and say so. After every configuration of a backend, `gaoxin verify` checks
the stored derivations against the source records (skipped with a note while it is not a command).
Results: var/bench/<UTC time>/ (results.json, summary.md, the server logs). The summary gives, for every
level, server CPU per request (the serving processes, from /proc), the same with our PostgreSQL backends,
and that over the ceiling's CPU per request in the same run and configuration; then each goal of
tools/bench/goals.py met or MISSED by a factor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from tools.bench import goals, procs, spy
from tools.bench.generate import create_database, drop_database
from tools.bench.load import password_grant
from tools.bench.scenarios import (
    IMPORT_ROWS,
    Level,
    Scenario,
    build_scenarios,
    pick_ids,
    write_import_workbook,
)

ROOT = Path(__file__).resolve().parents[2]  # the repository: commands run from there, as `make bench`
OUT = ROOT / "var" / "bench" / "run"  # main() makes it var/bench/<UTC time>/: logs, results, summary
BIN = Path(sys.executable).parent
BENCH_USER = "bench"


DEADLINE = [float("inf")]  # time.monotonic() after which levels are skipped (--budget)
SAVE = [lambda: None]  # writes results.json as it stands (after each configuration)


def log(message: str = "") -> None:
    print(message, flush=True)


# ── the machine ───────────────────────────────────────────────────────────────────────────────────
def machine_info(pg_server_url: str | None) -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    versions = {}
    for package in ("fastapi", "starlette", "uvicorn", "sqlalchemy", "asyncpg", "aiosqlite", "pydantic"):
        versions[package] = _version(package)
    for package in ("uvloop", "httptools", "httpx"):
        versions[package] = _version(package)
    info = {
        "nproc": os.cpu_count(),
        "affinity": sorted(os.sched_getaffinity(0)),
        "cpu_model": model.group(1).strip() if model else None,
        "memory_gib": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "packages": versions,
        "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
        "taskset": procs.can_pin(),
        "busiest_at_start": procs.busiest(),
    }
    if pg_server_url:
        info["postgresql"] = asyncio.run(_pg_version(pg_server_url))
    return info


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


async def _pg_version(url: str) -> dict[str, str]:
    from sqlalchemy import text

    engine = create_async_engine(url)
    try:
        async with engine.connect() as c:
            out = {"version": (await c.execute(text("SHOW server_version"))).scalar_one()}
            for name in ("max_connections", "shared_buffers", "work_mem", "synchronous_commit"):
                out[name] = (await c.execute(text(f"SHOW {name}"))).scalar_one()
            return out
    finally:
        await engine.dispose()


# ── databases ─────────────────────────────────────────────────────────────────────────────────────
@contextmanager
def fresh_database(backend: str, server_url: str | None, keep: bool):
    """(async URL, PostgreSQL database name or None, ceiling DSN) of a new database, removed afterwards."""
    label = secrets.token_hex(4)
    if backend == "sqlite":
        folder = OUT / f"sqlite-{label}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "gaoxin.db"
        try:
            yield f"sqlite+aiosqlite:///{path}", None, f"sqlite:///{path}"
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"gaoxin_bench_{label}"
    url = asyncio.run(create_database(server_url, name))
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        yield url, name, dsn
    finally:
        if not keep:
            asyncio.run(drop_database(server_url, name))


def server_env(url: str, secret_key: str, admin_password: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAOXIN_", "BENCH_"))}
    env.update(
        GAOXIN_ENVIRONMENT="production",
        GAOXIN_DATABASE_URL=url,
        GAOXIN_SECRET_KEY=secret_key,
        GAOXIN_ADMIN_PASSWORD=admin_password,
        GAOXIN_RELAY_IN_PROCESS="false",
    )
    return env


# ── scenarios ─────────────────────────────────────────────────────────────────────────────────────
def route_exists(server: procs.Server, method: str, path: str) -> bool:
    """Whether /openapi.json declares a route matching `method path`."""
    try:
        schema = httpx.get(server.base_url + "/openapi.json", timeout=30).json()
    except (httpx.HTTPError, ValueError):
        return False
    bare = path.split("?", 1)[0]
    for template, operations in schema.get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, bare) and method.lower() in operations:
            return True
    return False


def probe(server: procs.Server, request: dict[str, Any], token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    kwargs: dict[str, Any] = {}
    if "json" in request:
        kwargs["json"] = request["json"]
    elif "body" in request:
        kwargs["content"] = request["body"].encode()
        headers["Content-Type"] = request["content_type"]
    response = httpx.request(
        request["method"], server.base_url + request["path"], headers=headers, timeout=600, **kwargs
    )
    return response.status_code


def run_driver(spec: dict[str, Any], cpus: str | None, token: str | None, timeout: float) -> dict:
    """Run bench/load.py in its own process; return its results."""
    spec_file = OUT / f"spec-{os.getpid()}.json"
    spec_file.write_text(json.dumps(spec, ensure_ascii=False))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAOXIN_", "BENCH_"))}
    if token:
        env["BENCH_TOKEN"] = token
    done = subprocess.run(
        procs.pinned([sys.executable, "-m", "tools.bench.load", str(spec_file)], cpus),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    spec_file.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"load driver failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_level(
    server: procs.Server,
    scenario: Scenario,
    level: Level,
    token: str | None,
    driver_cpus: str | None,
    pg_database: str | None,
) -> dict[str, Any]:
    spec = {
        "base_url": server.base_url,
        "name": scenario.key,
        "mode": scenario.mode,
        "requests": scenario.requests,
        "concurrency": level.concurrency,
        "duration": level.duration or level.cap,
        "count": level.count,
        "warmup": level.warmup,
        "warmup_count": level.warmup_count,
        "expect": scenario.expect,
        "per_request": scenario.per_request,
        "keep_body": scenario.keep_body,
        "auth": token is not None,
        "watch": {"server": server.all_pids()},
    }
    if pg_database:
        spec["watch"]["postgres_database"] = pg_database
    memory = procs.peak_memory(server.worker_pids()) if scenario.measure_rss else nullcontext({})
    with memory as rss:
        result = run_driver(spec, driver_cpus, token, timeout=(level.duration or level.cap) + 120)
    if rss:
        result["rss"] = rss
    result["worker_rss_mib"] = [
        round((procs.status_kib(p, "VmRSS") or 0) / 1024, 1) for p in server.worker_pids()
    ]
    return result


def describe(result: dict[str, Any]) -> str:
    cpu = result.get("cpu", {})
    head = (
        f"c={result['concurrency']:<3} {result['throughput_rps'] or 0:>8.1f} req/s  "
        f"p50 {result['p50_ms']} ms  p95 {result['p95_ms']}  p99 {result['p99_ms']}  "
        f"n={result['requests']} {result['statuses']}"
    )
    if result.get("events") is not None:
        head += f"  events={result['events']} in {result['elapsed_s']} s"
    if result.get("errors"):
        head += f" errors={result['errors']}"
    if cpu:
        pg = "" if cpu.get("postgres_cores") is None else f" pg {cpu['postgres_cores']}"
        head += (
            f"  | cores: server {cpu['server_cores']}{pg} driver {cpu['driver_cores']} "
            f"other {cpu['other_cores']}"
        )
    if result.get("rss"):
        rss = result["rss"]
        head += (
            f"  | worker RSS {rss['rss_before_mib']} MiB before, peak {rss['vmhwm_mib']} MiB "
            f"(VmHWM; sampled {rss['sampled_max_rss_mib']})"
        )
    if result.get("sample_error"):
        head += f"\n      unexpected answer: {result['sample_error'][:200]}"
    return head


def run_scenarios(
    server: procs.Server,
    scenarios: list[Scenario],
    token: str | None,
    driver_cpus: str | None,
    pg_database: str | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for scenario in scenarios:
        try:
            out[scenario.key] = run_scenario(server, scenario, token, driver_cpus, pg_database)
        except (httpx.HTTPError, RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            log(f"  {scenario.title}: failed — {type(exc).__name__}: {exc}")
            out[scenario.key] = {"title": scenario.title, "skipped": f"failed: {type(exc).__name__}"}
    return out


def run_scenario(
    server: procs.Server,
    scenario: Scenario,
    token: str | None,
    driver_cpus: str | None,
    pg_database: str | None,
) -> dict[str, Any]:
    if not server.alive():
        # Only a signal from outside stops it mid-run (other work shares this machine): say so, start again.
        log(f"  {server.name} was stopped from outside (exit {server.process.returncode}): starting it again")
        server.restart()
    request = scenario.probe or scenario.requests[0]
    if token is not None and not route_exists(server, request["method"], request["path"]):
        # Not in the OpenAPI schema: ask the route itself; 404/405 means it is not built yet.
        status = probe(server, request, token)
        if status in (404, 405):
            log(f"  {scenario.title}: endpoint not available yet ({status}) — skipped")
            return {"title": scenario.title, "skipped": f"endpoint not available yet ({status})"}
    log(f"  {scenario.title}")
    levels = []
    for level in scenario.levels:
        if time.monotonic() > DEADLINE[0]:
            log(f"    c={level.concurrency}: skipped, the time budget of make bench is spent")
            levels.append({"concurrency": level.concurrency, "skipped": "time budget spent"})
            continue
        result = run_level(server, scenario, level, token, driver_cpus, pg_database)
        if not server.alive():  # stopped from outside during the level: its figures mean nothing
            log(f"    c={level.concurrency}: {server.name} was stopped from outside; again after a restart")
            server.restart()
            result = run_level(server, scenario, level, token, driver_cpus, pg_database)
            result["rerun_after_outside_stop"] = True
        result["server_restarts_so_far"] = server.restarts
        log(f"    {describe(result)}")
        for row in result.get("by_request", []):
            log(
                f"      {row['label']:<12} n={row['n']} min {row['min_ms']} ms  "
                f"p50 {row['p50_ms']}  max {row['max_ms']}"
            )
        levels.append(result)
    return {"title": scenario.title, "levels": levels}


# ── the ceiling ───────────────────────────────────────────────────────────────────────────────────
def capture_bodies(server: procs.Server, token: str, enterprise_ids: list[str]) -> dict[str, bytes]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=30) as client:
        return {e: client.get(f"/api/v1/enterprises/{e}").content for e in enterprise_ids}


def same_json(server: procs.Server, bodies: dict[str, bytes]) -> tuple[int, int]:
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        same = sum(client.get(f"/api/v1/enterprises/{e}").content == body for e, body in bodies.items())
    return same, len(bodies)


def get_one(key: str, title: str, enterprise_ids: list[str], levels: list[Level]) -> Scenario:
    requests = [{"method": "GET", "path": f"/api/v1/enterprises/{e}"} for e in enterprise_ids]
    return Scenario(key, title, requests, levels)


def start_ceiling(ctx: dict, bodies: dict[str, bytes]) -> procs.Server:
    """The ceiling app on the same CPUs and worker count, answering the tiers our API answered."""
    tiers_file = OUT / f"tiers-{ctx['label']}.json"
    tiers_file.write_text(json.dumps({e: json.loads(b)["tier"] for e, b in bodies.items()}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAOXIN_", "BENCH_"))}
    env.update(BENCH_CEILING_DATABASE=ctx["dsn"], BENCH_CEILING_TIERS=str(tiers_file))
    port = procs.free_port()
    command = [
        sys.executable,
        "-m",
        "tools.bench.ceiling",
        "--port",
        str(port),
        "--workers",
        str(ctx["workers"]),
    ]
    log_file = OUT / f"ceiling-{ctx['label']}.log"
    return procs.start_server(
        f"ceiling-{ctx['label']}",
        procs.pinned(command, ctx["server_cpus"]),
        env,
        port,
        log_file,
        ctx["workers"],
    )


def get_one_against_ceiling(
    server: procs.Server, token: str, bodies: dict[str, bytes], ctx: dict, quick: bool
) -> tuple[dict, dict]:
    """GET one on our server and on the ceiling back to back, twice at 16 clients, so both see the same
    machine; then the HTTP floor. Returns (ours, ceiling) results by scenario key."""
    d = 0.3 if quick else 1.0
    ids = list(bodies)
    c1, c16 = Level(1, duration=max(1.0, 5 * d), warmup=d), Level(16, duration=max(1.0, 10 * d), warmup=d)
    ceiling = start_ceiling(ctx, bodies)
    ours_out, ceiling_out = {}, {}
    try:
        same, total = same_json(ceiling, bodies)
        log(f"  the ceiling answers the same JSON as our API for {same} of {total} enterprises")
        ceiling_out["same_json"] = {"same": same, "of": total}
        cpus, pg = ctx["driver_cpus"], ctx["pg_database"]
        rounds = [
            (server, token, ours_out, get_one("get_enterprise", "GET one enterprise", ids, [c1, c16])),
            (
                ceiling,
                None,
                ceiling_out,
                get_one("get_enterprise", "ceiling: GET one enterprise", ids, [c1, c16]),
            ),
            (
                server,
                token,
                ours_out,
                get_one("get_enterprise_again", "GET one enterprise (2nd round)", ids, [c16]),
            ),
            (
                ceiling,
                None,
                ceiling_out,
                get_one("get_enterprise_again", "ceiling: GET one enterprise (2nd round)", ids, [c16]),
            ),
            (
                ceiling,
                None,
                ceiling_out,
                Scenario(
                    "ping",
                    "HTTP floor: bare Starlette answering a constant",
                    [{"method": "GET", "path": "/ping"}],
                    [Level(16, duration=max(1.0, 5 * d), warmup=d)],
                ),
            ),
        ]
        for target, bearer, out, scenario in rounds:
            out.update(run_scenarios(target, [scenario], bearer, cpus, pg))
    finally:
        ceiling.stop()
        (OUT / f"tiers-{ctx['label']}.json").unlink(missing_ok=True)
    return ours_out, ceiling_out


def ratios(ours: dict, ceiling: dict, *, by_cpu: bool = False) -> list[float]:
    """Ours over the ceiling at 16 clients, for each back-to-back round: throughput, or (`by_cpu`)
    requests per CPU second of server and PostgreSQL — the same figure with the machine's other load
    taken out, since both servers get whatever share of CPU 0 the rest of the machine leaves them."""
    out = []
    for key in ("get_enterprise", "get_enterprise_again"):
        a, b = _level(ours.get(key), 16), _level(ceiling.get(key), 16)
        if by_cpu and a and b and cpu_ms(a) and cpu_ms(b):
            out.append(round(cpu_ms(b) / cpu_ms(a), 3))
        elif not by_cpu and a and b and b.get("throughput_rps"):
            out.append(round(a["throughput_rps"] / b["throughput_rps"], 3))
    return out


cpu_ms = goals.cpu_ms  # CPU milliseconds a request, of the server and our PostgreSQL backends together


def ceiling_cpu_ratio(level: dict, ceiling: dict) -> float | None:
    """A request's CPU over the ceiling's for one row (GET one, same run and configuration, the same
    concurrency or else 16 clients): how many of the ceiling's requests one of ours costs."""
    ours = cpu_ms(level)
    theirs = _level(ceiling.get("get_enterprise"), level.get("concurrency", 0)) or _level(
        ceiling.get("get_enterprise"), 16
    )
    base = cpu_ms(theirs) if theirs else None
    return round(ours / base, 1) if ours and base else None


# ── one backend ───────────────────────────────────────────────────────────────────────────────────
def run_backend(
    backend: str, server_url: str | None, args: argparse.Namespace, result: dict[str, Any]
) -> dict[str, Any]:
    """Measure one backend into `result` (already part of what results.json saves)."""
    log(f"\n== {backend}")
    with fresh_database(backend, server_url, args.keep) as (url, pg_database, dsn):
        shown = make_url(url).render_as_string(hide_password=True)
        log(f"database: {shown}")
        started = time.perf_counter()
        generated = subprocess.run(
            [sys.executable, "-m", "tools.bench.generate", "--url", url, "--scale", args.scale],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if generated.returncode != 0:
            raise RuntimeError(f"generation failed: {generated.stderr[-3000:]}")
        result["generate_s"] = round(time.perf_counter() - started, 1)
        result["generate_output"] = generated.stdout.strip().splitlines()
        log(f"generated {args.scale} data in {result['generate_s']} s")
        log("  " + result["generate_output"][-1])

        secret_key, root_password = secrets.token_urlsafe(48), "R00t-" + secrets.token_urlsafe(18)
        bench_password = "L0ad-" + secrets.token_urlsafe(18)
        env = server_env(url, secret_key, root_password)
        subprocess.run(
            [str(BIN / "gaoxin"), "user", "add", BENCH_USER, "--role", "admin", "--password", bench_password],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        ids = asyncio.run(_pick(create_async_engine(url)))
        bodies: dict[str, bytes] = {}
        workbooks: list[Path] = []
        try:
            for n, workers in enumerate([1, 2]):
                # Each configuration imports enterprises none before it imported: created, not matched.
                workbooks.append(write_import_workbook(OUT / f"import-{n}.bin", offset=IMPORT_ROWS * n))
                scenarios = build_scenarios(ids, workbooks[-1], quick=args.quick, workers=workers)
                config = run_config(
                    backend, workers, env, ids, scenarios, bodies, pg_database, dsn, bench_password, args
                )
                config["enterprises_after"] = asyncio.run(_count(create_async_engine(url), "enterprises"))
                log(f"  enterprises at the end (what the export wrote): {config['enterprises_after']}")
                result["configs"].append(config)
                SAVE[0]()
            result["verify"] = run_verify(env)
        finally:
            for workbook in workbooks:
                workbook.unlink(missing_ok=True)
    return result


def run_verify(env: dict[str, str]) -> dict[str, Any]:
    """`gaoxin verify` on the database after every configuration's workload: every stored derivation
    recomputed from the source records (issue 18 requires exit 0). Skipped while the command is not built."""
    gaoxin = str(BIN / "gaoxin")
    known = subprocess.run([gaoxin, "verify", "--help"], env=env, cwd=ROOT, capture_output=True, text=True)
    if known.returncode != 0:  # argparse: "invalid choice: 'verify'"
        log("  gaoxin verify: not a command yet — skipped")
        return {"skipped": "gaoxin verify is not a command yet"}
    started = time.perf_counter()
    done = subprocess.run([gaoxin, "verify"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    seconds = round(time.perf_counter() - started, 1)
    differences = done.stdout.strip().splitlines()
    log(f"  gaoxin verify after the whole workload: exit {done.returncode} in {seconds} s")
    for line in differences[:10]:
        log(f"    {line}")
    return {
        "exit_code": done.returncode,
        "seconds": seconds,
        "stdout_head": differences[:50],
        "stderr_tail": done.stderr.strip().splitlines()[-20:],
    }


async def _count(engine, table: str) -> int:
    from sqlalchemy import text

    try:
        async with engine.connect() as connection:
            return (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
    finally:
        await engine.dispose()


async def _pick(engine):
    try:
        return await pick_ids(engine)
    finally:
        await engine.dispose()


def run_config(
    backend: str,
    workers: int,
    env: dict,
    ids,
    scenarios: list[Scenario],
    bodies: dict[str, bytes],
    pg_database: str | None,
    dsn: str,
    bench_password: str,
    args: argparse.Namespace,
) -> dict[str, Any]:
    pin = workers == 1 and procs.can_pin()
    server_cpus, driver_cpus = ("0", "1") if pin else (None, None)
    label = f"{backend}-{workers}w"
    sharing = (
        "server (and the ceiling) pinned to CPU 0, load driver to CPU 1; PostgreSQL (if any) and the rest "
        "of the machine on both"
        if pin
        else "server workers, load driver, PostgreSQL and the rest of the machine share both CPUs "
        "(no pinning)"
    )
    log(f"\n-- {label}: gaoxin serve --workers {workers}; {sharing}")
    port = procs.free_port()
    command = [str(BIN / "gaoxin"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    server = procs.start_server(
        label, procs.pinned(command, server_cpus), env, port, OUT / f"server-{label}.log", workers
    )
    config: dict[str, Any] = {"label": label, "workers": workers, "pinning": sharing}
    ctx = {"label": label, "workers": workers, "server_cpus": server_cpus, "driver_cpus": driver_cpus}
    ctx |= {"pg_database": pg_database, "dsn": dsn}
    try:
        token = password_grant(server.base_url, BENCH_USER, bench_password)
        if not bodies:
            bodies.update(capture_bodies(server, token, ids.enterprises))
        config["startup_rss_mib"] = [
            round((procs.status_kib(p, "VmRSS") or 0) / 1024, 1) for p in server.worker_pids()
        ]
        try:
            ours, config["ceiling"] = get_one_against_ceiling(server, token, bodies, ctx, args.quick)
        except (httpx.HTTPError, RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            log(f"  GET one against the ceiling failed — {type(exc).__name__}: {exc}")
            ours, config["ceiling"] = {}, {"error": f"{type(exc).__name__}: {exc}"}
        config["get_one_ratio"] = ratios(ours, config["ceiling"])
        config["get_one_cpu_ratio"] = ratios(ours, config["ceiling"], by_cpu=True)
        log(f"  GET one at 16 clients, ours / ceiling, each round: {config['get_one_ratio']} (throughput)")
        log(f"  the same in requests per CPU second (server + PostgreSQL): {config['get_one_cpu_ratio']}")
        rest = [s for s in scenarios if s.key != "get_enterprise"]
        config["scenarios"] = ours | run_scenarios(server, rest, token, driver_cpus, pg_database)
        if workers == 1 and not args.no_profile:
            config["profiles"] = profile_slowest(server, scenarios, config["scenarios"], token, ctx, args)
    finally:
        server.stop()
    return config


def _level(scenario: dict | None, concurrency: int) -> dict | None:
    for level in (scenario or {}).get("levels", []):
        if level["concurrency"] == concurrency:
            return level
    return None


# ── profiling ─────────────────────────────────────────────────────────────────────────────────────
def profile_slowest(
    server: procs.Server, scenarios: list[Scenario], measured: dict, token: str, ctx: dict, args
) -> dict[str, Any]:
    """py-spy on the worker while one client calls each of the three slowest endpoints, GET one, and
    the scenarios named by --profile."""
    if not spy.py_spy():
        log("  profiling skipped: py-spy is not installed (make install puts it in .venv)")
        return {"skipped": "py-spy not installed"}
    endpoints = pick_slowest(measured, scenarios)
    for key in ["get_enterprise", *args.profile]:  # GET one always; then those asked for by name
        scenario = next((s for s in scenarios if s.key == key), None)
        if scenario is None:
            log(f"  --profile {key}: no such scenario ({', '.join(s.key for s in scenarios)})")
        elif key not in [e["name"] for e in endpoints]:
            endpoints.append({"name": key, **scenario.requests[0]})
    log(f"\n  profiling with py-spy, one client each: {[e['name'] for e in endpoints]}")
    profiles: dict[str, Any] = {}
    for n, endpoint in enumerate(endpoints):
        request = {k: v for k, v in endpoint.items() if k not in ("name", "p50_ms")}
        level = Level(1, duration=3 if args.quick else 12, warmup=1.0, cap=180)
        if "body_file" in request:  # an import again, of 2,000 enterprises not imported yet
            book = write_import_workbook(OUT / f"import-profile-{n}.bin", rows=2000, offset=IMPORT_ROWS * 9)
            request["body_file"] = str(book)
            level = Level(1, count=1, cap=300)
        scenario = Scenario(endpoint["name"], endpoint["name"], [request], [level], expect=[200, 201])
        raw = OUT / f"profile-{ctx['label']}-{endpoint['name']}.txt"
        recorder = spy.start(server.worker_pids()[0], raw)
        try:
            measured_level = run_level(server, scenario, level, token, ctx["driver_cpus"], ctx["pg_database"])
        finally:
            last_words = spy.stop(recorder)
        if not raw.exists():
            profiles[endpoint["name"]] = {"error": last_words or "py-spy wrote nothing"}
            continue
        profile = spy.summarize(raw) | {"requests": measured_level.get("requests"), "raw": raw.name}
        profile["p50_ms"] = measured_level.get("p50_ms")
        profiles[endpoint["name"]] = profile
        log("    " + spy.markdown(endpoint["name"], profile).replace("\n\n", "\n    "))
    return profiles


def pick_slowest(measured: dict[str, Any], scenarios: list[Scenario]) -> list[dict[str, Any]]:
    """The three endpoints with the highest p50 at one client; for screening, its slowest rule set."""
    ranked = []
    for scenario in scenarios:
        run = measured.get(scenario.key, {})
        if "levels" not in run or scenario.mode == "feed":
            continue
        first = run["levels"][0]
        request = scenario.requests[0]
        if first.get("by_request"):
            worst = max(first["by_request"], key=lambda r: r["p50_ms"])
            request = next(r for r in scenario.requests if r.get("label") == worst["label"])
        ranked.append((first["p50_ms"] or 0, scenario.key, request))
    ranked.sort(key=lambda item: -item[0])
    return [{"name": key, "p50_ms": p50, **request} for p50, key, request in ranked[:3]]


# ── the report ────────────────────────────────────────────────────────────────────────────────────
def summary_markdown(results: dict[str, Any]) -> str:
    """Every level of every configuration, then the goals (tools/bench/goals.py) met or missed."""
    columns = ["config", "scenario", "c", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "n"]
    columns += ["server cores", "pg cores", "driver cores", "other cores"]
    columns += ["server CPU ms/req", "CPU ms/req (+pg)", "× ceiling CPU"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for backend in results["backends"]:
        for config in backend["configs"]:
            ceiling = config.get("ceiling", {})
            for run in [*config["scenarios"].values(), *ceiling.values()]:
                if not isinstance(run, dict) or "title" not in run:
                    continue
                if "skipped" in run:
                    lines.append(f"| {config['label']} | {run['title']} | – | {run['skipped']} |")
                    continue
                for r in run["levels"]:
                    if "skipped" in r:
                        lines.append(
                            f"| {config['label']} | {run['title']} | {r['concurrency']} | {r['skipped']} |"
                        )
                        continue
                    cpu = r.get("cpu", {})
                    extra = f" ({r['events']} events in {r['elapsed_s']} s)" if r.get("events") else ""
                    lines.append(
                        f"| {config['label']} | {run['title']}{extra} | {r['concurrency']} | "
                        f"{r['throughput_rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                        f"{r['max_ms']} | "
                        f"{r['requests']} | {cpu.get('server_cores')} | {cpu.get('postgres_cores', '–')} | "
                        f"{cpu.get('driver_cores')} | {cpu.get('other_cores')} | "
                        f"{goals.cpu_ms(r, with_database=False)} | {cpu_ms(r)} | "
                        f"{ceiling_cpu_ratio(r, ceiling) or '–'} |"
                    )
        verify = backend.get("verify")
        if verify:
            figure = verify.get("skipped") or f"exit {verify['exit_code']} in {verify['seconds']} s"
            lines.append(f"| {backend['backend']} | gaoxin verify after the whole workload | – | {figure} |")
    return "\n".join(lines) + "\n\n" + goals.markdown(results)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--scale", default="stress", choices=["stress", "realistic"])
    parser.add_argument("--quick", action="store_true", help="short levels, to try the harness")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--budget", type=float, default=27, help="minutes; load levels not started by then are skipped"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profiles")
    parser.add_argument(
        "--profile",
        type=lambda text: [key for key in text.split(",") if key],
        default=[],
        metavar="KEY,…",
        help="profile these scenarios too (their first request), e.g. plan_tree,list_tasks",
    )
    parser.add_argument("--summarize", metavar="RESULTS_JSON", help="print the tables of an earlier run")
    args = parser.parse_args()
    if args.summarize:
        print(summary_markdown(json.loads(Path(args.summarize).read_text())))
        return
    server_url = os.environ.get("GAOXIN_BENCH_DATABASE_URL") or os.environ.get("GAOXIN_TEST_DATABASE_URL")
    wanted = [b.strip() for b in args.backends.split(",") if b.strip()]
    if "postgresql" in wanted and not server_url:
        log("== PostgreSQL skipped: set GAOXIN_BENCH_DATABASE_URL or GAOXIN_TEST_DATABASE_URL")
        wanted.remove("postgresql")
    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    global OUT
    OUT = ROOT / "var" / "bench" / stamp
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "quick": args.quick,
        "machine": machine_info(server_url if "postgresql" in wanted else None),
        "backends": [],
    }
    m = results["machine"]
    log(
        f"machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, Python {m['python']}, "
        f"SQLite {m['sqlite']}, PostgreSQL {(m['postgresql'] or {}).get('version')}, "
        f"load average at start {' '.join(m['loadavg_at_start'])}"
    )
    for busy in m["busiest_at_start"]:
        log(f"  busy at start: {busy['cores']} cores  pid {busy['pid']}  {busy['command']}")
    clock = time.perf_counter()
    DEADLINE[0] = time.monotonic() + args.budget * 60

    def save() -> None:
        (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))

    SAVE[0] = save
    for backend in wanted:
        results["backends"].append({"backend": backend, "configs": []})
        run_backend(backend, server_url, args, results["backends"][-1])
        (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    results["duration_s"] = round(time.perf_counter() - clock, 1)
    results["loadavg_at_end"] = Path("/proc/loadavg").read_text().split()[:3]
    results["busiest_at_end"] = procs.busiest()
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    summary = summary_markdown(results)
    (OUT / "summary.md").write_text(summary)
    log("\n" + summary)
    log(f"results, summary and server logs: {OUT} ({results['duration_s']} s)")


if __name__ == "__main__":
    main()
