"""The daily sweep's repositories in memory (the ports of domain/integration/sweep.py)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from domain.cultivation.certifications import Certification
from domain.planning.status import TaskStatus
from domain.planning.tasks import Task
from tests.unit.fakes.base import FakeRepository


class FakeSweepCandidates(FakeRepository):
    """The certifications and tasks a test `add`s; the same date windows as the real queries."""

    def _certifications(self) -> list[Certification]:
        return self.where(lambda e: isinstance(e, Certification))

    async def certifications_expiring_between(self, first: date, last: date) -> list[Certification]:
        return [
            c for c in self._certifications() if c.expires_on is not None and first <= c.expires_on <= last
        ]

    async def certifications_of_enterprises_with_an_end_between(
        self, first: date, last: date
    ) -> dict[str, list[Certification]]:
        def ended(c: Certification) -> bool:
            expired = c.expires_on is not None and first <= c.expires_on + timedelta(days=1) <= last
            revoked = c.revoked and c.revoked_on is not None and first <= c.revoked_on <= last
            return expired or revoked

        enterprises = {c.enterprise_id for c in self._certifications() if ended(c)}
        held: dict[str, list[Certification]] = {}
        for certification in sorted(self._certifications(), key=lambda c: (c.enterprise_id, c.issued_on)):
            if certification.enterprise_id in enterprises:
                held.setdefault(certification.enterprise_id, []).append(certification)
        return held

    async def tasks_due_before(self, day: date, *, statuses: Collection[TaskStatus]) -> list[Task]:
        return self.where(
            lambda e: (
                isinstance(e, Task) and e.status in statuses and e.due_date is not None and e.due_date < day
            )
        )


class FakeSweepMarks(FakeRepository):
    """The (kind, subject, day) already announced."""

    def __init__(self, uow: object) -> None:
        super().__init__(uow)
        self.marks: set[tuple[str, str, date]] = set()

    async def claim(self, kind: str, subject_id: str, on: date) -> bool:
        if (kind, subject_id, on) in self.marks:
            return False
        self.marks.add((kind, subject_id, on))
        return True


class SweepRepositories:
    """Mixed into FakeUnitOfWork: `make_sweep_repositories()` sets the sweep's two repositories."""

    sweep_candidates: FakeSweepCandidates
    sweep_marks: FakeSweepMarks

    def make_sweep_repositories(self) -> None:
        self.sweep_candidates = self._repository(FakeSweepCandidates)
        self.sweep_marks = self._repository(FakeSweepMarks)
