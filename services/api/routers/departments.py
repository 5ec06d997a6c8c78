"""Departments (部门): who leads and co-operates on the plan's tasks."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Response

from domain.identity.handlers import accounts
from domain.identity.policy import Action
from services.api.etag import IfMatch
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.identity import DepartmentIn, DepartmentOut, DepartmentPatch
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/departments", tags=["identity"])


@router.get("", response_model=Page[Item(DepartmentOut)])
async def list_departments(page: PageDep, uow: unit_for(Action.READ)):
    """List departments."""
    rows = await accounts.departments_page(after=page.after_key({}), limit=page.limit, uow=uow)
    return page.page(rows, listed(DepartmentOut, rows), key=lambda d: [d.id], filters={})


@router.post("", status_code=201, response_model=DepartmentOut)
async def create_department(body: DepartmentIn, response: Response, uow: unit_for(Action.DEPARTMENT_WRITE)):
    """Add a department."""
    department = await accounts.create_department(body.model_dump(), uow=uow)
    return single(response, DepartmentOut, department)


@router.get("/{department_id}", response_model=DepartmentOut)
async def get_department(department_id: str, response: Response, uow: unit_for(Action.READ)):
    """Read one department."""
    return single(response, DepartmentOut, await accounts.get_department(department_id, uow=uow))


@router.patch("/{department_id}", response_model=DepartmentOut)
async def patch_department(
    department_id: str,
    body: DepartmentPatch,
    if_match: IfMatch,
    response: Response,
    uow: unit_for(Action.DEPARTMENT_WRITE),
):
    """Rename or re-code a department (If-Match required)."""
    department = await accounts.update_department(
        department_id,
        body.model_dump(exclude_unset=True),
        uow=uow,
        expect=if_match.against(partial(represent, DepartmentOut)),
    )
    return single(response, DepartmentOut, department)
