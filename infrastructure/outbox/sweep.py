"""The daily sweep: the events that time alone causes, each emitted exactly once (also after downtime).

- certification.expiring — 90 days before a certification's last valid day;
- enterprise.tier_changed — a tier that changed because a certification lapsed;
- task.overdue — a task that passed its due date while open.
A mark per (kind, subject, day) in `sweep_marks`, written in the same transaction as the event, makes a
second sweep (or a second relay sweeping at the same time) emit nothing.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.cultivation.certifications import Certification
from domain.cultivation.events import certification_expiring, enterprise_tier_changed
from domain.cultivation.tiers import tier_changes_between
from domain.planning.events import task_overdue
from domain.planning.supervision import is_overdue
from domain.planning.tasks import OPEN_STATUSES, Task
from domain.shared.clock import Clock, SystemClock
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from infrastructure.db.engine import transaction_id, write_session
from infrastructure.db.tables.identity import client_tokens
from infrastructure.db.tables.integration import idempotency_keys, sweep_marks
from infrastructure.db.tables.outbox import outbox
from infrastructure.idempotency import KEEP_FOR
from infrastructure.outbox import monitor

EXPIRY_NOTICE = timedelta(days=90)
LOOK_BACK = timedelta(days=400)  # how far a sweep after downtime still catches up


class DailySweep:
    """Call `maybe_run()` often; it sweeps when the calendar day (Asia/Shanghai) changes, and again every
    `interval` seconds in between (GAOXIN_SWEEP_INTERVAL_SECONDS), so a late start or a task changed today
    is caught within the interval. The marks make every repeat of the same day emit nothing twice.
    """

    def __init__(self, session_factory, clock: Clock | None = None, *, interval: float = 3600.0) -> None:
        self.session_factory = session_factory
        self.clock = clock or SystemClock()
        self.interval = interval
        self.last_day: date | None = None
        self.last_run: float | None = None

    async def maybe_run(self) -> int:
        today, now = self.clock.today(), time.monotonic()
        if self.last_day == today and self.last_run is not None and now - self.last_run < self.interval:
            return 0
        emitted = await self.run(today)
        self.last_day, self.last_run = today, now
        return emitted

    async def run(self, today: date) -> int:
        async with write_session(self.session_factory) as session:
            events = [
                *await self._expiring(session, today),
                *await self._tier_lapses(session, today),
                *await self._overdue(session, today),
            ]
            emitted = 0
            for kind_day, event in events:
                if await self._mark(session, event, kind_day):
                    await session.execute(
                        insert(outbox).values(
                            event_id=new_id(),
                            txid=await transaction_id(session),
                            type=event.type,
                            subject_type=event.subject_type,
                            subject_id=event.subject_id,
                            data=event.data,
                            occurred_at=event.occurred_at,
                        )
                    )
                    emitted += 1
            await session.execute(
                delete(idempotency_keys).where(idempotency_keys.c.created_at < datetime.now(UTC) - KEEP_FOR)
            )
            # A client token past its expiry is refused by the signature already; its row is kept a day.
            await session.execute(
                delete(client_tokens).where(
                    client_tokens.c.expires_at < datetime.now(UTC) - timedelta(days=1)
                )
            )
            await monitor.note_time(session, monitor.LAST_SWEEP, datetime.now(UTC))
        return emitted

    async def _mark(self, session, event: DomainEvent, day: date) -> bool:
        values = {"kind": event.type, "subject_id": event.subject_id, "on": day}
        dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        result = await session.execute(dialect_insert(sweep_marks).values(**values).on_conflict_do_nothing())
        return result.rowcount == 1

    async def _expiring(self, session, today: date) -> list[tuple[date, DomainEvent]]:
        horizon = today + EXPIRY_NOTICE
        certs = await session.scalars(
            select(Certification).where(
                Certification.revoked.is_(False),
                Certification.expires_on.is_not(None),
                Certification.expires_on >= today,
                Certification.expires_on <= horizon,
            )
        )
        return [
            (
                c.expires_on,
                certification_expiring(c, today),
            )
            for c in certs
        ]

    async def _tier_lapses(self, session, today: date) -> list[tuple[date, DomainEvent]]:
        start = today - LOOK_BACK
        lapsing = select(Certification.enterprise_id).where(
            or_(
                and_(Certification.expires_on >= start - timedelta(days=1), Certification.expires_on < today),
                and_(
                    Certification.revoked.is_(True),
                    Certification.revoked_on >= start,
                    Certification.revoked_on <= today,
                ),
            )
        )
        certs = await session.scalars(select(Certification).where(Certification.enterprise_id.in_(lapsing)))
        by_enterprise: dict[str, list[Certification]] = defaultdict(list)
        for cert in certs:
            by_enterprise[cert.enterprise_id].append(cert)
        found = []
        for enterprise_id, held in by_enterprise.items():
            for change in tier_changes_between(held, start, today):
                if "expired" in change.cause:  # revocations and issues are announced by the write itself
                    found.append((change.date, enterprise_tier_changed(enterprise_id, change)))
        return found

    async def _overdue(self, session, today: date) -> list[tuple[date, DomainEvent]]:
        tasks = await session.scalars(
            select(Task).where(
                Task.status.in_(list(OPEN_STATUSES)), Task.due_date.is_not(None), Task.due_date < today
            )
        )
        return [
            (
                t.due_date,
                task_overdue(t),
            )
            for t in tasks
            if is_overdue(t, today)
        ]
