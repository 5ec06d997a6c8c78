"""Progress (进度) and the plan's task tree, computed in memory in one pass from a flat load.

Progress values are Decimal points 0–100, unrounded (the API rounds for display).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from domain.planning.history import counts_on, last_period
from domain.planning.reports import ProgressReport
from domain.planning.supervision import (
    HUNDRED,
    SEVERITY,
    Escalation,
    SupervisionThresholds,
    WarningLight,
    escalation,
    is_overdue,
    own_warning,
)
from domain.planning.tasks import Task, TaskStatus

_LAST = 1 << 62  # sorts a part that is no number after every numbered one


@dataclass(eq=False, slots=True)
class TaskRecord:
    """A stored task as the tree reads it: Task's fields without its rules and events, for read paths only.

    Reading thousands of tasks as plain records is several times cheaper than loading them as mapped
    entities; `build_tree` and the supervision rules read either by attribute.
    """

    id: str
    plan_id: str
    title: str
    parent_id: str | None = None
    code: str | None = None
    description: str | None = None
    lead_department_id: str | None = None
    co_department_ids: list[str] = field(default_factory=list)
    start_date: date | None = None
    due_date: date | None = None
    original_due_date: date | None = None
    weight: Decimal = Decimal(1)
    status: TaskStatus = TaskStatus.NOT_STARTED
    indicator_ids: list[str] = field(default_factory=list)
    urge_count: int = 0
    carried_from: str | None = None

    is_open = Task.is_open  # the entity's rule, read from the record's status


@dataclass(eq=False, slots=True, kw_only=True)
class ReportRecord:
    """What progress reads of a stored report: the task, the month, when filed, the percent, returned."""

    task_id: str
    period: str
    filed_at: datetime
    percent: Decimal
    returned: bool = False
    returned_at: datetime | None = None
    id: str = ""


@dataclass(eq=False, slots=True)
class TaskNode:
    """A task as the tree shows it on a date: progress, light (own and children's), overdue, escalation."""

    task: Task
    children: list[TaskNode]
    progress: Decimal
    warning: WarningLight
    overdue: bool
    escalation: Escalation


class RolledUp(Protocol):
    """A node's values kept from an earlier computation for the same day (rollups.TaskRollup)."""

    progress: Decimal
    warning: WarningLight
    overdue: bool
    escalation: Escalation


@dataclass(frozen=True, slots=True)
class TaskTree:
    """规划任务树: the roots (the key tasks) and every node by task id, in tree order (parents first)."""

    roots: list[TaskNode]
    nodes: dict[str, TaskNode]

    def __iter__(self) -> Iterator[TaskNode]:
        return iter(self.nodes.values())


def latest_reports(reports: Iterable[ProgressReport], on: date) -> dict[str, ProgressReport]:
    """Each task's latest report counting on `on` (history.counts_on): the greatest (period, filed-at), the
    greater id on a full tie (ids follow creation: the one written last)."""
    latest: dict[str, ProgressReport] = {}
    current_of = latest.get
    period = last_period(on)
    for report in reports:  # the hot loop of a plan's tree (60,000 reports): no tuples built per report
        if (report.returned or report.period > period) and not counts_on(report, on, period=period):
            continue
        current = current_of(report.task_id)
        if (
            current is None
            or report.period > current.period
            or (
                report.period == current.period
                and (
                    report.filed_at > current.filed_at
                    or (report.filed_at == current.filed_at and report.id > current.id)
                )
            )
        ):
            latest[report.task_id] = report
    return latest


def leaf_progress(task: Task, latest: ProgressReport | None) -> Decimal:
    """A leaf's progress: 100 once completed, else its latest report's percent, else 0."""
    if task.status is TaskStatus.COMPLETED:
        return HUNDRED
    return latest.percent if latest is not None else Decimal(0)


def rolled_up_progress(children: Iterable[TaskNode]) -> Decimal | None:
    """The weight-averaged progress of the children, cancelled ones left out; None when none is left.

    A parent whose children are all cancelled is then read as a leaf (see `build_tree`).
    """
    total_weight = weighted = Decimal(0)
    for child in children:
        if child.task.status is not TaskStatus.CANCELLED:
            total_weight += child.task.weight
            weighted += child.task.weight * child.progress
    return weighted / total_weight if total_weight else None


def build_tree(
    tasks: Iterable[Task],
    reports: Iterable[ProgressReport],
    *,
    on: date,
    thresholds: SupervisionThresholds | None = None,
    stored: Mapping[str, RolledUp] | None = None,
) -> TaskTree:
    """Build a plan's tree from all its tasks and reports on `on`: O(n), plus sorting siblings.

    The tasks are as they stood on `on` (history.task_as_of); of the reports, those counting on `on` count.

    Siblings are ordered by code (`5.2` before `5.10`), code-less tasks last in the order given. A task whose
    parent is not among `tasks` is a root. A parent whose children are all cancelled shows its own leaf
    progress (100 if completed, else its latest report, else 0). A task with a `stored` roll-up computed for
    `on` takes its values from there (the same values, not computed again).
    """
    thresholds = thresholds or SupervisionThresholds()
    tasks = list(tasks)
    by_id = {task.id: task for task in tasks}
    children: dict[str, list[Task]] = {}
    roots: list[Task] = []
    for task in tasks:
        if task.parent_id is not None and task.parent_id in by_id and task.parent_id != task.id:
            children.setdefault(task.parent_id, []).append(task)
        else:
            roots.append(task)
    roots.sort(key=code_key)
    for siblings in children.values():
        siblings.sort(key=code_key)
    order = _parents_first(tasks, roots, children)
    latest = latest_reports(reports, on)

    nodes: dict[str, TaskNode] = {}
    children_of, latest_of = children.get, latest.get
    for task in reversed(order):  # children before their parents
        kid_tasks = children_of(task.id)
        kids = [nodes[child.id] for child in kid_tasks] if kid_tasks else []
        kept = stored.get(task.id) if stored else None
        if kept is None:
            nodes[task.id] = node_from(task, kids, latest_of(task.id), on, thresholds)
        else:
            nodes[task.id] = TaskNode(task, kids, kept.progress, kept.warning, kept.overdue, kept.escalation)
    return TaskTree(
        roots=[nodes[task.id] for task in roots], nodes={task.id: nodes[task.id] for task in order}
    )


def node_from(
    task: Task,
    kids: list[TaskNode],
    latest: ProgressReport | None,
    on: date,
    thresholds: SupervisionThresholds,
) -> TaskNode:
    """One task's node on `on` from its children's nodes (in order) and its own latest report counting then.

    The one rule of a node, whether the children were just computed (`build_tree`) or read as stored
    roll-ups (domain/planning/rollups.py): so a parent rolled up either way is the same.
    """
    progress = rolled_up_progress(kids) if kids else None
    if progress is None:
        progress = leaf_progress(task, latest)
    # most_severe of the own light and the children's, without a list a node (the tree's hot loop)
    light = own_warning(task, progress, on, thresholds)
    for kid in kids:
        if SEVERITY[kid.warning] > SEVERITY[light]:
            light = kid.warning
    return TaskNode(
        task=task,
        children=kids,
        progress=progress,
        warning=light,
        overdue=is_overdue(task, on),
        escalation=escalation(task, on, thresholds),
    )


def code_key(task: Task) -> tuple[int, tuple[int, ...], tuple[str, ...]]:
    """Sort key reading a code's parts as numbers (`6.1.2`), so `10` follows `9`; other parts go last."""
    return _code_key(task.code) if task.code else (1, (), ())


@lru_cache(maxsize=65536)
def _code_key(code: str) -> tuple[int, tuple[int, ...], tuple[str, ...]]:
    """`code_key` of a code, kept: a plan's thousands of codes are sorted again on every read of its tree."""
    parts = code.split(".")
    try:
        return (0, tuple(map(int, parts)), ())
    except ValueError:  # a part that is no number (`4.二`) sorts after the numbered ones, then by its text
        return (0, tuple(int(part) if part.isdecimal() else _LAST for part in parts), tuple(parts))


def _parents_first(tasks: list[Task], roots: list[Task], children: dict[str, list[Task]]) -> list[Task]:
    """Depth-first order from the roots; a parent cycle in bad data is cut so that no task is lost."""
    order: list[Task] = []
    seen: set[str] = set()

    def walk(start: Task) -> None:
        stack = [start]
        while stack:
            task = stack.pop()
            seen.add(task.id)
            order.append(task)
            stack.extend(reversed(children.get(task.id, ())))

    for root in roots:
        walk(root)
    for task in tasks:
        if task.id not in seen:  # only tasks in a parent cycle are left: make this one a root
            children[task.parent_id].remove(task)  # type: ignore[index]
            roots.append(task)
            walk(task)
    return order
