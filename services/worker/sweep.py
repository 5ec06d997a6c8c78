"""When the daily sweep runs: on each new calendar day, and again every interval in between.

What the sweep announces is decided in domain/integration/sweep.py; the housekeeping that follows it
(infrastructure/housekeeping.py) and the time of the last run (for /metrics) are no domain rule.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.integration.sweep import sweep
from domain.shared.clock import Clock, SystemClock
from infrastructure.db.engine import write_session
from infrastructure.housekeeping import remove_expired
from infrastructure.outbox import monitor
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork


class DailySweep:
    """Call `maybe_run()` often; it sweeps when the calendar day (Asia/Shanghai) changes, and again every
    `interval` seconds in between (GAOXIN_SWEEP_INTERVAL_SECONDS), so a late start or a task changed today
    is caught within the interval. The sweep's marks make every repeat of the same day emit nothing twice.
    """

    def __init__(
        self, session_factory: async_sessionmaker, clock: Clock | None = None, *, interval: float = 3600.0
    ) -> None:
        self.session_factory = session_factory
        self.clock = clock or SystemClock()
        self.interval = interval
        self.last_day: date | None = None
        self.last_run: float | None = None

    async def maybe_run(self) -> int:
        """Sweep if the day changed or the interval passed since the last run; returns the events emitted."""
        today, now = self.clock.today(), time.monotonic()
        if self.last_day == today and self.last_run is not None and now - self.last_run < self.interval:
            return 0
        emitted = await self.run(today)
        self.last_day, self.last_run = today, now
        return emitted

    async def run(self, today: date) -> int:
        """Sweep `today` in its own transaction, then clean up and note the time; returns the events."""
        async with SqlAlchemyUnitOfWork(self.session_factory) as uow:
            emitted = await sweep(uow, today)
        async with write_session(self.session_factory) as session:
            now = datetime.now(UTC)
            await remove_expired(session, now)
            await monitor.note_time(session, monitor.LAST_SWEEP, now)
        return emitted
