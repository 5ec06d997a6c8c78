"""The planning events, one constructor per type: the only place their `data` is shaped (the catalogue in
domain/integration/events.py says what each holds; tests/unit/test_event_constructors.py holds them to it).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.shared.events import DomainEvent

if TYPE_CHECKING:  # the entities import this module to raise their events
    from domain.planning.indicators import Indicator, Observation
    from domain.planning.reports import ProgressReport
    from domain.planning.status import Transition
    from domain.planning.tasks import Task
    from domain.planning.workflow import ExtensionRequest, Urge


def task_created(task: Task) -> DomainEvent:
    """`task.created`: a task was added to a plan."""
    return DomainEvent(
        type="task.created",
        subject_type="task",
        subject_id=task.id,
        data={"plan_id": task.plan_id, "parent_id": task.parent_id, "code": task.code, "title": task.title},
    )


def task_status_changed(move: Transition) -> DomainEvent:
    """`task.status_changed`: the move a task made in its status machine."""
    return DomainEvent(
        type="task.status_changed",
        subject_type="task",
        subject_id=move.task_id,
        data={
            "from": move.from_status.value,
            "to": move.to_status.value,
            "action": move.action,
            "reason": move.reason,
            "on": move.on.isoformat(),
        },
    )


def task_progress_reported(task: Task, report: ProgressReport) -> DomainEvent:
    """`task.progress_reported`: a lead department filed `report`."""
    return DomainEvent(
        type="task.progress_reported",
        subject_type="task",
        subject_id=task.id,
        data={
            "report_id": report.id,
            "period": report.period,
            "percent": str(report.percent),
            "filed_by": report.filed_by,
            "filed_at": report.filed_at.isoformat(),
        },
    )


def task_report_returned(task: Task, report: ProgressReport) -> DomainEvent:
    """`task.report_returned`: a planner returned `report` (退回), with its comment, by and at."""
    return DomainEvent(
        type="task.report_returned",
        subject_type="task",
        subject_id=task.id,
        data={
            "report_id": report.id,
            "period": report.period,
            "comment": report.return_comment,
            "returned_by": report.returned_by,
            "returned_at": report.returned_at.isoformat() if report.returned_at else None,
        },
    )


def task_extension_decided(
    task: Task, request: ExtensionRequest, *, previous_due_date: date | None, at: datetime
) -> DomainEvent:
    """`task.extension_decided`: a planner decided `request` at `at`; the due date was `previous_due_date`."""
    return DomainEvent(
        type="task.extension_decided",
        subject_type="task",
        subject_id=task.id,
        data={
            "request_id": request.id,
            "approved": request.status == "approved",
            "new_due_date": request.new_due_date.isoformat(),
            "previous_due_date": previous_due_date.isoformat() if previous_due_date else None,
            "note": request.note,
            "decided_by": request.decided_by,
        },
        occurred_at=at,
    )


def task_urged(task: Task, made: Urge) -> DomainEvent:
    """`task.urged`: a planner urged `task` (催办); dated when it was urged."""
    return DomainEvent(
        type="task.urged",
        subject_type="task",
        subject_id=task.id,
        data={"urge_id": made.id, "note": made.note, "by": made.by, "urge_count": task.urge_count},
        occurred_at=made.at,
    )


def task_overdue(task: Task) -> DomainEvent:
    """`task.overdue`: an open task passed its due date (raised by the daily sweep)."""
    return DomainEvent(
        type="task.overdue",
        subject_type="task",
        subject_id=task.id,
        data={
            "code": task.code,
            "title": task.title,
            "due_date": task.due_date.isoformat() if task.due_date else None,
            "lead_department_id": task.lead_department_id,
        },
    )


def indicator_observed(
    indicator: Indicator, observation: Observation, previous: Decimal | None
) -> DomainEvent:
    """`indicator.observed`: a year's figure of `indicator` was recorded or replaced `previous`."""
    return DomainEvent(
        type="indicator.observed",
        subject_type="indicator",
        subject_id=indicator.id,
        data={
            "observation_id": observation.id,
            "year": observation.year,
            "value": str(observation.value),
            "previous_value": None if previous is None else str(previous),
            "source": observation.source,
            "note": observation.note,
        },
    )
