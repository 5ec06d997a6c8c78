"""Department workflow: extension requests (延期申请) and their decisions, urges (催办)."""

from __future__ import annotations

from datetime import date, datetime

from domain.identity.policy import Action, Principal, ResourceFacts, authorize
from domain.planning.handlers.common import get_task, missing
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.workflow import ExtensionRequest, Urge, urge


async def extension_requests_of_task(
    task_id: str, *, after: str | None, limit: int, uow: PlanningUnitOfWork
) -> list[ExtensionRequest]:
    """A page of the task's extension requests, oldest first, decided ones included (404 for an unknown
    task)."""
    task = await get_task(task_id, uow=uow)
    return await uow.extension_requests.of_task(task.id, after=after, limit=limit)


async def request_extension(
    task_id: str,
    new_due_date: date,
    reason: str,
    *,
    principal: Principal,
    now: datetime,
    uow: PlanningUnitOfWork,
) -> ExtensionRequest:
    """The lead department asks to move an open task's due date, with a reason."""
    task = await get_task(task_id, uow=uow)
    authorize(principal, Action.TASK_REPORT, ResourceFacts(lead_department_id=task.lead_department_id))
    request = ExtensionRequest.request(
        task, new_due_date=new_due_date, reason=reason, requested_by=principal.name, at=now
    )
    uow.extension_requests.add(request)
    await uow.commit()
    return request


async def get_extension_request(request_id: str, *, uow: PlanningUnitOfWork) -> ExtensionRequest:
    """The extension request by id (404 when unknown)."""
    request = await uow.extension_requests.get(request_id)
    if request is None:
        raise missing("extension request", "延期申请", request_id)
    return request


async def decide_extension(
    request_id: str,
    approved: bool,
    note: str | None,
    *,
    principal: Principal,
    now: datetime,
    uow: PlanningUnitOfWork,
) -> ExtensionRequest:
    """A planner approves (the due date moves, the first one stays on record) or rejects, once."""
    request = await get_extension_request(request_id, uow=uow)
    task = await get_task(request.task_id, uow=uow)
    request.decide(task, approved=approved, by=principal.name, note=note, at=now)
    await uow.commit()
    return request


async def urges_of_task(
    task_id: str, *, after: str | None, limit: int, uow: PlanningUnitOfWork
) -> list[Urge]:
    """A page of the task's urges, oldest first (404 for an unknown task)."""
    task = await get_task(task_id, uow=uow)
    return await uow.urges.of_task(task.id, after=after, limit=limit)


async def urge_task(
    task_id: str, note: str | None, *, principal: Principal, now: datetime, uow: PlanningUnitOfWork
) -> Urge:
    """催办 an open task; an overdue one then escalates as `urged`."""
    task = await get_task(task_id, uow=uow)
    made = urge(task, note=note, by=principal.name, at=now)
    uow.urges.add(made)
    await uow.commit()
    return made
