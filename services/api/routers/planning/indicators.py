"""Indicators (指标): Table 1, yearly observations (实际值), and the assessment of a year."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Path, Query, Response

from domain.identity.policy import Action
from domain.planning.handlers import indicators
from domain.planning.handlers.common import get_indicator
from services.api.etag import IfMatch, IfMatchHonoured
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.routers.planning.views import assessment_fields
from services.api.schemas.base import Item, Page
from services.api.schemas.planning import (
    AssessmentOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    ObservationIn,
    ObservationOut,
)
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/indicators", tags=["planning"])
# Whatever a year must be for a plan, it fits an integer column.
Year = Path(ge=1000, le=9999)


@router.get("", response_model=Page[Item(IndicatorOut)])
async def list_indicators(page: PageDep, uow: unit_for(Action.READ), plan_id: str | None = None):
    """List indicators in Table 1 order (by code)."""
    filters = {"plan_id": plan_id}
    rows = await indicators.indicators_page(plan_id, after=page.after(filters), limit=page.limit, uow=uow)
    return page.page(rows, listed(IndicatorOut, rows), key=lambda i: [i.code, i.id], filters=filters)


@router.post("", status_code=201, response_model=IndicatorOut)
async def create_indicator(body: IndicatorIn, response: Response, uow: unit_for(Action.PLAN_WRITE)):
    """Add an indicator to a plan."""
    return single(response, IndicatorOut, await indicators.create_indicator(body.model_dump(), uow=uow))


@router.get("/{indicator_id}", response_model=IndicatorOut)
async def get_indicator_route(indicator_id: str, response: Response, uow: unit_for(Action.READ)):
    """Read one indicator."""
    return single(response, IndicatorOut, await get_indicator(indicator_id, uow=uow))


@router.patch("/{indicator_id}", response_model=IndicatorOut)
async def patch_indicator(
    indicator_id: str,
    body: IndicatorPatch,
    if_match: IfMatch,
    response: Response,
    uow: unit_for(Action.PLAN_WRITE),
):
    """Change an indicator (If-Match required)."""
    indicator = await indicators.update_indicator(
        indicator_id,
        body.model_dump(exclude_unset=True),
        expect=if_match.against(partial(represent, IndicatorOut)),
        uow=uow,
    )
    return single(response, IndicatorOut, indicator)


@router.get("/{indicator_id}/observations", response_model=Page[Item(ObservationOut)])
async def list_observations(indicator_id: str, page: PageDep, uow: unit_for(Action.READ)):
    """The indicator's observations, by year."""
    filters = {"indicator_id": indicator_id}
    after = page.after_key(filters)
    rows = await indicators.observations_page(indicator_id, after=after, limit=page.limit, uow=uow)
    return page.page(rows, listed(ObservationOut, rows), key=lambda o: [o.year], filters=filters)


@router.put(
    "/{indicator_id}/observations/{year}",
    response_model=ObservationOut,
    responses={201: {"model": ObservationOut, "description": "Created: the year had no figure"}},
)
async def put_observation(
    indicator_id: str,
    body: ObservationIn,
    if_match: IfMatchHonoured,
    response: Response,
    uow: unit_for(Action.PLAN_WRITE),
    year: int = Year,
):
    """Set a plan year's figure: 201 when new, 200 replacing one (audit log keeps it); If-Match honoured."""
    observation, created = await indicators.record_observation(
        indicator_id,
        year,
        body.value,
        source=body.source,
        note=body.note,
        expect=if_match.against(partial(represent, ObservationOut)),
        uow=uow,
    )
    response.status_code = 201 if created else 200
    return single(response, ObservationOut, observation)


@router.get("/{indicator_id}/assessment", response_model=AssessmentOut)
async def assessment(
    indicator_id: str,
    uow: unit_for(Action.READ),
    year: int = Query(description="a year of the plan"),
):
    """Expected and actual value, completion ratio, status, projection, required growth, registry count."""
    return assessment_fields(await indicators.assess_indicator(indicator_id, year, uow=uow))
