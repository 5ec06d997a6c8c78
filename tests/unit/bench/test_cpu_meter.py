"""The benchmark's CPU meter counts a database backend that ended inside its window — a pool closing a
connection it opened — for the part of its CPU the window saw, as it counts one still running."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tools.bench import load

BURN = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass\n{then}"


@pytest.fixture
def backends(monkeypatch) -> list[int]:
    """This process plays the postmaster: the 'backends' are its children listed here."""
    live: list[int] = []
    monkeypatch.setattr(load, "postmaster", os.getpid)
    monkeypatch.setattr(load, "postgres_pids", lambda _database: list(live))
    return live


def burner(seconds: float, then: str = "") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", BURN.format(seconds=seconds, then=then)])


def test_a_backend_that_comes_and_goes_inside_the_window_is_counted(backends):
    meter = load.CpuMeter({"postgres_database": "bench"})
    meter.mark()
    child = burner(0.4)
    backends.append(child.pid)
    child.wait()  # gone before the window closes, as the postmaster waits for its backends
    backends.remove(child.pid)
    cpu = meter.read()
    assert 0.35 <= cpu["postgres_cores"] * cpu["wall_s"] <= 0.6


def test_a_backend_that_ends_inside_the_window_counts_only_what_the_window_saw(backends):
    child = burner(0.3, then="time.sleep(60)")  # burns, then idles until it is ended
    backends.append(child.pid)
    meter = load.CpuMeter({"postgres_database": "bench"})
    deadline = time.monotonic() + 30
    while load.cpu_ticks(child.pid) / load.TICK < 0.28 and time.monotonic() < deadline:
        time.sleep(0.01)  # until its burn is over: all of it before the window
    meter.mark()
    child.kill()
    child.wait()
    backends.remove(child.pid)
    cpu = meter.read()
    assert cpu["postgres_cores"] * cpu["wall_s"] <= 0.05
