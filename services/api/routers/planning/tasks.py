"""Tasks (任务): the plan's decomposition, with status, progress, light, overdue and escalation for today."""

from __future__ import annotations

from fastapi import APIRouter, Response

from domain.identity.policy import Action
from domain.planning.handlers import tasks
from domain.planning.handlers.common import get_task, node_of
from domain.planning.supervision import Escalation, WarningLight
from domain.planning.tasks import TaskStatus
from services.api.bulk import collector_paused
from services.api.deps import ClockDep, UowDep
from services.api.etag import IfMatch, etag_of
from services.api.pagination import PageDep
from services.api.representation import listed, single
from services.api.routers.planning._views import task_body, task_fields
from services.api.schemas.base import Item, Page
from services.api.schemas.planning import TaskIn, TaskOut, TaskPatch, TransitionIn
from services.api.security import requires

router = APIRouter(prefix="/api/v1/tasks", tags=["planning"])


@router.get("", response_model=Page[Item(TaskOut)])
async def list_tasks(
    page: PageDep,
    uow: UowDep,
    clock: ClockDep,
    _: requires(Action.READ),
    plan_id: str | None = None,
    parent_id: str | None = None,
    root: bool | None = None,
    lead_department_id: str | None = None,
    status: TaskStatus | None = None,
    warning: WarningLight | None = None,
    overdue: bool | None = None,
    escalation: Escalation | None = None,
    q: str | None = None,
):
    """List tasks; `root=true` gives the key tasks, `warning`/`overdue`/`escalation` are taken for today."""
    filters = {
        "plan_id": plan_id,
        "parent_id": parent_id,
        "root": root,
        "lead_department_id": lead_department_id,
        "status": status,
        "warning": warning,
        "overdue": overdue,
        "escalation": escalation,
        "q": q,
    }
    after, today = page.after_key(filters), clock.today()
    with collector_paused():  # a parent's node reads its whole subtree: up to a plan's thousands of tasks
        rows, nodes = await tasks.list_tasks(filters, after=after, limit=page.limit, on=today, uow=uow)
    return page.page(
        rows, listed(TaskOut, [task_fields(n) for n in nodes]), key=lambda t: [t.id], filters=filters
    )


@router.post("", status_code=201, response_model=TaskOut)
async def create_task(
    body: TaskIn, response: Response, uow: UowDep, clock: ClockDep, _: requires(Action.PLAN_WRITE)
):
    """Add a task to a plan (under a parent of the same plan)."""
    task = await tasks.create_task(body.model_dump(), uow=uow)
    return single(response, TaskOut, task_fields(await node_of(task, on=clock.today(), uow=uow)))


@router.get("/{task_id}", response_model=TaskOut)
async def get_task_route(
    task_id: str, response: Response, uow: UowDep, clock: ClockDep, _: requires(Action.READ)
):
    """Read one task with its derived status for today."""
    task = await get_task(task_id, uow=uow)
    return single(response, TaskOut, task_fields(await node_of(task, on=clock.today(), uow=uow)))


@router.patch("/{task_id}", response_model=TaskOut)
async def patch_task(
    task_id: str,
    body: TaskPatch,
    if_match: IfMatch,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    _: requires(Action.PLAN_WRITE),
):
    """Change a task's fields: parent, departments, dates, weight, indicators (If-Match required)."""
    task = await get_task(task_id, uow=uow)
    if_match.check(etag_of(task_body(await node_of(task, on=clock.today(), uow=uow))))
    task = await tasks.update_task(task, body.model_dump(exclude_unset=True), uow=uow)
    return single(response, TaskOut, task_fields(await node_of(task, on=clock.today(), uow=uow)))


@router.delete("/{task_id}", status_code=204, response_class=Response)
async def delete_task(
    task_id: str, if_match: IfMatch, uow: UowDep, clock: ClockDep, _: requires(Action.PLAN_WRITE)
):
    """Delete a task without reports, children, extension requests or urges (If-Match required)."""
    task = await get_task(task_id, uow=uow)
    if_match.check(etag_of(task_body(await node_of(task, on=clock.today(), uow=uow))))
    await tasks.delete_task(task, uow=uow)
    return Response(status_code=204)


@router.post("/{task_id}/transitions", response_model=TaskOut)
async def transition(
    task_id: str,
    body: TransitionIn,
    response: Response,
    uow: UowDep,
    clock: ClockDep,
    principal: requires(Action.TASK_RUN),
):
    """Start, suspend, resume, complete (lead department or planner); cancel, reopen (planner, reason)."""
    task = await get_task(task_id, uow=uow)
    task = await tasks.transition_task(
        task, body.action, reason=body.reason, principal=principal, on=clock.today(), uow=uow
    )
    return single(response, TaskOut, task_fields(await node_of(task, on=clock.today(), uow=uow)))
