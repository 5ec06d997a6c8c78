"""History read as of a date (DOMAIN.md, History): a task and its reports as they stood on a day D.

The one rule every reader of a past date uses — the tree, the task list, a single task, the dashboard and
the evaluation: the status after the task's last move dated ≤ D (`not_started` before any), its urges dated
≤ D, its due date as it stood on D (the original until an extension decided on or before D), and the
reports of a period ≤ D's month that were not returned on or before D. The plan's structure, titles,
weights and planned start dates are today's: they carry no history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from domain.planning.status import TaskStatus
from domain.shared.clock import day_of


class Move(Protocol):
    """What the state on a date reads of a move: its day, its place among the task's moves, where it led."""

    @property
    def on(self) -> date: ...

    @property
    def seq(self) -> int: ...

    @property
    def to_status(self) -> TaskStatus: ...


@dataclass(frozen=True, slots=True)
class TaskHistory:
    """A task's records that time changes: its moves, the moments it was urged, and its approved extensions
    as (decided at, new due date). A reader may hand over only those dated ≤ D (the last move ≤ D suffices):
    the rule below looks no further."""

    moves: Sequence[Move] = ()
    urged_at: Sequence[datetime] = ()
    extensions: Sequence[tuple[datetime, date]] = ()


class Stateful(Protocol):
    status: TaskStatus
    due_date: date | None
    original_due_date: date | None
    urge_count: int


T = TypeVar("T", bound=Stateful)


def status_as_of(moves: Iterable[Move], on: date) -> TaskStatus:
    """The status after the last move dated ≤ `on` (moves of one day in their order); `not_started` before."""
    last = max((m for m in moves if m.on <= on), key=lambda m: (m.on, m.seq), default=None)
    return TaskStatus.NOT_STARTED if last is None else last.to_status


def task_as_of(task: T, history: TaskHistory | None, on: date) -> T:
    """The task as it stood on `on`: status, urge count, due date and original due date of that day.

    `history` None says that nothing of the task is dated after `on` — a day on or after today, since no
    move, urge or decision is ever dated in the future — so the task's own fields are its state then.
    Returns `task` itself when nothing differs, else a copy (a read record, never to be saved).
    """
    if history is None:
        return task
    status = status_as_of(history.moves, on)
    urges = sum(1 for at in history.urged_at if day_of(at) <= on)
    decided = [(at, due) for at, due in history.extensions if day_of(at) <= on]
    if decided:
        due_date, original = max(decided)[1], task.original_due_date
    else:  # no extension yet: the due date first set, and nothing "original" to show beside it
        due_date = task.original_due_date if task.original_due_date is not None else task.due_date
        original = None
    if (status, due_date, original, urges) == (
        task.status,
        task.due_date,
        task.original_due_date,
        task.urge_count,
    ):
        return task
    return replace(task, status=status, due_date=due_date, original_due_date=original, urge_count=urges)


class Counted(Protocol):
    period: str
    returned: bool
    returned_at: datetime | None


def last_period(on: date) -> str:
    """The latest report period that counts on `on`: its month (`YYYY-MM`, for any date a query may name)."""
    return f"{on.year:04d}-{on.month:02d}"


def counts_on(report: Counted, on: date, *, period: str | None = None) -> bool:
    """A report counts on `on` when its period is that month or earlier and it was not returned on or
    before that day (a report returned later still counted then). `period`: `last_period(on)`, if known."""
    if report.period > (period or last_period(on)):
        return False
    if not report.returned:
        return True
    return report.returned_at is not None and day_of(report.returned_at) > on


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of a task's history: what happened (`kind`), the day it is dated, when it was recorded."""

    kind: str  # transition, report, return, urge, extension_decision
    date: date
    at: datetime
    details: dict[str, Any]


_ORDER = {"transition": 0, "report": 1, "return": 2, "urge": 3, "extension_decision": 4}


def history_entries(
    moves: Iterable[Any], reports: Iterable[Any], urges: Iterable[Any], requests: Iterable[Any]
) -> list[HistoryEntry]:
    """A task's history in date order (then as recorded): its moves (dated when they took effect), reports
    (dated when filed), returns of reports, urges and decided extension requests (dated when decided)."""
    entries = [
        HistoryEntry(
            "transition",
            m.on,
            m.at,
            {
                "seq": m.seq,
                "action": m.action,
                "from_status": str(m.from_status),
                "to_status": str(m.to_status),
                "reason": m.reason,
                "by": m.by,
                "migrated": m.migrated,
            },
        )
        for m in moves
    ]
    for r in reports:
        entries.append(
            HistoryEntry(
                "report",
                day_of(r.filed_at),
                r.filed_at,
                {"report_id": r.id, "period": r.period, "percent": r.percent, "by": r.filed_by},
            )
        )
        if r.returned and r.returned_at is not None:
            entries.append(
                HistoryEntry(
                    "return",
                    day_of(r.returned_at),
                    r.returned_at,
                    {"report_id": r.id, "period": r.period, "comment": r.return_comment, "by": r.returned_by},
                )
            )
    entries.extend(
        HistoryEntry("urge", day_of(u.at), u.at, {"urge_id": u.id, "note": u.note, "by": u.by}) for u in urges
    )
    entries.extend(
        HistoryEntry(
            "extension_decision",
            day_of(x.decided_at),
            x.decided_at,
            {
                "request_id": x.id,
                "approved": str(x.status) == "approved",
                "new_due_date": x.new_due_date,
                "note": x.note,
                "by": x.decided_by,
            },
        )
        for x in requests
        if x.decided_at is not None
    )
    return sorted(entries, key=lambda e: (e.date, e.at, _ORDER[e.kind], e.details.get("seq", 0)))
