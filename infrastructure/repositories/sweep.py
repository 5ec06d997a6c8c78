"""The daily sweep's repositories (domain/integration/sweep.py): what it looks at, and its marks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.cultivation.certifications import Certification
from domain.planning.status import TaskStatus
from domain.planning.tasks import Task
from infrastructure.db.tables.integration import sweep_marks
from infrastructure.repositories.base import Reader


class SweepCandidateReader(Reader):
    """The certifications and tasks whose dates make them candidates; the domain's rules pick among them."""

    async def certifications_expiring_between(self, first: date, last: date) -> list[Certification]:
        return await self._all(
            select(Certification)
            .where(Certification.expires_on >= first, Certification.expires_on <= last)
            .order_by(Certification.expires_on, Certification.id)
        )

    async def certifications_of_enterprises_with_an_end_between(
        self, first: date, last: date
    ) -> dict[str, list[Certification]]:
        # A certification ends the day after its last valid day, or on the day it was revoked.
        ended = select(Certification.enterprise_id).where(
            or_(
                and_(
                    Certification.expires_on >= first - timedelta(days=1),
                    Certification.expires_on <= last - timedelta(days=1),
                ),
                and_(
                    Certification.revoked.is_(True),
                    Certification.revoked_on >= first,
                    Certification.revoked_on <= last,
                ),
            )
        )
        held: dict[str, list[Certification]] = defaultdict(list)
        for certification in await self._all(
            select(Certification)
            .where(Certification.enterprise_id.in_(ended))
            .order_by(Certification.enterprise_id, Certification.issued_on, Certification.id)
        ):
            held[certification.enterprise_id].append(certification)
        return dict(held)

    async def tasks_due_before(self, day: date, *, statuses: Collection[TaskStatus]) -> list[Task]:
        return await self._all(
            select(Task)
            .where(Task.status.in_(list(statuses)), Task.due_date < day)
            .order_by(Task.due_date, Task.id)
        )


class SweepMarkRepository(Reader):
    """`sweep_marks`: one row per (kind, subject, day) announced; its key makes a second claim a no-op."""

    async def claim(self, kind: str, subject_id: str, on: date) -> bool:
        dialect_insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        statement = dialect_insert(sweep_marks).values(kind=kind, subject_id=subject_id, on=on)
        result = await self.session.execute(statement.on_conflict_do_nothing())
        return result.rowcount == 1
