"""The registry at once: screening a rule set over it, and the tier pyramid against the plan's targets."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from domain.cultivation.handlers import registry as handlers
from domain.identity.policy import Action
from infrastructure.read_log import read_log
from services.api.bulk import collector_paused
from services.api.deps import SettingsDep, UowDep
from services.api.schemas.base import IsoDate
from services.api.schemas.cultivation import ScreeningIn, ScreeningOut, TierStatsOut
from services.api.security import requires, unit_for

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
        return Response(_encode(result), media_type="application/json")


def _encode(result: dict) -> bytes:
    """The bytes JSONResponse would send, candidate by candidate, letting each go once it is written.

    A screening can show thirty thousand candidates (9 MB of JSON): encoding them whole would hold the
    dicts, the whole text and its bytes at once, a worker's peak memory.
    """
    candidates = result.pop("candidates")
    head = _dumps(result)[:-1] + ("," if result else "") + '"candidates":['
    parts = [head.encode()]
    for n in range(len(candidates)):
        if n:
            parts.append(b",")
        parts.append(_dumps(candidates[n]).encode())
        candidates[n] = None
    parts.append(b"]}")
    return b"".join(parts)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


@router.get("/stats/tiers", response_model=TierStatsOut)
async def tier_stats(uow: unit_for(Action.READ), date: IsoDate | None = None):
    """Active enterprises by tier and by designation on a date (default today), beside the plan's targets."""
    with collector_paused():
        today = uow.clock.today()
        return await handlers.tier_statistics(date or today, today=today, uow=uow)
