"""The successor plan (后续规划): the next plan, started from one that ended (DOMAIN.md)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from domain.identity.policy import Action
from domain.planning.handlers import successor
from services.api.representation import single
from services.api.schemas.planning import PlanOut, SuccessorIn
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/plans", tags=["planning"])


@router.post("/{plan_id}/successor", status_code=201, response_model=PlanOut)
async def create_successor(
    plan_id: str,
    body: SuccessorIn,
    response: Response,
    uow: unit_for(Action.PLAN_WRITE),
):
    """Add the plan after this one: its indicators with baselines from this plan's last figures and no
    targets yet, and with `carry_over` the tasks open on this plan's last day, each linked to its origin."""
    plan = await successor.create_successor(plan_id, body.model_dump(), today=uow.clock.today(), uow=uow)
    response.headers["Location"] = f"/api/v1/plans/{plan.id}"
    return single(response, PlanOut, plan)
