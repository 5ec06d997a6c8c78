"""四图 and 招商考核: a chain's maps, and coverage, gaps and the pipeline of every chain in a year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from domain.chains.handlers import views
from domain.identity.policy import Action
from services.api.etag import with_etag
from services.api.pagination import PageDep
from services.api.schemas.base import Page
from services.api.schemas.chains import ChainMapOut, ChainOut, ChainStatsOut
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1", tags=["chains"])


@router.get("/chains/{chain_id}/map", response_model=ChainMapOut)
async def chain_map(chain_id: str, response: Response, uow: unit_for(Action.READ)):
    """产业链图 (nodes, enterprises, gaps, coverage) plus the 技术路线图, 应用领域图 and 区域分布图."""
    maps = await views.chain_maps(chain_id, uow=uow)
    body = ChainMapOut.model_validate(
        {
            "chain": ChainOut.model_validate(maps.chain),
            "coverage": maps.map.coverage,
            "gaps": list(maps.map.gaps),
            "nodes": maps.map.nodes,
            "technology_roadmap": maps.technology_roadmap,
            "application_fields": maps.application_fields,
            "cluster_distribution": maps.cluster_distribution,
        }
    ).model_dump(mode="json")
    return with_etag(response, body)


@router.get("/stats/chains", response_model=Page[ChainStatsOut])
async def chain_stats(
    page: PageDep,
    uow: unit_for(Action.READ),
    year: Annotated[int | None, Query(ge=1990, le=2100, description="this year when omitted")] = None,
):
    """Each chain's coverage, gap count and the targets that entered each stage in `year`."""
    year = year or uow.clock.today().year
    filters = {"year": year}
    stats = await views.stats_page(year, after=page.after_key(filters), limit=page.limit, uow=uow)
    items = [ChainStatsOut.model_validate(s).model_dump(mode="json") for s in stats]
    return page.page(stats, items, key=lambda s: [s.chain_id], filters=filters)
