"""我的任务 (GET /api/v1/me/tasks): the mobile app's home for a department's staff."""

from __future__ import annotations

from fastapi import APIRouter

from domain.identity.policy import Action
from domain.planning.handlers.mine import my_tasks
from services.api.deps import UowDep
from services.api.pagination import PageDep
from services.api.representation import listed
from services.api.routers.planning.views import task_fields
from services.api.schemas.base import Item, Page
from services.api.schemas.planning import MyTaskOut
from services.api.security import requires

router = APIRouter(prefix="/api/v1/me", tags=["planning"])


@router.get("/tasks", response_model=Page[Item(MyTaskOut)])
async def list_my_tasks(page: PageDep, uow: UowDep, principal: requires(Action.OWN_ACCOUNT)):
    """Open tasks my department leads: returned, urged or due within 14 days first, then by due date."""
    filters = {"department_id": principal.department_id}
    after = page.after(filters)
    rows = await my_tasks(principal, on=uow.clock.today(), after=after, limit=page.limit, uow=uow)
    bodies = [
        {
            **task_fields(item.node),
            "returned": item.attention.returned,
            "urged": item.attention.urged,
            "due_soon": item.attention.due_soon,
        }
        for item in rows
    ]
    return page.page(rows, listed(MyTaskOut, bodies), key=lambda i: i.key, filters=filters)
