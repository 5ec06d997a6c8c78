"""Plans (规划): the plan record and its task tree on a date (the evaluation of a year: evaluation.py)."""

from __future__ import annotations

from datetime import date
from functools import partial

from fastapi import APIRouter, Query, Response

from domain.identity.policy import Action
from domain.planning.handlers import plans
from domain.planning.handlers.common import get_plan
from domain.planning.ports import PlanningUnitOfWork
from services.api.bulk import collector_paused, json_body
from services.api.etag import IfMatch
from services.api.pagination import PageDep
from services.api.representation import listed, represent, single
from services.api.routers.planning.views import nested_json
from services.api.schemas.base import IsoDate, Item, Page
from services.api.schemas.planning import PlanIn, PlanOut, PlanPatch, TreeOut
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/plans", tags=["planning"])


@router.get("", response_model=Page[Item(PlanOut)])
async def list_plans(page: PageDep, uow: unit_for(Action.READ)):
    """List plans."""
    rows = await plans.plans_page(after=page.after_key({}), limit=page.limit, uow=uow)
    return page.page(rows, listed(PlanOut, rows), key=lambda p: [p.id], filters={})


@router.post("", status_code=201, response_model=PlanOut)
async def create_plan(body: PlanIn, response: Response, uow: unit_for(Action.PLAN_WRITE)):
    """Add a plan."""
    return single(response, PlanOut, await plans.create_plan(body.model_dump(), uow=uow))


@router.get("/{plan_id}", response_model=PlanOut)
async def get_plan_route(plan_id: str, response: Response, uow: unit_for(Action.READ)):
    """Read one plan."""
    return single(response, PlanOut, await get_plan(plan_id, uow=uow))


@router.patch("/{plan_id}", response_model=PlanOut)
async def patch_plan(
    plan_id: str,
    body: PlanPatch,
    if_match: IfMatch,
    response: Response,
    uow: unit_for(Action.PLAN_WRITE),
):
    """Change a plan's title, years, issuer or issue month (If-Match required)."""
    plan = await plans.update_plan(
        plan_id,
        body.model_dump(exclude_unset=True),
        expect=if_match.against(partial(represent, PlanOut)),
        uow=uow,
    )
    return single(response, PlanOut, plan)


@router.get("/{plan_id}/tree", response_model=TreeOut)
async def plan_tree(
    plan_id: str,
    uow: unit_for(Action.READ),
    on: IsoDate | None = Query(
        default=None,
        alias="date",
        description="YYYY-MM-DD; today by default. Each task as it stood that day (status, due date, urges, "
        "reports then); the tree's structure, titles and weights are today's.",
    ),
):
    """The plan's tasks nested, each with progress, light, status, overdue and escalation on the date."""
    with collector_paused():  # the tree's nodes hold no cycles: reference counting frees them
        today = uow.clock.today()
        return await _tree_json(plan_id, on or today, today, uow)


async def _tree_json(plan_id: str, on: date, today: date, uow: PlanningUnitOfWork) -> Response:
    """The tree's response, the tree itself freed on return (before the collector resumes: see
    routers/planning/evaluation.py). Built in TreeOut's JSON form directly: the model still documents it,
    but validating and dumping a plan of thousands of nested tasks through it would cost more than building
    the tree."""
    plan, tree = await plans.plan_tree(plan_id, on=on, today=today, uow=uow)
    return json_body({"plan": represent(PlanOut, plan), "tasks": nested_json(tree.roots)})
