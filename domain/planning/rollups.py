"""A task's roll-up (汇总): its progress, light, overdue and escalation on a day, stored beside it.

The values are the tree's (progress.build_tree) and nothing else: a roll-up is a node without its children.
A write recomputes the tasks it touched and every task above them (a node depends on its own task and the
nodes below it), from the children's stored roll-ups where they were computed for the same day; the daily
sweep recomputes what the date alone moves (lights, overdue, escalation). A read for today uses a stored
roll-up only if it was computed for today.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from domain.planning.progress import ReportRecord, TaskNode, TaskRecord
from domain.planning.supervision import Escalation, WarningLight
from domain.planning.tasks import Task, ancestor_ids


@dataclass(frozen=True, slots=True)
class TaskRollup:
    """One task's node values as computed for `computed_for`."""

    task_id: str
    progress: Decimal
    warning: WarningLight
    overdue: bool
    escalation: Escalation
    computed_for: date


def rollup_of(node: TaskNode, on: date) -> TaskRollup:
    """The roll-up of a node of the tree on `on`."""
    return TaskRollup(node.task.id, node.progress, node.warning, node.overdue, node.escalation, on)


def node_of_rollup(task: Task, rollup: TaskRollup, children: list[TaskNode] | None = None) -> TaskNode:
    """The node a stored roll-up stands for (its children as given: none where only the task is shown)."""
    return TaskNode(
        task=task,
        children=children if children is not None else [],
        progress=rollup.progress,
        warning=rollup.warning,
        overdue=rollup.overdue,
        escalation=rollup.escalation,
    )


def deepest_first(records: Collection[TaskRecord]) -> list[TaskRecord]:
    """The tasks ordered deepest first, then by id: children before their parents, the order to roll up."""
    parent_of = {record.id: record.parent_id for record in records}
    depth = {record.id: len(ancestor_ids(record.id, parent_of)) for record in records}
    return sorted(records, key=lambda record: (-depth[record.id], record.id))


ROLLED_UP = ("progress", "warning", "overdue", "escalation")  # a roll-up's values


def differences(
    stored: Iterable[Any],
    recomputed: Mapping[str, Any],
    *,
    fields: tuple[str, ...] = ROLLED_UP,
    day: Callable[[Any], date] = lambda row: row.computed_for,
    what: str = "a roll-up",
) -> list[str]:
    """Each stored row that differs from the one recomputed for its day, field by field, readably (the
    roll-ups of today by default; the year-end rows name their own `fields`, `day` and `what`)."""
    found: list[str] = []
    for row in stored:
        truth = recomputed.get(row.task_id)
        if truth is None:
            found.append(f"task {row.task_id}: {what} is stored for {day(row)} but no task is")
            continue
        for name in fields:
            kept, right = getattr(row, name), getattr(truth, name)
            if kept != right:
                found.append(
                    f"task {row.task_id}: {name} stored {_shown(kept)}, recomputed {_shown(right)}"
                    f" (for {day(row)})"
                )
    return found


def _shown(value: object) -> str:
    return str(getattr(value, "value", value))


class TaskRollupStore(Protocol):
    """The stored roll-ups, and the few reads a write's roll-up step makes around them."""

    async def chain_records(self, task_ids: Collection[str]) -> list[TaskRecord]:
        """The tasks that exist among `task_ids` and every task above them, as read records."""

    async def children_with_rollups(
        self, parent_ids: Collection[str], on: date
    ) -> list[tuple[TaskRecord, TaskRollup | None]]:
        """The children of the tasks, as read records, each with its stored roll-up if computed for `on`."""

    async def latest_reports(self, task_ids: Collection[str]) -> list[ReportRecord]:
        """The tasks' reports not returned (today's latest is among them)."""

    async def lock(self, task_ids: list[str]) -> None:
        """Hold the roll-up rows of the tasks until the transaction ends (a concurrent writer waits)."""

    async def computed_for(self, task_ids: Collection[str], on: date) -> dict[str, TaskRollup]:
        """The stored roll-ups of the tasks that were computed for `on`."""

    async def of_plan_computed_for(self, plan_id: str, on: date) -> dict[str, TaskRollup]:
        """The stored roll-ups of the plan's tasks that were computed for `on`."""

    async def write(self, rollups: Collection[TaskRollup]) -> None:
        """Store the roll-ups (insert or replace each task's row)."""

    async def forget(self, task_ids: Collection[str]) -> None:
        """Remove the tasks' stored roll-ups (reads then compute them)."""

    async def plans_computed_for(self, on: date) -> list[str]:
        """The plans with a task whose roll-up was computed for `on`."""

    async def plans_not_computed_for(self, on: date) -> list[str]:
        """The plans with a task whose roll-up is missing or was computed for another day than `on`."""
