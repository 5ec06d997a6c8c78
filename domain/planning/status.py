"""A task's status machine and its history: each move (状态变更) dated on the day it took effect."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from domain.planning._values import optional_text, required_text
from domain.shared.errors import IllegalTransition, InvalidValue
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
class Transition:
    """状态变更: one move of a task, effective on `on` (recorded at `at`); appended, never rewritten.

    `seq` numbers a task's moves 1, 2, … so that moves dated the same day keep their order. `migrated`
    marks the one move the schema migration recorded for a task whose earlier moves left no record.
    """

    id: str = field(default_factory=new_id)
    task_id: str
    seq: int
    action: str
    from_status: TaskStatus
    to_status: TaskStatus
    on: date
    reason: str | None = None
    by: str | None = None
    at: datetime
    migrated: bool = False


def checked_move(
    task_id: str,
    status: TaskStatus,
    action: str,
    *,
    reason: str | None,
    on: date,
    today: date,
    previous: Transition | None,
) -> tuple[TaskStatus, str | None]:
    """The state `action` reaches from `status` on `on`, and the reason kept; refuse what the machine or the
    calendar does not allow: an unknown action (422), a move from the wrong state (409), a missing reason
    (422), a date in the future or before the task's previous move (422, `date`)."""
    if action not in MOVES:
        raise InvalidValue(
            f"unknown action {action!r}: use one of {', '.join(MOVES)}",
            f"未知操作{action!r}，可用操作：{', '.join(MOVES)}",
            field="action",
        )
    sources, target = MOVES[action]
    if status not in sources:
        allowed = sorted(sources)
        raise IllegalTransition(
            f"cannot {action} a task that is {status}: {action} applies to {', '.join(allowed)} tasks only",
            f"任务{STATUS_ZH[status]}，不能{ACTION_ZH[action]}"
            f"（仅{'、'.join(STATUS_ZH[s] for s in allowed)}的任务可以{ACTION_ZH[action]}）",
        )
    # A reason is asked for only once the move itself is allowed: asking first would mislead.
    if action in ACTIONS_NEEDING_REASON:
        reason = required_text(reason, field="reason", en=f"a reason to {action}", zh="原因")
    else:
        reason = optional_text(reason)
    check_effective_date(on, today=today, previous=previous)
    if previous is not None and previous.task_id != task_id:
        raise InvalidValue(
            "the previous move is of another task", "上一次状态变更不属于此任务", field="task_id"
        )
    return target, reason


def check_effective_date(on: date, *, today: date, previous: Transition | None) -> None:
    """A move takes effect today or earlier, never before the task's previous move (same day allowed)."""
    if on > today:
        raise InvalidValue(
            f"the date {on.isoformat()} is in the future: a move takes effect today or earlier",
            f"生效日期{on.isoformat()}晚于今天，状态变更只能记在今天或以前",
            field="date",
        )
    if previous is not None and on < previous.on:
        last = previous.on.isoformat()
        raise InvalidValue(
            f"the date may not precede {last}, the task's previous move ({previous.action}); "
            "history is appended, never rewritten",
            f"生效日期不得早于该任务上一次状态变更的日期{last}（{ACTION_ZH.get(previous.action, '')}），"
            "历史只能追加，不能改写",
            field="date",
        )
