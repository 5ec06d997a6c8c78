"""The bulk requests' pause of the cyclic collector, and the heap given back at most once in TRIM_EVERY."""

from __future__ import annotations

import gc

import pytest

from services.api import bulk


@pytest.fixture
def trims(monkeypatch) -> list[int]:
    made: list[int] = []
    monkeypatch.setattr(bulk, "_malloc_trim", made.append)
    monkeypatch.setattr(bulk, "_last_trim", [float("-inf")])
    return made


def test_the_collector_waits_while_bulk_requests_run_and_the_last_one_out_resumes_it(trims, monkeypatch):
    monkeypatch.setattr(bulk.time, "monotonic", lambda: 1000.0)
    assert gc.isenabled()
    with bulk.collector_paused():
        with bulk.collector_paused():  # overlapping requests share the pause
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled() and trims == [0]


def test_the_heap_is_given_back_once_in_trim_every_seconds(trims, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(bulk.time, "monotonic", lambda: clock[0])
    for step in (0.0, 1.0, bulk.TRIM_EVERY - 1.0 - 0.001):  # up to just under the interval since the first
        clock[0] += step
        with bulk.collector_paused():
            pass
    assert trims == [0]
    clock[0] = 1000.0 + bulk.TRIM_EVERY  # at the interval: again
    with bulk.collector_paused():
        pass
    assert trims == [0, 0]
