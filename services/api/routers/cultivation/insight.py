"""One enterprise explained: its tier history, its eligibility under every rule set, its R&D reward."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from domain.cultivation.handlers import insight as handlers
from domain.identity.policy import Action
from infrastructure.read_log import read_log
from services.api.deps import SettingsDep, UowDep
from services.api.schemas.cultivation import EligibilityOut, RdRewardOut, TierHistoryOut
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1/enterprises/{enterprise_id}", tags=["cultivation"])
Year = Annotated[int, Query(ge=1990, le=2100, description="fiscal year evaluated, 1990–2100")]


@router.get("/tier-history", response_model=TierHistoryOut)
async def tier_history(enterprise_id: str, uow: unit_for(Action.READ)):
    """The tier changes its certifications made (issue, expiry, revocation), oldest first, as items."""
    return {"items": await handlers.tier_history_of(enterprise_id, uow=uow), "next_cursor": None}


@router.get("/eligibility", response_model=EligibilityOut)
async def eligibility(
    enterprise_id: str,
    year: Year,
    request: Request,
    uow: UowDep,
    settings: SettingsDep,
    principal: requires(Action.READ),
):
    """Every rule set's result for year Y, criterion by criterion (actuals null without read_sensitive)."""
    return await handlers.eligibility(
        enterprise_id,
        year,
        uow=uow,
        principal=principal,
        record_reads=read_log(uow, request.app.state.session_factory),
        cny_per_usd=settings.cny_per_usd,
    )


@router.get("/rd-reward", response_model=RdRewardOut)
async def rd_reward(
    enterprise_id: str, year: Year, request: Request, uow: UowDep, principal: requires(Action.READ)
):
    """The R&D reward rule for year Y: intensity and ceiling (null without read_sensitive)."""
    return await handlers.rd_reward_of(
        enterprise_id,
        year,
        uow=uow,
        principal=principal,
        record_reads=read_log(uow, request.app.state.session_factory),
    )
