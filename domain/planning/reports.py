"""Progress reports (进展报告): filed on open leaf tasks, returned (退回) by a planner, never deleted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from domain.planning import events
from domain.planning._values import optional_text, required_text, to_decimal
from domain.planning.history import TaskHistory, status_as_of
from domain.planning.period import Period
from domain.planning.status import OPEN_STATUSES, STATUS_ZH, TaskStatus, Transition
from domain.planning.tasks import Task
from domain.shared.clock import day_of
from domain.shared.errors import Conflict, IllegalTransition, InvalidValue
from domain.shared.ids import new_id


@dataclass(eq=False, kw_only=True)
class ProgressReport:
    """进展报告: a lead department's account of one month of a leaf task, with evidence (佐证材料)."""

    id: str = field(default_factory=new_id)
    task_id: str
    period: str  # `YYYY-MM`, kept as text: fixed width, so text order is month order
    percent: Decimal
    summary: str
    filed_at: datetime
    filed_by: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    attachment_ids: list[str] = field(default_factory=list)
    returned: bool = False
    return_comment: str | None = None
    returned_at: datetime | None = None
    returned_by: str | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check the fields: a `YYYY-MM` period, a percent 0–100, a summary."""
        self.period = str(Period.parse(self.period))
        self.percent = to_decimal(self.percent, field="percent", en="percent", zh="进度百分比")
        if not Decimal(0) <= self.percent <= Decimal(100):
            raise InvalidValue(
                "percent must be between 0 and 100", "进度百分比须在0到100之间", field="percent"
            )
        self.summary = required_text(self.summary, field="summary", en="summary", zh="进展情况")
        self.problems = optional_text(self.problems)
        self.next_steps = optional_text(self.next_steps)
        self.attachment_ids = list(dict.fromkeys(self.attachment_ids))


def file_report(
    task: Task,
    report: ProgressReport,
    *,
    is_leaf: bool,
    today: date,
    previous: Transition | None,
    at: datetime,
    history: TaskHistory | None = None,
    filed_on: date | None = None,
) -> Transition | None:
    """File `report` on `task` as on the day it was filed (`filed_on`, else its `filed_at`'s day): open leaf
    tasks only.

    Whether the task is open is judged on the filing day: its status then (from `history`, the task's moves;
    None when the report is filed today, whose status is the task's own). A report on a task not yet
    started starts it, on the first day of the report's period (not before the task's `previous` move),
    and returns that move (recorded at `at`) to append to the history; a task that was not started on the
    filing day but started later cannot take it. `suspended` is an open state, so a suspended task takes
    reports and stays suspended. A filing day after `today`, or a period after its month, is refused.
    """
    _check_belongs(task, report)
    if not is_leaf:
        raise Conflict(
            "a parent's progress is derived from its children: report on its leaf tasks",
            "上级任务的进度由下级任务汇总得出，请对末级任务填报进展",
        )
    filed_on = filed_on or day_of(report.filed_at)
    if filed_on > today:
        raise InvalidValue("a report cannot be filed in the future", "填报日期不能晚于今天", field="filed_on")
    period = Period.parse(report.period)
    if period > Period.of(filed_on):
        raise InvalidValue(
            "period must not be a month after the report was filed", "报告期不能晚于填报月份", field="period"
        )
    status = task.status if history is None else status_as_of(history.moves, filed_on)
    if status not in OPEN_STATUSES:
        raise IllegalTransition(
            f"progress is reported on open tasks only; on {filed_on.isoformat()} this task was {status}",
            f"只能对未办结、未取消的任务填报进展（{filed_on.isoformat()}任务状态：{STATUS_ZH[status]}）",
        )
    move = None
    if status is TaskStatus.NOT_STARTED:
        if task.status is not TaskStatus.NOT_STARTED:
            started = min((m.on for m in history.moves), default=filed_on) if history else filed_on
            raise IllegalTransition(
                f"the task started on {started.isoformat()}, after this report was filed "
                f"({filed_on.isoformat()}): a report cannot come before the task's start",
                f"该任务于{started.isoformat()}开始，晚于本报告的填报日期{filed_on.isoformat()}，"
                "进展报告不能早于任务开始",
            )
        start_on = date(period.year, period.month, 1)
        if previous is not None and previous.on > start_on:
            start_on = previous.on
        move = task.transition(
            "start", on=start_on, today=today, previous=previous, by=report.filed_by, at=at
        )
    task.record_event(events.task_progress_reported(task, report))
    return move


def return_report(task: Task, report: ProgressReport, *, comment: str, by: str | None, at: datetime) -> None:
    """退回: a planner sends `report` back with a comment; it no longer counts, the department files anew."""
    _check_belongs(task, report)
    if report.returned:
        raise IllegalTransition("this report has already been returned", "该进展报告已被退回")
    report.return_comment = required_text(comment, field="comment", en="a comment", zh="退回意见")
    report.returned, report.returned_at, report.returned_by = True, at, by
    task.record_event(events.task_report_returned(task, report))


def _check_belongs(task: Task, report: ProgressReport) -> None:
    if report.task_id != task.id:
        raise InvalidValue("the report belongs to another task", "该进展报告不属于此任务", field="task_id")
