"""The park-brain dashboard (园区大脑驾驶舱): lights, indicators, tiers and chains in one call."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter

from domain.identity.policy import Action
from domain.integration.dashboard import dashboard
from services.api.deps import ClockDep, UowDep
from services.api.routers.planning._views import evaluation_body
from services.api.schemas.chains import ChainStatsOut
from services.api.security import requires

router = APIRouter(prefix="/api/v1/dashboard", tags=["integration"])


@router.get("")
async def read_dashboard(uow: UowDep, clock: ClockDep, _: requires(Action.READ)) -> dict:
    """One call for the park brain's screen: tasks, indicators this year, tiers against targets, chains."""
    today = clock.today()
    board = await dashboard(today=today, uow=uow)
    evaluation = evaluation_body(board.evaluation) if board.evaluation else None
    indicators = evaluation["indicators"] if evaluation else []
    return {
        "as_of": today.isoformat(),
        "plan": {"id": board.plan.id, "title": board.plan.title, "year": board.year} if board.plan else None,
        "tasks": {
            "warning": evaluation["counts"]["warning"] if evaluation else {},
            "status": evaluation["counts"]["status"] if evaluation else {},
            "escalation": board.escalations,
            "key_tasks": evaluation["tasks"] if evaluation else [],
            "divergences": evaluation["divergences"] if evaluation else [],
        },
        "indicators": {
            "year": board.year,
            "status": dict(Counter(i["status"] for i in indicators)),
            "items": indicators,
        },
        "tiers": board.tiers,
        "chains": {
            "year": today.year,
            "pipeline": board.pipeline,
            "items": [ChainStatsOut.model_validate(s).model_dump(mode="json") for s in board.chains],
        },
    }
