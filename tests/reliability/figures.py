"""Figures of the reliability runs: requests, faults injected, answers by status, events delivered/lost."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter, defaultdict
from pathlib import Path

# Written by the test runs when set, so `make soak` can put the pytest figures into its own table.
FIGURES_FILE = "GAOXIN_RELIABILITY_FIGURES"


class Figures:
    """Counters a scenario fills while it runs; thread-safe (schemathesis calls from its own thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.faults: Counter = Counter()
        self.events: dict[str, Counter] = defaultdict(Counter)
        self.seconds: Counter = Counter()
        self.checks: dict[str, Counter] = defaultdict(Counter)

    def response(self, scenario: str, status: int) -> None:
        with self._lock:
            self.statuses[scenario][status] += 1

    def responses(self, scenario: str, statuses: Counter) -> None:
        with self._lock:
            self.statuses[scenario].update(statuses)

    def check(self, scenario: str, **counts: int) -> None:
        """Scenario-specific tallies (races run, increments lost, rows missing …)."""
        with self._lock:
            self.checks[scenario].update(counts)

    def fault(self, scenario: str, count: int = 1) -> None:
        with self._lock:
            self.faults[scenario] += count

    def event(self, scenario: str, *, delivered: int = 0, lost: int = 0) -> None:
        with self._lock:
            self.events[scenario]["delivered"] += delivered
            self.events[scenario]["lost"] += lost

    def took(self, scenario: str, seconds: float) -> None:
        with self._lock:
            self.seconds[scenario] += seconds

    def merge(self, data: dict) -> None:
        for name, row in data.items():
            for status, count in row["statuses"].items():
                self.statuses[name][int(status)] += count
            self.faults[name] += row["faults"]
            if row["events"] is not None:
                self.event(name, delivered=row["events"]["delivered"], lost=row["events"]["lost"])
            self.seconds[name] += row["seconds"]
            self.checks[name].update(row["checks"])

    def as_dict(self) -> dict:
        names = sorted(set(self.statuses) | set(self.faults) | set(self.events) | set(self.checks))
        return {
            name: {
                "requests": sum(self.statuses[name].values()),
                "statuses": {str(s): n for s, n in sorted(self.statuses[name].items())},
                "faults": self.faults[name],
                "events": dict(self.events[name]) if name in self.events else None,
                "seconds": round(self.seconds[name], 1),
                "checks": dict(self.checks[name]),
            }
            for name in names
        }

    def table(self) -> list[str]:
        """A Markdown table, one row a scenario."""
        lines = [
            "| scenario | seconds | requests | faults injected | responses by status "
            "| events delivered / lost | checked |",
            "|---|---:|---:|---:|---|---|---|",
        ]
        for name, row in self.as_dict().items():
            statuses = ", ".join(f"{s}: {n}" for s, n in row["statuses"].items()) or "—"
            events = f"{row['events']['delivered']} / {row['events']['lost']}" if row["events"] else "—"
            checked = ", ".join(f"{k}: {n}" for k, n in row["checks"].items()) or "—"
            lines.append(
                f"| {name} | {row['seconds']} | {row['requests']} | {row['faults']} | {statuses} "
                f"| {events} | {checked} |"
            )
        total = sum(r["requests"] for r in self.as_dict().values())
        lines.append(f"| **total** | | {total} | {sum(self.faults.values())} | | | |")
        return lines

    def save(self) -> None:
        target = os.environ.get(FIGURES_FILE)
        if target:
            Path(target).write_text(json.dumps(self.as_dict(), indent=1))


FIGURES = Figures()
