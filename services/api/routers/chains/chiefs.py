"""链长制: the chief of each chain and the general chief (总链长), with the chiefs' history."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Response

from domain.chains.handlers import chiefs
from domain.identity.policy import Action
from services.api.deps import UowDep
from services.api.etag import IfMatchHonoured
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.chains import ChiefIn, ChiefOut
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1", tags=["chains"])


@router.get("/chains/{chain_id}/chief", response_model=ChiefOut)
async def get_chief(chain_id: str, response: Response, uow: unit_for(Action.READ)):
    """The chain's chief today (404 when it has none)."""
    return single(response, ChiefOut, await chiefs.current_chief(chain_id, uow=uow, today=uow.clock.today()))


@router.put("/chains/{chain_id}/chief", response_model=ChiefOut)
async def put_chief(
    chain_id: str,
    body: ChiefIn,
    if_match: IfMatchHonoured,
    response: Response,
    principal: requires(Action.CHIEF_ASSIGN),
    uow: UowDep,
):
    """Assign the chain's chief from `since` (today by default), ending the current one; If-Match honoured
    (against today's chief: with nobody in office any If-Match fails)."""
    today = uow.clock.today()
    assignment = await chiefs.assign_chain_chief(
        chain_id,
        body.user_id,
        body.since or today,
        uow=uow,
        assigned_by=principal.name,
        today=today,
        expect=if_match.against(partial(represent, ChiefOut)),
    )
    return single(response, ChiefOut, assignment)


@router.get("/chains/{chain_id}/chief-history", response_model=Page[Item(ChiefOut)])
async def chief_history(chain_id: str, page: PageDep, uow: unit_for(Action.READ)):
    """Every assignment of the chain, oldest first; `until` is null while active."""
    filters = {"chain_id": chain_id}
    rows = await chiefs.chief_history(chain_id, after=page.after_key(filters), limit=page.limit, uow=uow)
    return page.page(rows, listed(ChiefOut, rows), key=lambda a: [a.id], filters=filters)


@router.get("/general-chief", response_model=ChiefOut)
async def get_general_chief(response: Response, uow: unit_for(Action.READ)):
    """The general chief (总链长) today (404 when nobody is named)."""
    return single(response, ChiefOut, await chiefs.current_general_chief(uow=uow, today=uow.clock.today()))


@router.put("/general-chief", response_model=ChiefOut)
async def put_general_chief(
    body: ChiefIn,
    if_match: IfMatchHonoured,
    response: Response,
    principal: requires(Action.GENERAL_CHIEF_ASSIGN),
    uow: UowDep,
):
    """Name the general chief from `since` (today by default), ending the current one; If-Match honoured
    (against today's general chief: with nobody named any If-Match fails)."""
    today = uow.clock.today()
    assignment = await chiefs.assign_general_chief(
        body.user_id,
        body.since or today,
        uow=uow,
        assigned_by=principal.name,
        today=today,
        expect=if_match.against(partial(represent, ChiefOut)),
    )
    return single(response, ChiefOut, assignment)
