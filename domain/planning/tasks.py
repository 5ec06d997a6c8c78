"""Task (任务): a node of the plan's decomposition, with its status machine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from domain.planning import events
from domain.planning._values import optional_text, required_text, to_decimal, to_enum
from domain.planning.status import (
    ACTION_ZH,
    ACTIONS_NEEDING_REASON,
    MOVES,
    OPEN_STATUSES,
    STATUS_ZH,
    TaskStatus,
    Transition,
    checked_move,
)
from domain.shared.errors import IllegalTransition, InvalidValue, NotDeletable
from domain.shared.events import RecordsEvents
from domain.shared.ids import new_id


@dataclass(eq=False, kw_only=True)
class Task(RecordsEvents):
    """任务: a key task, section, measure or work item, led by at most one department."""

    id: str = field(default_factory=new_id)
    plan_id: str
    title: str
    parent_id: str | None = None
    code: str | None = None
    description: str | None = None
    lead_department_id: str | None = None
    co_department_ids: list[str] = field(default_factory=list)
    start_date: date | None = None
    due_date: date | None = None
    original_due_date: date | None = None  # the due date before the first approved extension
    weight: Decimal = Decimal(1)
    status: TaskStatus = TaskStatus.NOT_STARTED
    indicator_ids: list[str] = field(default_factory=list)
    urge_count: int = 0
    carried_from: str | None = None  # the previous plan's task this one was carried over from (successor)

    def __post_init__(self) -> None:
        self.validate()

    @classmethod
    def create(cls, **fields: object) -> Task:
        """Make a new task and record `task.created` (loading from storage does not come through here)."""
        task = cls(**fields)  # type: ignore[arg-type]
        task.record_event(events.task_created(task))
        return task

    def validate(self) -> None:
        """Check the fields again (call after changing them, e.g. on PATCH)."""
        self.title = required_text(self.title, field="title", en="title", zh="任务名称")
        self.status = to_enum(TaskStatus, self.status, field="status")
        self.code = optional_text(self.code)
        self.description = optional_text(self.description)
        self.weight = to_decimal(self.weight, field="weight", en="weight", zh="权重")
        if self.weight <= 0:
            raise InvalidValue("weight must be greater than 0", "权重须大于0", field="weight")
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise InvalidValue(
                "due_date must not be before start_date", "完成时限不能早于开始日期", field="due_date"
            )
        if self.parent_id is not None and self.parent_id == self.id:
            raise InvalidValue(
                "a task cannot be its own parent", "任务不能以自身为上级任务", field="parent_id"
            )
        self.co_department_ids = list(dict.fromkeys(self.co_department_ids))
        if self.lead_department_id is not None and self.lead_department_id in self.co_department_ids:
            raise InvalidValue(
                "the lead department cannot also be a co-operating department",
                "牵头部门不能同时为配合部门",
                field="co_department_ids",
            )
        self.indicator_ids = list(dict.fromkeys(self.indicator_ids))

    @property
    def is_open(self) -> bool:
        """Not yet completed or cancelled."""
        return self.status in OPEN_STATUSES

    def transition(
        self,
        action: str,
        *,
        reason: str | None = None,
        children: Sequence[Task] = (),
        on: date,
        today: date,
        previous: Transition | None,
        by: str | None = None,
        at: datetime,
    ) -> Transition:
        """Move the task by `action` (start, complete, suspend, resume, cancel, reopen) effective on `on`.

        `previous` is the task's last move (None before any): `on` may not precede it nor be after `today`.
        `children` are the task's children as they stood on `on`: a parent completes only with none open.
        Returns the move to append to the task's history; records `task.status_changed`.
        """
        target, reason = checked_move(
            self.id, self.status, action, reason=reason, on=on, today=today, previous=previous
        )
        if action == "complete" and any(child.is_open for child in children):
            raise IllegalTransition(
                "a parent task cannot be completed while a child task is open",
                "下级任务尚未完成或取消，上级任务不能办结",
            )
        previous_status, self.status = self.status, target
        move = Transition(
            task_id=self.id,
            seq=previous.seq + 1 if previous is not None else 1,
            action=action,
            from_status=previous_status,
            to_status=target,
            on=on,
            reason=reason,
            by=by,
            at=at,
        )
        self.record_event(events.task_status_changed(move))
        return move

    def check_deletable(self, *, has_reports: bool, has_children: bool, has_requests: bool = False) -> None:
        """Refuse to delete a task with reports, children, or a supervision record — a move, an extension
        request, an urge (督办台账) (409): its history is never rewritten, nor removed."""
        if has_reports:
            raise NotDeletable("a task with progress reports cannot be deleted", "已有进展报告的任务不能删除")
        if has_children:
            raise NotDeletable("a task with child tasks cannot be deleted", "有下级任务的任务不能删除")
        if has_requests:
            raise NotDeletable(
                "a task with recorded moves, extension requests or urges cannot be deleted",
                "已有状态变更、延期申请或催办记录的任务不能删除",
            )


def is_leaf(children: Iterable[Task]) -> bool:
    """A task reported on directly: one without children, or whose children are all cancelled.

    This matches the tree, which reads a parent whose children are all cancelled as a leaf.
    """
    return all(child.status is TaskStatus.CANCELLED for child in children)


def check_parent(task: Task, parent: Task | None, parent_ancestor_ids: Iterable[str]) -> None:
    """Refuse a parent from another plan, or one that would close a cycle (the task itself or below it)."""
    if parent is None:
        return
    if parent.plan_id != task.plan_id:
        raise InvalidValue(
            "the parent task belongs to another plan", "上级任务属于其他规划", field="parent_id"
        )
    if parent.id == task.id or task.id in set(parent_ancestor_ids):
        raise InvalidValue(
            "the parent task cannot be the task itself or one of its descendants",
            "上级任务不能是任务自身或其下级任务",
            field="parent_id",
        )


def ancestor_ids(task_id: str | None, parent_of: Mapping[str, str | None]) -> list[str]:
    """Ids above `task_id`, nearest first, from a map of each task id to its parent id; stops at a cycle."""
    seen: list[str] = []
    current = parent_of.get(task_id) if task_id is not None else None
    while current is not None and current not in seen and current != task_id:
        seen.append(current)
        current = parent_of.get(current)
    return seen


# The status machine lives in domain.planning.status; its names are read from here too.
__all__ = [
    "ACTIONS_NEEDING_REASON",
    "ACTION_ZH",
    "MOVES",
    "OPEN_STATUSES",
    "STATUS_ZH",
    "Task",
    "TaskStatus",
    "Transition",
    "ancestor_ids",
    "check_parent",
    "is_leaf",
]
