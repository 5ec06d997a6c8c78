"""The load driver: N concurrent keep-alive HTTP/1.1 clients in one process, for a duration or a count.

    .venv/bin/python -m tools.bench.load SPEC.json      # prints one JSON object of results on stdout

It runs in its own process, apart from the server (bench/run.py pins it to another core with `taskset`
where it can). Loopback only: the base URL must be 127.0.0.1 or localhost, and every run is bounded by a
request count and a duration.

Why not httpx for the load itself: httpx spends a few hundred microseconds of CPU on each request, so one
driver core tops out below what a bare uvicorn app serves and the driver, not the server, would set the
figure. The clients here are plain asyncio streams (on uvloop when installed) that write the request
bytes and read status line, headers and a Content-Length or chunked body — nothing else. httpx is used
once, for the password grant (OAuth2 form) when no token is given.

SPEC (JSON):
    {"base_url": "http://127.0.0.1:8000", "name": "get_enterprise",
     "mode": "load" | "feed",
     "requests": [{"method": "GET", "path": "/api/v1/…", "json": {…}?, "body_file": "…"?,
                   "content_type": "…"?}, …],          # taken round-robin over all clients
     "concurrency": 16, "duration": 10, "count": null, "warmup": 1.0,
     "expect": [200], "auth": true}
A token comes from $BENCH_TOKEN, else from the password grant with $BENCH_USERNAME / $BENCH_PASSWORD.
`feed` pages GET requests[0].path with `after=<next_cursor>` until a page comes back empty.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from tools.bench.procs import TICK, cpu_ticks, ended_children_ticks, machine_ticks, postgres_pids, postmaster

MAX_DURATION = 600.0  # seconds; a hard bound on every run
MAX_COUNT = 1_000_000


class HttpError(Exception):
    """The server closed the connection or answered something that is not HTTP/1.1."""


@dataclass
class Request:
    method: str
    path: str
    body: bytes = b""
    content_type: str | None = None

    def encode(self, host: str, token: str | None) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(self.body)}")
            if self.content_type:
                lines.append(f"Content-Type: {self.content_type}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


class Connection:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=2**20)
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, _, header_block = head.partition(b"\r\n")
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise HttpError(status_line[:80].decode(errors="replace"))
        status, length, chunked, close = int(parts[1]), None, False, False
        for line in header_block.split(b"\r\n"):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            body = await self._chunked()
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            body, close = await self.reader.read(), True
        if close:
            self.close()
        return status, body

    async def _chunked(self) -> bytes:
        chunks = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(chunks)
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tally:
    """What one run saw: latencies of the measured requests, statuses, bytes."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    received: int = 0
    sample_error: str | None = None
    first_body: str | None = None
    by_request: dict[int, list[float]] = field(default_factory=dict)


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def _requests(spec: dict[str, Any]) -> list[Request]:
    out = []
    for item in spec["requests"]:
        body, content_type = b"", item.get("content_type")
        if "json" in item:
            body, content_type = json.dumps(item["json"]).encode(), "application/json"
        elif "body_file" in item:
            body = Path(item["body_file"]).read_bytes()
        out.append(Request(item["method"], item["path"], body, content_type))
    return out


def _check_base(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"bench.load: loopback only, refusing {base_url!r}")
    return parts.hostname, parts.port or 80


def obtain_token(base_url: str) -> str | None:
    """$BENCH_TOKEN, or an access token from the password grant with $BENCH_USERNAME / $BENCH_PASSWORD."""
    if os.environ.get("BENCH_TOKEN"):
        return os.environ["BENCH_TOKEN"]
    username, password = os.environ.get("BENCH_USERNAME"), os.environ.get("BENCH_PASSWORD")
    if not username or not password:
        return None
    return password_grant(base_url, username, password)


def password_grant(base_url: str, username: str, password: str) -> str:
    form = {"grant_type": "password", "username": username, "password": password}
    response = httpx.post(f"{base_url}/api/v1/auth/token", data=form, timeout=60)
    response.raise_for_status()
    return response.json()["access_token"]


async def run_load(spec: dict[str, Any], token: str | None) -> dict[str, Any]:
    """Closed loop: each client sends its next request when the previous answer is read."""
    host, port = _check_base(spec["base_url"])
    requests = [r.encode(f"{host}:{port}", token) for r in _requests(spec)]
    concurrency = max(1, int(spec.get("concurrency", 1)))
    duration = min(float(spec.get("duration") or MAX_DURATION), MAX_DURATION)
    count = min(int(spec.get("count") or MAX_COUNT), MAX_COUNT)
    warmup = float(spec.get("warmup", 0))
    warmup_count = int(spec.get("warmup_count", 0))
    expect = set(spec.get("expect", [200]))
    tally, issued, claimed = Tally(), 0, 0
    meter = CpuMeter(spec.get("watch"))
    start = time.perf_counter()
    measure_from = start + warmup
    deadline = measure_from + duration
    measured_first: list[float] = []
    measured_last = start

    async def client() -> None:
        nonlocal issued, claimed, measured_last
        connection = Connection(host, port)
        try:
            while True:
                now = time.perf_counter()
                if now >= deadline:
                    return
                index = issued
                issued += 1
                warming = index < warmup_count or now < measure_from
                if not warming:
                    if claimed >= count:
                        return
                    if claimed == 0:
                        meter.mark()
                    claimed += 1
                sent = time.perf_counter()
                try:
                    status, body = await connection.send(requests[index % len(requests)])
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, HttpError) as exc:
                    connection.close()
                    if not warming:
                        tally.errors[type(exc).__name__] += 1
                    await asyncio.sleep(0.05)
                    continue
                done = time.perf_counter()
                if warming:
                    continue
                if not measured_first:
                    measured_first.append(sent)
                measured_last = max(measured_last, done)
                tally.statuses[status] += 1
                tally.received += len(body)
                tally.latencies.append(done - sent)
                tally.by_request.setdefault(index % len(requests), []).append(done - sent)
                if tally.first_body is None and spec.get("keep_body"):
                    tally.first_body = body[:2000].decode(errors="replace")
                if status not in expect and tally.sample_error is None:
                    tally.sample_error = f"{status} {body[:300].decode(errors='replace')}"
        finally:
            connection.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = measured_last - measured_first[0] if measured_first else 0.0
    summary = _summary(spec, tally, elapsed, concurrency, expect)
    summary["cpu"] = meter.read()
    if spec.get("per_request"):
        labels = [item.get("label", item["path"]) for item in spec["requests"]]
        summary["by_request"] = [
            {
                "label": labels[index],
                "n": len(values),
                "min_ms": round(min(values) * 1000, 2),
                "p50_ms": round(percentile(sorted(values), 50) * 1000, 2),
                "max_ms": round(max(values) * 1000, 2),
            }
            for index, values in sorted(tally.by_request.items())
        ]
    return summary


async def run_feed(spec: dict[str, Any], token: str | None) -> dict[str, Any]:
    """Page through the event feed from the start: total time, pages, events, per-page latency."""
    host, port = _check_base(spec["base_url"])
    base = spec["requests"][0]["path"]
    connection, tally, events, cursor = Connection(host, port), Tally(), 0, None
    deadline = time.perf_counter() + min(float(spec.get("duration") or MAX_DURATION), MAX_DURATION)
    meter = CpuMeter(spec.get("watch"))
    meter.mark()
    start = time.perf_counter()
    try:
        while time.perf_counter() < deadline:
            path = base if cursor is None else f"{base}&after={quote(cursor)}"
            sent = time.perf_counter()
            status, body = await connection.send(Request("GET", path).encode(f"{host}:{port}", token))
            tally.latencies.append(time.perf_counter() - sent)
            tally.statuses[status] += 1
            tally.received += len(body)
            if status != 200:
                tally.sample_error = f"{status} {body[:300].decode(errors='replace')}"
                break
            page = json.loads(body)
            if not page["items"]:
                break
            events += len(page["items"])
            cursor = page["next_cursor"]
    finally:
        connection.close()
    summary = _summary(spec, tally, time.perf_counter() - start, 1, {200})
    summary["events"] = events
    summary["cpu"] = meter.read()
    summary["complete"] = tally.statuses.get(200, 0) == sum(tally.statuses.values()) and (
        time.perf_counter() < deadline
    )
    return summary


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU used from mark() to read() by the watched processes (server, PostgreSQL), this driver and the
    machine, in cores (CPU seconds per second of wall time); "other" is what the rest of the machine used.

    PostgreSQL's backends are found by database name at each snapshot. One that ended inside the window (a
    pool closing what it opened) is counted through the postmaster's time of ended children, less what it
    had used before the window: any backend of the server that ends then counts, so the bench runs with
    nothing else using PostgreSQL. Before, a backend that came and went inside the window went uncounted."""

    def __init__(self, watch: dict[str, Any] | None) -> None:
        watch = dict(watch or {})
        self.database = watch.pop("postgres_database", None)
        self.watch: dict[str, list[int]] = watch
        self.postmaster = postmaster() if self.database else None
        self.start: tuple | None = None

    def _snapshot(self) -> tuple:
        ended = 0
        if self.database:
            seen = set(self.watch.get("postgres", []))
            self.watch["postgres"] = sorted(seen | set(postgres_pids(self.database)))
            ended = ended_children_ticks(self.postmaster) if self.postmaster else 0
        ticks = {group: {p: cpu_ticks(p) for p in pids} for group, pids in self.watch.items()}
        return time.perf_counter(), _cpu_seconds(), ticks, machine_ticks(), ended

    def mark(self) -> None:
        self.start = self._snapshot()

    def read(self) -> dict[str, float | None]:
        if self.start is None:
            return {}
        (t0, own0, ticks0, machine0, ended0), (t1, own1, ticks1, machine1, ended1) = (
            self.start,
            self._snapshot(),
        )
        wall = t1 - t0
        if wall <= 0:
            return {}
        # A backend that started inside the window counts from zero.
        used = {
            group: sum(max(t - ticks0.get(group, {}).get(p, 0), 0) for p, t in pids.items()) / TICK
            for group, pids in ticks1.items()
        }
        if "postgres" in used:
            before = ticks0.get("postgres", {})
            gone = sum(before[p] for p, t in ticks1["postgres"].items() if t == 0 and p in before)
            used["postgres"] += max(ended1 - ended0 - gone, 0) / TICK
        busy = (machine1[0] - machine0[0]) / TICK
        driver = own1 - own0
        out = {f"{group}_cores": round(v / wall, 2) for group, v in used.items()}
        out |= {
            "driver_cores": round(driver / wall, 2),
            "machine_busy_cores": round(busy / wall, 2),
            "other_cores": round(max(busy - sum(used.values()) - driver, 0) / wall, 2),
            "wall_s": round(wall, 2),
        }
        return out


def _summary(spec: dict, tally: Tally, elapsed: float, concurrency: int, expect: set[int]) -> dict[str, Any]:
    latencies = sorted(tally.latencies)
    ok = sum(n for status, n in tally.statuses.items() if status in expect)

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 2)

    return {
        "name": spec.get("name"),
        "concurrency": concurrency,
        "requests": len(latencies),
        "ok": ok,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "errors": dict(tally.errors),
        "elapsed_s": round(elapsed, 3),
        "throughput_rps": round(len(latencies) / elapsed, 1) if elapsed > 0 else None,
        "p50_ms": ms(percentile(latencies, 50)),
        "p95_ms": ms(percentile(latencies, 95)),
        "p99_ms": ms(percentile(latencies, 99)),
        "max_ms": ms(latencies[-1] if latencies else None),
        "mean_ms": ms(sum(latencies) / len(latencies) if latencies else None),
        "bytes_per_response": round(tally.received / len(latencies)) if latencies else None,
        "sample_error": tally.sample_error,
        "first_body": tally.first_body,
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return
    spec = json.loads(Path(sys.argv[1]).read_text() if len(sys.argv) > 1 else sys.stdin.read())
    try:
        import uvloop

        run, loop_name = uvloop.run, "uvloop"
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        run, loop_name = asyncio.run, "asyncio"
    token = obtain_token(spec["base_url"]) if spec.get("auth", True) else None
    runner = run_feed if spec.get("mode") == "feed" else run_load
    result = run(runner(spec, token))
    result["loop"] = loop_name
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
