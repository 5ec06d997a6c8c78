"""Pools (培育库): the five cultivation pools and their members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from domain.cultivation.handlers import pools as handlers
from domain.cultivation.pools import PoolKind
from domain.identity.policy import Action
from services.api.deps import UowDep
from services.api.pagination import PageDep
from services.api.representation import listed, single
from services.api.schemas.base import Item, Page
from services.api.schemas.cultivation import PoolMemberIn, PoolMemberOut
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1/pools/{pool}/members", tags=["cultivation"])
# A plain string, so that an unknown pool is a 404 (API.md), not a 422; the five pools are listed here.
Pool = Annotated[str, Path(description="培育库: " + ", ".join(f"{k.value} ({k.zh})" for k in PoolKind))]


@router.get("", response_model=Page[Item(PoolMemberOut)])
async def list_members(pool: Pool, page: PageDep, uow: unit_for(Action.READ)):
    """List the pool's current members in order of entry (an unknown pool is a 404)."""
    rows = await handlers.members_page(pool, uow=uow, after=page.after_key({}), limit=page.limit)
    return page.page(rows, listed(PoolMemberOut, rows), key=lambda m: [m.id], filters={})


@router.post("", status_code=201, response_model=PoolMemberOut)
async def add_member(
    pool: Pool,
    body: PoolMemberIn,
    response: Response,
    uow: UowDep,
    principal: requires(Action.CULTIVATION_WRITE),
):
    """Put an enterprise in the pool today (409 when it is already in it)."""
    membership = await handlers.enter_pool(
        pool, body.enterprise_id, body.reason, uow=uow, by=principal.name, today=uow.clock.today()
    )
    return single(response, PoolMemberOut, membership)


@router.delete("/{enterprise_id}", status_code=204, response_class=Response)
async def remove_member(
    pool: Pool,
    enterprise_id: str,
    uow: unit_for(Action.CULTIVATION_WRITE),
    reason: str | None = None,
):
    """Take an enterprise out of the pool today; a relationship, so no If-Match (404 when not in it)."""
    await handlers.leave_pool(pool, enterprise_id, reason, uow=uow, today=uow.clock.today())
    return Response(status_code=204)
