"""Progress reports (进展报告) with evidence attachments (佐证材料), and returning them (退回)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.identity.policy import Action, Principal, ResourceFacts, authorize
from domain.planning.attachments import Attachment
from domain.planning.handlers.common import get_task, missing
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.reports import ProgressReport, file_report, return_report
from domain.planning.tasks import Task, is_leaf
from domain.shared.errors import InvalidValue

REPORT_FIELDS = ("period", "percent", "summary", "problems", "next_steps", "attachment_ids")


async def reports_of_task(
    task_id: str, *, after: str | None, limit: int, uow: PlanningUnitOfWork
) -> list[ProgressReport]:
    """A page of the task's reports in filing order, returned ones included (404 for an unknown task)."""
    task = await get_task(task_id, uow=uow)
    return await uow.progress_reports.of_task(task.id, after=after, limit=limit)


async def report_on_task(
    task_id: str,
    data: dict[str, Any],
    *,
    principal: Principal,
    now: datetime,
    today: date,
    uow: PlanningUnitOfWork,
) -> ProgressReport:
    """A report on the task by id (`report_progress`)."""
    task = await get_task(task_id, uow=uow)
    return await report_progress(task, data, principal=principal, now=now, today=today, uow=uow)


async def report_progress(
    task: Task,
    data: dict[str, Any],
    *,
    principal: Principal,
    now: datetime,
    today: date,
    uow: PlanningUnitOfWork,
) -> ProgressReport:
    """The lead department files a report on an open leaf task; a `not_started` task starts (on the first
    day of the report's period)."""
    authorize(principal, Action.TASK_REPORT, ResourceFacts(lead_department_id=task.lead_department_id))
    values = {key: data[key] for key in REPORT_FIELDS if data.get(key) is not None}
    report = ProgressReport(task_id=task.id, filed_at=now, filed_by=principal.name, **values)
    if unknown := await uow.attachments.unknown(report.attachment_ids):
        raise InvalidValue(
            f"no attachment {', '.join(sorted(unknown))}",
            f"佐证材料 {', '.join(sorted(unknown))} 不存在",
            field="attachment_ids",
        )
    leaf = is_leaf(await uow.tasks.children_of(task.id))
    previous = await uow.task_transitions.last_of(task.id)
    move = file_report(task, report, is_leaf=leaf, today=today, previous=previous, at=now, filed_on=today)
    if move is not None:
        uow.task_transitions.add(move)
    uow.progress_reports.add(report)
    await uow.commit()
    return report


async def get_report(report_id: str, *, uow: PlanningUnitOfWork) -> ProgressReport:
    """The progress report by id (404 when unknown)."""
    report = await uow.progress_reports.get(report_id)
    if report is None:
        raise missing("progress report", "进展报告", report_id)
    return report


async def return_progress_report(
    report_id: str, comment: str, *, principal: Principal, now: datetime, uow: PlanningUnitOfWork
) -> ProgressReport:
    """退回: a planner sends a report back with a comment; it stops counting toward progress."""
    report = await get_report(report_id, uow=uow)
    task = await get_task(report.task_id, uow=uow)
    return_report(task, report, comment=comment, by=principal.name, at=now)
    await uow.commit()
    return report


async def upload_attachment(
    name: str,
    content_type: str,
    content: bytes,
    *,
    principal: Principal,
    now: datetime,
    max_bytes: int,
    uow: PlanningUnitOfWork,
) -> Attachment:
    """Keep an evidence file: type checked against its bytes, size limited, sha256 kept."""
    attachment = Attachment.upload(
        name=name, content_type=content_type, content=content, by=principal.name, at=now, max_bytes=max_bytes
    )
    uow.attachments.add(attachment)
    await uow.commit()
    return attachment


async def get_attachment(attachment_id: str, *, uow: PlanningUnitOfWork) -> Attachment:
    """The evidence file by id, its content included (404 when unknown)."""
    attachment = await uow.attachments.get(attachment_id)
    if attachment is None:
        raise missing("attachment", "佐证材料", attachment_id)
    return attachment
