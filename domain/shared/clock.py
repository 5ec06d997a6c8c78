"""The clock: "today" is the date in Asia/Shanghai, as DOMAIN.md says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(ZONE).date()


@dataclass
class FixedClock:
    """A clock that stands still, for tests and for evaluations "as of" a date."""

    at: datetime

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return self.at.astimezone(ZONE).date()


def day_of(moment: datetime) -> date:
    """The date a moment falls on in Asia/Shanghai (a timestamp "dated ≤ D" is one whose day is ≤ D)."""
    return moment.astimezone(ZONE).date()


def start_of(day: date) -> datetime:
    """The first moment of `day` in Asia/Shanghai, in UTC: a moment is dated before `day` when earlier."""
    return datetime.combine(day, time(0), ZONE).astimezone(UTC)
