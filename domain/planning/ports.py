"""Ports of the planning context: what it asks of its neighbours."""

from __future__ import annotations

from typing import Protocol

# 8 = valid `hnte`, 9 = `eaglet`, 10 = `gazelle` or `unicorn`, 11 = listed: counted on 31 December.
LIVE_INDICATOR_CODES = frozenset({8, 9, 10, 11})


class LiveIndicatorCounter(Protocol):
    """活指标: the cultivation registry's count for a live indicator (codes 8–11) on 31 December of `year`."""

    def count(self, indicator_code: int, year: int) -> int | None: ...


class NoLiveCounts:
    """A counter with no registry behind it: every count is unknown."""

    def count(self, indicator_code: int, year: int) -> int | None:
        return None


def live_counts(counter: LiveIndicatorCounter, year: int) -> dict[int, int]:
    """The registry counts of indicators 8–11 in `year`, leaving out those the counter does not know."""
    counts = {code: counter.count(code, year) for code in sorted(LIVE_INDICATOR_CODES)}
    return {code: count for code, count in counts.items() if count is not None}
