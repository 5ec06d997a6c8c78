"""The park-brain dashboard (园区大脑驾驶舱): lights, indicators, tiers and chains in one call, on one day."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Query

from domain.identity.policy import Action
from domain.integration.dashboard import dashboard
from services.api.routers.planning.views import evaluation_body
from services.api.schemas.base import IsoDate
from services.api.schemas.chains import ChainStatsOut
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/dashboard", tags=["integration"])


@router.get("")
async def read_dashboard(
    uow: unit_for(Action.READ),
    on: IsoDate | None = Query(
        default=None,
        alias="date",
        description="YYYY-MM-DD; today by default. Every part is taken on this day (`as_of`).",
    ),
) -> dict:
    """One call for the park brain's screen, every part on one day (`as_of`, `date` or today): the tasks as
    they stood (lights, statuses, escalations and key tasks from one tree, the same as the plan tree and
    `GET /tasks?date=` show), the indicators of that year, tiers against targets, chains and the targets
    that entered each stage that year up to that day (coverage is today's: links keep no dates)."""
    today = uow.clock.today()
    board = await dashboard(on=on or today, today=today, uow=uow)
    evaluation = evaluation_body(board.evaluation) if board.evaluation else None
    indicators = evaluation["indicators"] if evaluation else []
    return {
        "as_of": board.as_of.isoformat(),
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
            "year": board.as_of.year,
            "pipeline": board.pipeline,
            "items": [ChainStatsOut.model_validate(s).model_dump(mode="json") for s in board.chains],
        },
    }
