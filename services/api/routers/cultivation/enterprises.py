"""Enterprises (企业名录): the registry of the zone's enterprises, each with its tier of the day."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from domain.cultivation.designations import DESIGNATIONS
from domain.cultivation.enterprises import EnterpriseStatus
from domain.cultivation.handlers import enterprises as handlers
from domain.cultivation.handlers.enterprises import EnterpriseView
from domain.cultivation.pools import PoolKind
from domain.cultivation.tiers import Tier
from domain.identity.policy import Action
from services.api.etag import IfMatch, etag_of
from services.api.pagination import PageDep
from services.api.representation import represent, single
from services.api.schemas.base import Item, Page
from services.api.schemas.cultivation import EnterpriseIn, EnterpriseOut, EnterprisePatch, enterprise_fields
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/enterprises", tags=["cultivation"])
Designation = Literal[DESIGNATIONS]  # type: ignore[valid-type]


def body_of(view: EnterpriseView) -> dict:
    """The enterprise as the caller sees it (with today's tier)."""
    return represent(EnterpriseOut, enterprise_fields(view))


def _single(response: Response, view: EnterpriseView) -> EnterpriseOut:
    return single(response, EnterpriseOut, enterprise_fields(view))


@router.get("", response_model=Page[Item(EnterpriseOut)])
async def list_enterprises(
    page: PageDep,
    uow: unit_for(Action.READ),
    tier: Annotated[Tier | None, Query(description="tier today")] = None,
    designation: Annotated[Designation | None, Query(description="a designation held today")] = None,
    pool: Annotated[PoolKind | None, Query(description="currently in this pool")] = None,
    cluster: str | None = None,
    status: EnterpriseStatus | None = None,
    chain_id: Annotated[str | None, Query(description="linked to a node of this chain")] = None,
    q: Annotated[str | None, Query(max_length=200, description="in name, aliases or credit code")] = None,
):
    """List enterprises, filtered; `tier` and `designation` are those of today."""
    filters = {
        "tier": tier,
        "designation": designation,
        "pool": pool,
        "cluster": cluster,
        "status": status,
        "chain_id": chain_id,
        "q": q,
    }
    views = await handlers.list_enterprises(
        filters, uow=uow, today=uow.clock.today(), after=page.after_key(filters), limit=page.limit
    )
    items = [{**body, "etag": etag_of(body)} for body in map(body_of, views)]
    return page.page(views, items, key=lambda v: [v.enterprise.id], filters=filters)


@router.post("", status_code=201, response_model=EnterpriseOut)
async def register_enterprise(
    body: EnterpriseIn, response: Response, uow: unit_for(Action.CULTIVATION_WRITE)
):
    """Register an enterprise (`tier` is derived, never written)."""
    view = await handlers.register_enterprise(body.model_dump(exclude_unset=True), uow=uow)
    return _single(response, view)


@router.get("/{enterprise_id}", response_model=EnterpriseOut)
async def get_enterprise(enterprise_id: str, response: Response, uow: unit_for(Action.READ)):
    """Read one enterprise with its tier today."""
    return _single(response, await handlers.enterprise_view(enterprise_id, uow=uow, today=uow.clock.today()))


@router.patch("/{enterprise_id}", response_model=EnterpriseOut)
async def patch_enterprise(
    enterprise_id: str,
    body: EnterprisePatch,
    if_match: IfMatch,
    response: Response,
    uow: unit_for(Action.CULTIVATION_WRITE),
):
    """Change an enterprise (If-Match required; `tier` is not a field)."""
    view = await handlers.change_enterprise(
        enterprise_id,
        body.model_dump(exclude_unset=True),
        uow=uow,
        today=uow.clock.today(),
        expect=if_match.against(body_of),
    )
    return _single(response, view)
