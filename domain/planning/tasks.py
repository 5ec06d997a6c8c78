"""Task (任务): a node of the plan's decomposition, with its status machine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.planning._values import optional_text, required_text, to_decimal, to_enum
from domain.shared.errors import IllegalTransition, InvalidValue, NotDeletable
from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.ids import new_id


class TaskStatus(StrEnum):
    """任务状态."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED})

# action -> (the states it leaves from, the state it reaches), as DOMAIN.md's status machine draws it.
MOVES: dict[str, tuple[frozenset[TaskStatus], TaskStatus]] = {
    "start": (frozenset({TaskStatus.NOT_STARTED}), TaskStatus.IN_PROGRESS),
    "complete": (frozenset({TaskStatus.IN_PROGRESS}), TaskStatus.COMPLETED),
    "suspend": (frozenset({TaskStatus.IN_PROGRESS}), TaskStatus.SUSPENDED),
    "resume": (frozenset({TaskStatus.SUSPENDED}), TaskStatus.IN_PROGRESS),
    "cancel": (OPEN_STATUSES, TaskStatus.CANCELLED),
    "reopen": (frozenset({TaskStatus.COMPLETED}), TaskStatus.IN_PROGRESS),
}
ACTIONS_NEEDING_REASON = frozenset({"cancel", "reopen"})
STATUS_ZH = {
    "not_started": "未开始",
    "in_progress": "进行中",
    "suspended": "已暂停",
    "completed": "已完成",
    "cancelled": "已取消",
}
ACTION_ZH = {
    "start": "开始",
    "complete": "办结",
    "suspend": "暂停",
    "resume": "恢复",
    "cancel": "取消",
    "reopen": "重新打开",
}


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

    def __post_init__(self) -> None:
        self.validate()

    @classmethod
    def create(cls, **fields: object) -> Task:
        """Make a new task and record `task.created` (loading from storage does not come through here)."""
        task = cls(**fields)  # type: ignore[arg-type]
        task.record_event(
            DomainEvent(
                type="task.created",
                subject_type="task",
                subject_id=task.id,
                data={
                    "plan_id": task.plan_id,
                    "parent_id": task.parent_id,
                    "code": task.code,
                    "title": task.title,
                },
            )
        )
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
        self, action: str, *, reason: str | None = None, children: Sequence[Task] = (), on: date
    ) -> None:
        """Move the task by `action` (start, complete, suspend, resume, cancel, reopen); record the change."""
        if action not in MOVES:
            raise InvalidValue(
                f"unknown action {action!r}: use one of {', '.join(MOVES)}",
                f"未知操作{action!r}，可用操作：{', '.join(MOVES)}",
                field="action",
            )
        sources, target = MOVES[action]
        if self.status not in sources:
            allowed = sorted(sources)
            raise IllegalTransition(
                f"cannot {action} a task that is {self.status}: "
                f"{action} applies to {', '.join(allowed)} tasks only",
                f"任务{STATUS_ZH[self.status]}，不能{ACTION_ZH[action]}"
                f"（仅{'、'.join(STATUS_ZH[s] for s in allowed)}的任务可以{ACTION_ZH[action]}）",
            )
        # A reason is asked for only once the move itself is allowed: asking first would mislead.
        if action in ACTIONS_NEEDING_REASON:
            reason = required_text(reason, field="reason", en=f"a reason to {action}", zh="原因")
        else:
            reason = optional_text(reason)
        if action == "complete" and any(child.is_open for child in children):
            raise IllegalTransition(
                "a parent task cannot be completed while a child task is open",
                "下级任务尚未完成或取消，上级任务不能办结",
            )
        previous, self.status = self.status, target
        self.record_event(
            DomainEvent(
                type="task.status_changed",
                subject_type="task",
                subject_id=self.id,
                data={
                    "from": previous.value,
                    "to": target.value,
                    "action": action,
                    "reason": reason,
                    "on": on.isoformat(),
                },
            )
        )

    def check_deletable(self, *, has_reports: bool, has_children: bool, has_requests: bool = False) -> None:
        """Refuse to delete a task with reports, children, extension requests or urges (督办台账) (409)."""
        if has_reports:
            raise NotDeletable("a task with progress reports cannot be deleted", "已有进展报告的任务不能删除")
        if has_children:
            raise NotDeletable("a task with child tasks cannot be deleted", "有下级任务的任务不能删除")
        if has_requests:
            raise NotDeletable(
                "a task with extension requests or urges cannot be deleted",
                "已有延期申请或催办记录的任务不能删除",
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
