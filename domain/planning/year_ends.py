"""Year-end roll-ups (年末快照): each task as it stood on 31 December of a closed plan year, stored.

The evaluation of a year that is over (the final evaluation above all) reads the plan as it stood on
31 Dec Y: every task's status, due dates and urges replayed from its history, every report that counted
then. That day's answer changes only when a write reaches back to it, which after the year is rare, so the
daily sweep stores it (`year_end_of` of each node of the tree replayed for that day) and any write that can
change it deletes its plan's rows in the write's own transaction (`reached_by`). A read uses the rows of
a day only when every task of the plan has one; else it replays.

What reaches back to a day D (every other change is dated after D, and the replay ignores it):
- a report whose period is D's month or earlier (filed, changed or returned): from the 1st of its month;
- a move dated on or before D (`on` may precede the day it is recorded): from its day;
- an urge or an extension decision dated on or before D: from its day;
- a task created or deleted, or changed in anything but the fields its dated records govern (status, urge
  count): every day of its plan. Its title and description too: the tree built from a day's rows is kept in
  the process by the day's stamp (`YearEndTrees`), so whatever the tree holds of a task goes with the rows.

Each day stored whole carries a stamp, new each time the sweep stores it and deleted with its rows: a tree
built from the rows of a stamp is the day's tree for as long as that stamp is stored.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from domain.planning.progress import TaskNode, TaskRecord, TaskTree
from domain.planning.reports import ProgressReport
from domain.planning.rollups import ROLLED_UP, differences
from domain.planning.status import TaskStatus, Transition
from domain.planning.supervision import Escalation, WarningLight
from domain.planning.tasks import Task
from domain.planning.workflow import ExtensionRequest, Urge
from domain.shared.clock import day_of

EVERY_DAY = date.min  # a change that reaches every stored day of its plan
# Task fields whose change reaches no past day: governed by dated records (moves and urges), or the version.
_UNREACHING = frozenset({"status", "urge_count", "version"})


class TaskYearEnd(NamedTuple):
    """A task on `day` (31 Dec of a plan year): its state replayed then, and its node's values that day.

    A named tuple, not a frozen dataclass: an evaluation reads a plan's thousands of rows, and a frozen
    dataclass sets each field through object.__setattr__ (7 % of the final evaluation's time)."""

    task_id: str
    day: date
    status: TaskStatus
    due_date: date | None
    original_due_date: date | None
    urge_count: int
    progress: Decimal
    warning: WarningLight
    overdue: bool
    escalation: Escalation


def year_end_of(node: TaskNode, day: date) -> TaskYearEnd:
    """The row of a node of the tree replayed for `day` (its task is the task as it stood then)."""
    task = node.task
    return TaskYearEnd(
        task.id,
        day,
        task.status,
        task.due_date,
        task.original_due_date,
        task.urge_count,
        node.progress,
        node.warning,
        node.overdue,
        node.escalation,
    )


def closed_year_ends(start_year: int, end_year: int, today: date) -> list[date]:
    """31 December of each year of the plan that is over by `today` (the days the sweep stores)."""
    return [date(year, 12, 31) for year in range(start_year, end_year + 1) if date(year, 12, 31) < today]


def reaches_stored(earliest: date | None, today: date) -> bool:
    """Whether a change reaching back to `earliest` can touch a stored row. The sweep stores 31 December
    once it is past, so the latest day stored is last year's — or, on 31 December itself, today: a sweep
    just past midnight may store the day a write whose clock still says 31 December is changing."""
    if earliest is None:
        return False
    last = date(today.year - 1, 12, 31) if today < date(today.year, 12, 31) else date(today.year, 12, 31)
    return earliest <= last


# The records a year's end is replayed from.
REPLAYED = (Task, ProgressReport, Transition, Urge, ExtensionRequest)


def reached_by(record: object, before: Mapping[str, Any] | None) -> date | None:
    """The earliest day whose stored rows a write of `record` can change (None: none, or not a record the
    replay reads). `before` holds the old values of the fields changed; None for a record created or deleted.
    """
    if isinstance(record, Task):
        return EVERY_DAY if before is None or set(before) - _UNREACHING else None
    old = before or {}
    if isinstance(record, ProgressReport):
        first = min(p for p in (record.period, old.get("period")) if p is not None)
        return date(int(first[:4]), int(first[5:7]), 1)  # the first day a report of that month counts on
    if isinstance(record, Transition):
        return min(d for d in (record.on, old.get("on")) if d is not None)
    if isinstance(record, Urge):
        return _earliest_day(record.at, old.get("at"))
    if isinstance(record, ExtensionRequest):
        return _earliest_day(record.decided_at, old.get("decided_at"))
    return None


def _earliest_day(*moments: datetime | None) -> date | None:
    days = [day_of(moment) for moment in moments if moment is not None]
    return min(days) if days else None


def year_end_differences(stored: Iterable[TaskYearEnd], recomputed: Mapping[str, TaskYearEnd]) -> list[str]:
    """Each stored row that differs from the one replayed for its day, field by field, readably."""
    fields = ("status", "due_date", "original_due_date", "urge_count", *ROLLED_UP)
    return differences(stored, recomputed, fields=fields, day=lambda row: row.day, what="a year-end row")


Stood = tuple[list[TaskRecord], dict[str, TaskYearEnd]]  # a plan's tasks as they stood, and their rows


class TaskYearEndStore(Protocol):
    """The stored year-end rows of the plans' tasks."""

    async def of_plan(self, plan_id: str, day: date) -> dict[str, TaskYearEnd]:
        """The plan's rows for `day`, by task id."""

    async def stood_on(self, plan_id: str, day: date) -> Stood | None:
        """Every task of the plan as it stood on `day` (status, due dates and urge count: the row's) with
        its row, in one read; None when a task of the plan has no row for that day."""

    async def days_of_plan(self, plan_id: str) -> dict[date, int]:
        """How many rows the plan has for each day it has any."""

    async def stamp(self, plan_id: str, day: date) -> str | None:
        """The stamp of the plan's rows for `day`, written with them by `replace` and deleted with them by
        `forget` (None: not stored)."""

    async def hold(self, plan_id: str) -> None:
        """Hold the plan against writes that reach back (`forget`) until the transaction ends: called before
        its day is replayed, so that a write committed meanwhile waits and then deletes what is stored."""

    async def replace(self, plan_id: str, day: date, rows: Collection[TaskYearEnd]) -> None:
        """Store the plan's rows for `day` in place of any it had, under a new stamp."""

    async def forget(self, task_ids: Collection[str], since: date, plan_ids: Collection[str] = ()) -> None:
        """Delete, for `since` and later, the rows and stamps of the plans of `task_ids` and of `plan_ids`
        (in the write's transaction, after holding those plans)."""


class YearEndTrees:
    """Trees built from stored year-end rows, by (plan, day, stamp), the most recently used `size` of them.

    A closed year's tree is the same on every read until a write reaches back to it, and that write deletes
    the stamp: a tree found under the stamp stored now is the one its rows build. Kept per process (trees are
    read, never changed, by whoever is handed one), so the final evaluation of a 5,000-task plan reads one
    stamp instead of 5,000 rows, and builds no tree."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._trees: OrderedDict[tuple[str, date, str], TaskTree] = OrderedDict()

    def get(self, plan_id: str, day: date, stamp: str) -> TaskTree | None:
        """The tree kept for the plan's day under `stamp`, if any."""
        tree = self._trees.get((plan_id, day, stamp))
        if tree is not None:
            self._trees.move_to_end((plan_id, day, stamp))
        return tree

    def put(self, plan_id: str, day: date, stamp: str, tree: TaskTree) -> None:
        """Keep the tree built from the rows read under `stamp` (read after it: see stored_year_end_tree)."""
        self._trees[(plan_id, day, stamp)] = tree
        self._trees.move_to_end((plan_id, day, stamp))
        while len(self._trees) > self.size:
            self._trees.popitem(last=False)
