"""Department workflow: extension requests (延期申请), decisions on them, urges (催办)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from domain.identity.policy import Action
from domain.planning.handlers import workflow
from services.api.deps import UowDep
from services.api.pagination import PageDep
from services.api.representation import listed, single
from services.api.schemas.base import Item, Page
from services.api.schemas.planning import DecisionIn, ExtensionIn, ExtensionOut, UrgeIn, UrgeOut
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1", tags=["planning"])


@router.get("/tasks/{task_id}/extension-requests", response_model=Page[Item(ExtensionOut)])
async def list_extension_requests(task_id: str, page: PageDep, uow: unit_for(Action.READ)):
    """The task's extension requests, oldest first, decided ones included."""
    filters = {"task_id": task_id}
    after = page.after_key(filters)
    rows = await workflow.extension_requests_of_task(task_id, after=after, limit=page.limit, uow=uow)
    return page.page(rows, listed(ExtensionOut, rows), key=lambda r: [r.id], filters=filters)


@router.post("/tasks/{task_id}/extension-requests", status_code=201, response_model=ExtensionOut)
async def request_extension(
    task_id: str,
    body: ExtensionIn,
    response: Response,
    uow: UowDep,
    principal: requires(Action.TASK_REPORT),
):
    """The lead department asks for a later due date, with a reason."""
    request = await workflow.request_extension(
        task_id, body.new_due_date, body.reason, principal=principal, now=uow.clock.now(), uow=uow
    )
    return single(response, ExtensionOut, request)


@router.get("/extension-requests/{request_id}", response_model=ExtensionOut)
async def get_extension_request(request_id: str, response: Response, uow: unit_for(Action.READ)):
    """Read one extension request."""
    return single(response, ExtensionOut, await workflow.get_extension_request(request_id, uow=uow))


@router.post("/extension-requests/{request_id}/decision", response_model=ExtensionOut)
async def decide_extension(
    request_id: str,
    body: DecisionIn,
    response: Response,
    uow: UowDep,
    principal: requires(Action.TASK_SUPERVISE),
):
    """Approve (the due date moves; the first one stays on record) or reject a pending request."""
    request = await workflow.decide_extension(
        request_id, body.approved, body.note, principal=principal, now=uow.clock.now(), uow=uow
    )
    return single(response, ExtensionOut, request)


@router.get("/tasks/{task_id}/urges", response_model=Page[Item(UrgeOut)])
async def list_urges(task_id: str, page: PageDep, uow: unit_for(Action.READ)):
    """The task's urges, oldest first."""
    filters = {"task_id": task_id}
    rows = await workflow.urges_of_task(task_id, after=page.after_key(filters), limit=page.limit, uow=uow)
    return page.page(rows, listed(UrgeOut, rows), key=lambda r: [r.id], filters=filters)


@router.post("/tasks/{task_id}/urges", status_code=201, response_model=UrgeOut)
async def urge(
    task_id: str,
    response: Response,
    uow: UowDep,
    principal: requires(Action.TASK_SUPERVISE),
    body: UrgeIn | None = None,
):
    """Urge an open task (the body and its `note` are optional); an overdue one then escalates as `urged`."""
    made = await workflow.urge_task(
        task_id, body.note if body else None, principal=principal, now=uow.clock.now(), uow=uow
    )
    return single(response, UrgeOut, made)
