"""Department workflow (牵头/配合): extension requests (延期申请) and urges (催办)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.planning import events
from domain.planning._values import optional_text, required_text, to_enum
from domain.planning.tasks import Task
from domain.shared.errors import Conflict, IllegalTransition, InvalidValue
from domain.shared.ids import new_id


class ExtensionStatus(StrEnum):
    """延期申请状态."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(eq=False, kw_only=True)
class ExtensionRequest:
    """延期申请: the lead department asks to move a task's due date; a planner approves or rejects."""

    id: str = field(default_factory=new_id)
    task_id: str
    new_due_date: date
    reason: str
    requested_by: str | None = None
    requested_at: datetime | None = None
    status: ExtensionStatus = ExtensionStatus.PENDING
    decided_by: str | None = None
    note: str | None = None
    decided_at: datetime | None = None

    def __post_init__(self) -> None:
        self.reason = required_text(self.reason, field="reason", en="a reason", zh="延期理由")
        self.status = to_enum(ExtensionStatus, self.status, field="status")

    @classmethod
    def request(
        cls, task: Task, *, new_due_date: date, reason: str, requested_by: str | None, at: datetime
    ) -> ExtensionRequest:
        """Ask for `new_due_date` on an open task: after the task's start date and its current due date."""
        if not task.is_open:
            raise IllegalTransition(
                f"an extension is asked for open tasks only; this task is {task.status}",
                f"只能对未办结、未取消的任务申请延期（当前状态：{task.status}）",
            )
        problem = _date_problem(task, new_due_date)
        if problem:
            raise InvalidValue(*problem, field="new_due_date")
        return cls(
            task_id=task.id,
            new_due_date=new_due_date,
            reason=reason,
            requested_by=requested_by,
            requested_at=at,
        )

    def decide(self, task: Task, *, approved: bool, by: str | None, note: str | None, at: datetime) -> None:
        """Approve (the task's due date moves, the first one stays in `original_due_date`) or reject, once."""
        if task.id != self.task_id:
            raise InvalidValue(
                "the request belongs to another task", "该延期申请不属于此任务", field="task_id"
            )
        if self.status is not ExtensionStatus.PENDING:
            raise IllegalTransition(
                f"this request has already been {self.status}", f"该延期申请已{self.status}"
            )
        previous_due_date = task.due_date
        if approved:
            problem = _date_problem(task, self.new_due_date)
            if problem:  # the task's dates moved since the request was made
                raise Conflict(*problem)
            if task.original_due_date is None:
                task.original_due_date = task.due_date
            task.due_date = self.new_due_date
        self.status = ExtensionStatus.APPROVED if approved else ExtensionStatus.REJECTED
        self.decided_by, self.note, self.decided_at = by, optional_text(note), at
        task.record_event(
            events.task_extension_decided(task, self, previous_due_date=previous_due_date, at=at)
        )


def _date_problem(task: Task, new_due_date: date) -> tuple[str, str] | None:
    if task.start_date is not None and new_due_date <= task.start_date:
        return ("the new due date must be after the task's start date", "新的完成时限须晚于任务开始日期")
    if task.due_date is not None and new_due_date <= task.due_date:
        return ("the new due date must be after the current due date", "新的完成时限须晚于现有完成时限")
    return None


@dataclass(eq=False, kw_only=True)
class Urge:
    """催办: a planner's nudge on an open task, kept for the supervision ledger."""

    id: str = field(default_factory=new_id)
    task_id: str
    note: str | None = None
    by: str | None = None
    at: datetime


def urge(task: Task, *, note: str | None, by: str | None, at: datetime) -> Urge:
    """催办 an open task: count it on the task (it turns `reminded` into `urged`) and record `task.urged`."""
    if not task.is_open:
        raise IllegalTransition(
            f"only open tasks can be urged; this task is {task.status}",
            f"只能催办未办结、未取消的任务（当前状态：{task.status}）",
        )
    made = Urge(task_id=task.id, note=optional_text(note), by=by, at=at)
    task.urge_count += 1
    task.record_event(events.task_urged(task, made))
    return made
