"""招商目标 (精准招商): the companies a chain courts, and their stages from lead to production."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Response

from domain.chains.handlers import targets
from domain.chains.targets import TargetStage
from domain.identity.policy import Action
from services.api.deps import UowDep
from services.api.etag import IfMatch
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.chains import StageMoveIn, TargetIn, TargetOut, TargetPatch
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1", tags=["chains"])
Write = requires(Action.CHAIN_WRITE)


@router.get("/chains/{chain_id}/targets", response_model=Page[Item(TargetOut)])
async def list_targets(
    chain_id: str, page: PageDep, uow: unit_for(Action.READ), stage: TargetStage | None = None
):
    """List the chain's targets, optionally in one stage."""
    filters = {"chain_id": chain_id, "stage": stage}
    rows = await targets.list_targets(
        chain_id, stage, after=page.after_key(filters), limit=page.limit, uow=uow
    )
    return page.page(rows, listed(TargetOut, rows), key=lambda t: [t.id], filters=filters)


@router.post("/chains/{chain_id}/targets", status_code=201, response_model=TargetOut)
async def create_target(chain_id: str, body: TargetIn, response: Response, principal: Write, uow: UowDep):
    """Open a target at stage `lead`, entered on `stage_date` (today by default)."""
    target = await targets.create_target(
        chain_id, body.model_dump(), principal=principal, uow=uow, today=uow.clock.today()
    )
    return single(response, TargetOut, target)


@router.get("/targets/{target_id}", response_model=TargetOut)
async def get_target(target_id: str, response: Response, uow: unit_for(Action.READ)):
    """Read one target with its stage history."""
    return single(response, TargetOut, await targets.get_target(target_id, uow=uow))


@router.patch("/targets/{target_id}", response_model=TargetOut)
async def patch_target(
    target_id: str,
    body: TargetPatch,
    if_match: IfMatch,
    response: Response,
    principal: Write,
    uow: UowDep,
):
    """Change a target's company, node, investment, contact or note (If-Match required)."""
    target = await targets.update_target(
        target_id,
        body.model_dump(exclude_unset=True),
        principal=principal,
        uow=uow,
        today=uow.clock.today(),
        expect=if_match.against(partial(represent, TargetOut)),
    )
    return single(response, TargetOut, target)


@router.post("/targets/{target_id}/stage", response_model=TargetOut)
async def move_target(target_id: str, body: StageMoveIn, response: Response, principal: Write, uow: UowDep):
    """Move the target forward or drop it (backwards or out of a final stage: 409)."""
    target = await targets.move_target(
        target_id, body.stage, body.date, body.note, principal=principal, uow=uow, today=uow.clock.today()
    )
    return single(response, TargetOut, target)
