"""A service whose "today" is a day the test chooses (the real time still runs: tokens expire by it),
started through its whole middleware stack and emptied afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

from services.api.app import create_app
from tests.support.databases import empty_tables
from tests.support.lifespan import running


class DayClock:
    """The real time, and a fixed `today` for the rules that go by the day."""

    def __init__(self, day: date) -> None:
        self.day = day

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.day


@asynccontextmanager
async def app_on(settings, day: date) -> AsyncIterator:
    """The app of `settings` believing today is `day`; its tables emptied when the test is done."""
    application = create_app(settings, clock=DayClock(day))
    async with running(application):
        yield application
        await empty_tables(application)
