"""Chains (产业链): the zone's industry chains, in groups (数字经济, 新能源)."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Response

from domain.chains.handlers import chains
from domain.identity.policy import Action
from services.api.deps import UowDep
from services.api.etag import IfMatch
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.chains import ChainIn, ChainOut, ChainPatch
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1/chains", tags=["chains"])


@router.get("", response_model=Page[Item(ChainOut)])
async def list_chains(page: PageDep, uow: unit_for(Action.READ), group: str | None = None):
    """List chains, optionally of one group."""
    filters = {"group": group}
    rows = await chains.list_chains(group, after=page.after_key(filters), limit=page.limit, uow=uow)
    return page.page(rows, listed(ChainOut, rows), key=lambda c: [c.id], filters=filters)


@router.post("", status_code=201, response_model=ChainOut)
async def create_chain(body: ChainIn, response: Response, uow: unit_for(Action.CHAIN_CREATE)):
    """Add a chain (no chief yet)."""
    chain = await chains.create_chain(body.model_dump(), uow=uow)
    return single(response, ChainOut, chain)


@router.get("/{chain_id}", response_model=ChainOut)
async def get_chain(chain_id: str, response: Response, uow: unit_for(Action.READ)):
    """Read one chain."""
    return single(response, ChainOut, await chains.get_chain(chain_id, uow=uow))


@router.patch("/{chain_id}", response_model=ChainOut)
async def patch_chain(
    chain_id: str,
    body: ChainPatch,
    if_match: IfMatch,
    response: Response,
    principal: requires(Action.CHAIN_WRITE),
    uow: UowDep,
):
    """Change a chain's fields (If-Match required); its chief, the general chief or an admin."""
    chain = await chains.update_chain(
        chain_id,
        body.model_dump(exclude_unset=True),
        principal=principal,
        uow=uow,
        today=uow.clock.today(),
        expect=if_match.against(partial(represent, ChainOut)),
    )
    return single(response, ChainOut, chain)
