"""A task ledger's actual dates (实际开始/完成/取消日期) as dated moves, recorded once every row is through.

A row asks for the moves its dates imply that the task's history lacks; one that contradicts the history
(moves are never rewritten) is refused with the row. The moves then run in date order — on one day starts
first, children before their parents — so that a parent completes after the children that closed that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from domain.integration.importers.base import Afterwards, unknown
from domain.integration.ledgers.rows import ParsedRow
from domain.integration.ports import LedgerUnitOfWork
from domain.planning.handlers.tasks import record_move
from domain.planning.tasks import Task, TaskStatus, Transition
from domain.shared.errors import DomainError

# action → the column its date comes from, and the state it reaches
COLUMNS = {
    "start": ("started_on", TaskStatus.IN_PROGRESS),
    "complete": ("completed_on", TaskStatus.COMPLETED),
    "cancel": ("cancelled_on", TaskStatus.CANCELLED),
}


@dataclass(frozen=True)
class Wanted:
    """A move a row asks for: the action, its day, the reason (to cancel)."""

    action: str
    on: date
    reason: str | None = None


class DatedMoves:
    """What a task ledger import asks of the tasks' histories (`moves`: each task's moves, in order)."""

    def __init__(self, importer, moves: Mapping[str, list[Transition]]) -> None:
        self.importer = importer
        self.moves = moves
        self._pending: dict[int, list[Wanted]] = {}
        self._asked: list[tuple[ParsedRow, Task, Wanted]] = []

    def wanted(self, row: ParsedRow, task: Task | None) -> list[Wanted]:
        """The moves the row's dates imply and the task lacks; refuse dates its history contradicts."""
        values = row.values
        started, completed, cancelled = (values.get(c) for c, _ in COLUMNS.values())
        if completed and cancelled:
            raise unknown(
                "cancelled_on", "a task is completed or cancelled, not both", "任务不能既办结又取消"
            )
        moves = self.moves.get(task.id, []) if task is not None else []
        wanted = []
        if started:
            first = next((m for m in moves if m.action == "start"), None)
            if first is None:
                wanted.append(Wanted("start", started))
            elif first.on != started:
                raise _rewrite("started_on", "started", first.on, started)
        for action, day in (("complete", completed), ("cancel", cancelled)):
            column, target = COLUMNS[action]
            last = moves[-1] if moves else None
            if not day:
                continue
            if task is not None and task.status is target and last is not None and last.to_status is target:
                if last.on != day:
                    raise _rewrite(column, str(target), last.on, day)
                continue
            wanted.append(Wanted(action, day, values.get("cancel_reason") if action == "cancel" else None))
        self._pending[row.number] = wanted
        return wanted

    def ask(self, row: ParsedRow, task: Task) -> None:
        """The row is through: its moves wait for every other row."""
        self._asked.extend((row, task, wanted) for wanted in self._pending.pop(row.number, []))

    def steps(self, by_id: Mapping[str, Task]) -> list[Afterwards]:
        """The moves asked for, in date order; on one day starts first, deeper tasks before their parents."""

        def depth(task: Task) -> int:
            seen, current = 0, task.parent_id
            while current is not None and current in by_id and seen < len(by_id):
                seen, current = seen + 1, by_id[current].parent_id
            return seen

        order = sorted(
            self._asked,
            key=lambda a: (a[2].on, a[2].action != "start", -depth(a[1]), a[0].number),
        )
        return [Afterwards(row, [task], partial(self._move, task, wanted)) for row, task, wanted in order]

    async def _move(self, task: Task, wanted: Wanted, unit: LedgerUnitOfWork) -> None:
        importer = self.importer
        try:
            await record_move(
                task,
                wanted.action,
                reason=wanted.reason,
                on=wanted.on,
                today=importer.today,
                by=importer.uow.actor,
                at=importer.now,
                uow=unit,
            )
        except DomainError as refused:  # name the column the day or the reason came from
            if refused.field in (None, "date", "reason"):
                refused.field = "cancel_reason" if refused.field == "reason" else COLUMNS[wanted.action][0]
            raise


def _rewrite(column: str, what: str, recorded: date, given: date) -> DomainError:
    return unknown(
        column,
        f"the task {what} on {recorded.isoformat()}, not {given.isoformat()}: its history is never rewritten",
        f"该任务已记录于{recorded.isoformat()}{_ZH.get(what, what)},"
        f"与本行的{given.isoformat()}不符(历史记录不可改写)",
    )


_ZH = {"started": "开始", "completed": "办结", "cancelled": "取消"}


def actual_dates(task: Task, moves: list[Transition]) -> dict[str, Any]:
    """What the ledger's date columns show of a task's history (and read back unchanged): the day it first
    started; the day it was completed or cancelled, while it is (and why it was cancelled)."""
    started = next((m.on for m in moves if m.action == "start"), None)
    last = moves[-1] if moves else None
    ended = last if last is not None and last.to_status is task.status else None
    return {
        "started_on": started,
        "completed_on": ended.on if ended and task.status is TaskStatus.COMPLETED else None,
        "cancelled_on": ended.on if ended and task.status is TaskStatus.CANCELLED else None,
        "cancel_reason": ended.reason if ended and task.status is TaskStatus.CANCELLED else None,
    }
