"""Tasks (任务): the plan's decomposition, with status, progress, light, overdue and escalation on a day."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from domain.identity.policy import Action
from domain.planning.handlers import history, tasks
from domain.planning.supervision import Escalation, WarningLight
from domain.planning.tasks import TaskStatus
from services.api.bulk import collector_paused
from services.api.deps import UowDep
from services.api.etag import IfMatch
from services.api.pagination import PageDep
from services.api.representation import listed, single
from services.api.routers.planning.views import task_body, task_fields
from services.api.schemas.base import IsoDate, Item, Page
from services.api.schemas.history import TaskHistoryOut
from services.api.schemas.planning import TaskIn, TaskOut, TaskPatch, TransitionIn
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1/tasks", tags=["planning"])
AsOf = Annotated[
    IsoDate | None,
    Query(
        alias="date",
        description="YYYY-MM-DD: the state as of that day (status, due date, urges, reports then); today "
        "by default. The plan's structure, titles and weights are today's.",
    ),
]


@router.get("", response_model=Page[Item(TaskOut)])
async def list_tasks(
    page: PageDep,
    uow: unit_for(Action.READ),
    plan_id: str | None = None,
    parent_id: str | None = None,
    root: bool | None = None,
    lead_department_id: str | None = None,
    status: TaskStatus | None = None,
    warning: WarningLight | None = None,
    overdue: bool | None = None,
    escalation: Escalation | None = None,
    q: str | None = None,
    on: AsOf = None,
):
    """List tasks; `root=true` gives the key tasks. With `date`, every task as it stood that day (its status,
    due date, urges and reports then); `status`, `warning`, `overdue` and `escalation` are taken that day."""
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
    today, bound = uow.clock.today(), filters | {"date": on.isoformat() if on else None}
    after = page.after_key(bound)
    with collector_paused():  # a parent's node reads its whole subtree: up to a plan's thousands of tasks
        rows, nodes = await tasks.list_tasks(
            filters, after=after, limit=page.limit, on=on or today, today=today, uow=uow
        )
    return page.page(
        rows, listed(TaskOut, [task_fields(n) for n in nodes]), key=lambda t: [t.id], filters=bound
    )


@router.post("", status_code=201, response_model=TaskOut)
async def create_task(body: TaskIn, response: Response, uow: unit_for(Action.PLAN_WRITE)):
    """Add a task to a plan (under a parent of the same plan)."""
    node = await tasks.add_task(body.model_dump(), today=uow.clock.today(), uow=uow)
    return single(response, TaskOut, task_fields(node))


@router.get("/{task_id}", response_model=TaskOut)
async def get_task_route(task_id: str, response: Response, uow: unit_for(Action.READ), on: AsOf = None):
    """Read one task with what is derived of it today — or, with `date`, the task as it stood that day."""
    today = uow.clock.today()
    node = await tasks.read_task(task_id, on=on or today, today=today, uow=uow)
    return single(response, TaskOut, task_fields(node))


@router.patch("/{task_id}", response_model=TaskOut)
async def patch_task(
    task_id: str,
    body: TaskPatch,
    if_match: IfMatch,
    response: Response,
    uow: unit_for(Action.PLAN_WRITE),
):
    """Change a task's fields: parent, departments, dates, weight, indicators (If-Match required)."""
    node = await tasks.change_task(
        task_id,
        body.model_dump(exclude_unset=True),
        expect=if_match.against(task_body),
        today=uow.clock.today(),
        uow=uow,
    )
    return single(response, TaskOut, task_fields(node))


@router.delete("/{task_id}", status_code=204, response_class=Response)
async def delete_task(task_id: str, if_match: IfMatch, uow: unit_for(Action.PLAN_WRITE)):
    """Delete a task without reports, children, moves, extension requests or urges (If-Match required)."""
    await tasks.delete_task(task_id, expect=if_match.against(task_body), today=uow.clock.today(), uow=uow)
    return Response(status_code=204)


@router.post("/{task_id}/transitions", response_model=TaskOut)
async def transition(
    task_id: str,
    body: TransitionIn,
    response: Response,
    uow: UowDep,
    principal: requires(Action.TASK_RUN),
):
    """Start, suspend, resume, complete (lead department or planner); cancel, reopen (planner, reason).

    `date` (default today) is the day the move took effect: not in the future, not before the task's
    previous move; a parent completes only if none of its children was open that day.
    """
    node = await tasks.transition_task(
        task_id,
        body.action,
        reason=body.reason,
        principal=principal,
        on=body.on,
        today=uow.clock.today(),
        now=uow.clock.now(),
        uow=uow,
    )
    return single(response, TaskOut, task_fields(node))


@router.get("/{task_id}/history", response_model=TaskHistoryOut)
async def task_history_route(task_id: str, uow: unit_for(Action.READ)):
    """The task's history in date order: its moves (dated on the day they took effect), progress reports,
    returned reports, urges and extension decisions, each with its `kind` and `date` (DOMAIN.md, History)."""
    task, entries = await history.task_history(task_id, uow=uow)
    items = [{"kind": e.kind, "date": e.date, "at": e.at, **e.details} for e in entries]
    return {"task_id": task.id, "items": items}
