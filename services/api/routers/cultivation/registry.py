"""The registry at once: screening a rule set over it, and the tier pyramid against the plan's targets."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from domain.cultivation.handlers import registry as handlers
from domain.identity.policy import Action
from services.api.deps import ClockDep, SettingsDep, UowDep
from services.api.routers.cultivation._bulk import collector_paused
from services.api.routers.cultivation._reads import read_log
from services.api.schemas.base import IsoDate
from services.api.schemas.cultivation import ScreeningIn, ScreeningOut, TierStatsOut
from services.api.security import requires

router = APIRouter(prefix="/api/v1", tags=["cultivation"])


@router.post("/screenings", response_model=ScreeningOut)
async def screen(
    body: ScreeningIn,
    request: Request,
    uow: UowDep,
    settings: SettingsDep,
    principal: requires(Action.CULTIVATION_WRITE),
):
    """Screen the registry: who passes the rule set for the year and does not hold the designation yet."""
    with collector_paused():
        result = await handlers.run_screening(
            body.rule_set,
            body.year,
            uow=uow,
            principal=principal,
            record_reads=read_log(uow, request.app.state.session_factory),
            cny_per_usd=settings.cny_per_usd,
        )
        # Built by the domain in the documented shape; validating tens of thousands of candidates again
        # through the response model would double the time (the model still documents it).
        return JSONResponse(result)


@router.get("/stats/tiers", response_model=TierStatsOut)
async def tier_stats(uow: UowDep, clock: ClockDep, _: requires(Action.READ), date: IsoDate | None = None):
    """Active enterprises by tier and by designation on a date (default today), beside the plan's targets."""
    with collector_paused():
        return await handlers.tier_statistics(date or clock.today(), uow=uow)
