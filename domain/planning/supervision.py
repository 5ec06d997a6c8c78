"""Supervision (督办): overdue, warning lights (红黄绿灯), escalation, divergence — derived on a date."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.planning.assessment import AssessmentStatus
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task, TaskStatus
from domain.shared.errors import InvalidValue

HUNDRED = Decimal(100)
DIVERGENCE_PROGRESS = Decimal(80)  # DOMAIN.md: "a task ≥ 80 % done whose indicator is off_track"


@dataclass(frozen=True, slots=True)
class SupervisionThresholds:
    """督办阈值: the configurable thresholds of the warning light and the escalation ladder."""

    yellow_lag_points: Decimal = Decimal(20)
    due_soon_days: int = 14
    due_soon_progress: Decimal = Decimal(80)
    notified_after_days: int = 30
    interviewed_after_days: int = 90

    def __post_init__(self) -> None:
        if self.yellow_lag_points < 0 or self.due_soon_days < 0 or not 0 <= self.due_soon_progress <= HUNDRED:
            raise InvalidValue("warning thresholds out of range", "预警阈值超出范围")
        if not 0 <= self.notified_after_days <= self.interviewed_after_days:
            raise InvalidValue(
                "notified_after_days must be between 0 and interviewed_after_days",
                "通报天数须不小于0且不大于约谈天数",
                field="notified_after_days",
            )


class WarningLight(StrEnum):
    """红黄绿灯: the task's light; `done` for completed or cancelled tasks."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    DONE = "done"


SEVERITY = {WarningLight.DONE: 0, WarningLight.GREEN: 1, WarningLight.YELLOW: 2, WarningLight.RED: 3}


class Escalation(StrEnum):
    """督办升级: how far an overdue task has been escalated."""

    NONE = "none"
    REMINDED = "reminded"
    URGED = "urged"
    NOTIFIED = "notified"  # 通报
    INTERVIEWED = "interviewed"  # 约谈


def is_overdue(task: Task, on: date) -> bool:
    """逾期: past the due date and neither completed nor cancelled."""
    return task.is_open and task.due_date is not None and on > task.due_date


def expected_progress(task: Task, on: date) -> Decimal | None:
    """The elapsed share of [start, due] on `on`, in points 0–100; None when a date is missing."""
    elapsed = _elapsed(task, on)
    return None if elapsed is None else HUNDRED * elapsed[0] / elapsed[1]


def own_warning(task: Task, progress: Decimal, on: date, thresholds: SupervisionThresholds) -> WarningLight:
    """The light of the task alone; a rule needing a missing date does not apply (so: green)."""
    if not task.is_open:
        return WarningLight.DONE
    if is_overdue(task, on):
        return WarningLight.RED
    elapsed = _elapsed(task, on)
    # expected − progress > lag, multiplied out by the span so that no rounded quotient decides a light
    if elapsed is not None and HUNDRED * elapsed[0] > (progress + thresholds.yellow_lag_points) * elapsed[1]:
        return WarningLight.YELLOW
    if task.due_date is not None:
        days_left = (task.due_date - on).days
        if 0 <= days_left <= thresholds.due_soon_days and progress < thresholds.due_soon_progress:
            return WarningLight.YELLOW
    return WarningLight.GREEN


def _elapsed(task: Task, on: date) -> tuple[int, int] | None:
    """(days elapsed, days of [start, due]) clamped to 0–1 of it; a one-day task is all due from its day."""
    if task.start_date is None or task.due_date is None:
        return None
    elapsed, span = (on - task.start_date).days, (task.due_date - task.start_date).days
    if elapsed >= span:
        return (1, 1)
    return (0, 1) if elapsed <= 0 else (elapsed, span)


def most_severe(lights: Iterable[WarningLight]) -> WarningLight:
    """Red > yellow > green > done; `done` when there is none."""
    return max(lights, key=SEVERITY.__getitem__, default=WarningLight.DONE)


def escalation(task: Task, on: date, thresholds: SupervisionThresholds) -> Escalation:
    """The escalation of `task` on `on`: by days overdue; `urged` once a planner has urged it at all."""
    if not is_overdue(task, on):
        return Escalation.NONE
    days_overdue = (on - task.due_date).days  # type: ignore[operator]
    if days_overdue > thresholds.interviewed_after_days:
        return Escalation.INTERVIEWED
    if days_overdue > thresholds.notified_after_days:
        return Escalation.NOTIFIED
    return Escalation.URGED if task.urge_count > 0 else Escalation.REMINDED


@dataclass(frozen=True, slots=True)
class Divergence:
    """背离: a task at least 80 % done whose indicator is off track — the work and the figure disagree."""

    task_id: str
    indicator_id: str


def divergences(
    progress_by_task: Iterable[tuple[Task, Decimal]], status_by_indicator: Mapping[str, AssessmentStatus]
) -> list[Divergence]:
    """Each (task, indicator) where the task is ≥ 80 % done and contributes to an `off_track` indicator.

    Cancelled tasks are left out: they no longer claim to move the indicator.
    """
    return [
        Divergence(task.id, indicator_id)
        for task, progress in progress_by_task
        if task.status is not TaskStatus.CANCELLED and progress >= DIVERGENCE_PROGRESS
        for indicator_id in task.indicator_ids
        if status_by_indicator.get(indicator_id) is AssessmentStatus.OFF_TRACK
    ]


@dataclass(frozen=True, slots=True)
class Attention:
    """待办提醒: why a department should look at its task first — returned, urged, or due within 14 days."""

    returned: bool
    urged: bool
    due_soon: bool

    @property
    def needed(self) -> bool:
        return self.returned or self.urged or self.due_soon


def attention(
    task: Task,
    *,
    latest_filed: ProgressReport | None,
    last_urged_at: datetime | None,
    on: date,
    thresholds: SupervisionThresholds,
) -> Attention:
    """Why to look first: the last report was returned, urged since, or due within 14 days (or past)."""
    return Attention(
        returned=latest_filed is not None and latest_filed.returned,
        urged=last_urged_at is not None and (latest_filed is None or last_urged_at > latest_filed.filed_at),
        due_soon=task.due_date is not None and (task.due_date - on).days <= thresholds.due_soon_days,
    )


def inbox_key(task: Task, flags: Attention) -> list[str]:
    """The order of a department's inbox (我的任务): needing attention first, then by due date, then by id."""
    return [
        "0" if flags.needed else "1",
        task.due_date.isoformat() if task.due_date else "9999-12-31",
        task.id,
    ]
