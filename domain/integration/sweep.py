"""The daily sweep: the events that time alone causes, each announced exactly once (also after downtime).

- certification.expiring — a certification's last valid day is 90 days away or less;
- enterprise.tier_changed — a tier fell because a certification lapsed (issues and revocations are
  announced by the write that made them);
- task.overdue — an open task passed its due date.
It also recomputes the stored task roll-ups that the date alone moves (lights, overdue, escalation: see
domain/planning/rollups.py) for every plan whose roll-ups are not yet today's, and stores each closed plan
year's end that is not stored whole (domain/planning/year_ends.py).
Each announcement is marked (kind, subject, day) in the same transaction as its event, so a second sweep
of the same day, a sweep after downtime or a second sweeper at the same time announces nothing twice.
In the same transaction it stores today's tier of every enterprise whose stored tier was computed for
another day (tiers move when a certification lapses; reads use a stored tier only if it is today's). The
scheduler (services/worker/sweep.py) decides when to call `sweep`; this module decides what is due.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from domain.cultivation.certifications import Certification
from domain.cultivation.events import certification_expiring, enterprise_tier_changed
from domain.cultivation.intervals import tier_of
from domain.cultivation.ports import StoredTiersPort
from domain.cultivation.tiers import tier_changes_between
from domain.planning.events import task_overdue
from domain.planning.handlers.rollups import refresh_rollups
from domain.planning.handlers.year_ends import refresh_year_ends
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.status import OPEN_STATUSES, TaskStatus
from domain.planning.supervision import is_overdue
from domain.planning.tasks import Task
from domain.shared.events import DomainEvent

EXPIRY_NOTICE = timedelta(days=90)
LOOK_BACK = timedelta(days=400)  # how far a sweep after downtime still catches up
TIER_BATCH = 1000  # enterprises whose tier is refreshed at a time


@dataclass(frozen=True, slots=True)
class Announcement:
    """An event time caused, and the day it is about: (its type, its subject, that day) is announced once."""

    day: date
    event: DomainEvent


class SweepCandidates(Protocol):
    """What the sweep looks at; each query is a superset the rules below narrow."""

    async def certifications_expiring_between(self, first: date, last: date) -> list[Certification]:
        """The certifications whose last valid day lies in [first, last]."""
        ...

    async def certifications_of_enterprises_with_an_end_between(
        self, first: date, last: date
    ) -> Mapping[str, Sequence[Certification]]:
        """Every certification of each enterprise one of whose certifications ended (the day after its last
        valid day, or the day it was revoked) in [first, last], by enterprise id."""
        ...

    async def tasks_due_before(self, day: date, *, statuses: Collection[TaskStatus]) -> list[Task]:
        """The tasks in one of `statuses` whose due date is before `day`."""
        ...


class SweepMarks(Protocol):
    """The once-only facts: which (kind, subject, day) the sweep has already announced."""

    async def claim(self, kind: str, subject_id: str, on: date) -> bool:
        """Mark (kind, subject_id, on) as announced: False when it already was (by any sweep, even one
        running at the same time)."""
        ...


class SweepUnitOfWork(PlanningUnitOfWork, Protocol):
    """The sweep's transaction: what it looks at, the marks it writes beside its events, and the plans' tasks
    whose roll-ups it recomputes."""

    sweep_candidates: SweepCandidates
    sweep_marks: SweepMarks
    stored_tiers: StoredTiersPort


def expiry_notices(certifications: Iterable[Certification], today: date) -> list[Announcement]:
    """A notice for each certification, not revoked, whose last valid day is 0–90 days after `today`."""
    return [
        Announcement(c.expires_on, certification_expiring(c, today))
        for c in certifications
        if not c.revoked and c.expires_on is not None and today <= c.expires_on <= today + EXPIRY_NOTICE
    ]


def lapses(held: Mapping[str, Sequence[Certification]], since: date, today: date) -> list[Announcement]:
    """The tier changes dated `since`..`today` that an expiry caused, for each enterprise's certifications."""
    return [
        Announcement(change.date, enterprise_tier_changed(enterprise_id, change))
        for enterprise_id, certifications in held.items()
        for change in tier_changes_between(certifications, since, today)
        if "expired" in change.cause  # revocations and issues are announced by the write itself
    ]


def overdue(tasks: Iterable[Task], today: date) -> list[Announcement]:
    """A notice for each open task past its due date, dated by it (a new due date brings a new notice)."""
    return [Announcement(t.due_date, task_overdue(t)) for t in tasks if is_overdue(t, today)]


async def refresh_tiers(tiers: StoredTiersPort, today: date) -> int:
    """Store today's tier, from its validity intervals, of each enterprise whose tier is stored for another
    day or not at all; returns how many."""
    refreshed = 0
    while stale := await tiers.stale(today, limit=TIER_BATCH):
        await tiers.store({i: tier_of(intervals, today) for i, intervals in stale.items()}, today)
        refreshed += len(stale)
    return refreshed


async def sweep(uow: SweepUnitOfWork, today: date) -> int:
    """Announce what time alone changed up to `today` and not yet announced; returns how many events."""
    since = today - LOOK_BACK
    candidates = uow.sweep_candidates
    due = [
        *expiry_notices(
            await candidates.certifications_expiring_between(today, today + EXPIRY_NOTICE), today
        ),
        *lapses(
            await candidates.certifications_of_enterprises_with_an_end_between(since, today), since, today
        ),
        *overdue(await candidates.tasks_due_before(today, statuses=OPEN_STATUSES), today),
    ]
    announced = 0
    for announcement in due:
        event = announcement.event
        if await uow.sweep_marks.claim(event.type, event.subject_id, announcement.day):
            uow.record(event)
            announced += 1
    await refresh_tiers(uow.stored_tiers, today)
    await refresh_rollups(today, uow=uow)
    await refresh_year_ends(today, uow=uow)
    await uow.commit()
    return announced
