"""Plans (规划): create, change, the task tree on a date, and the evaluation of a year."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.planning.evaluation import Evaluation, as_of, evaluate
from domain.planning.handlers.common import (
    THRESHOLDS,
    as_they_stood,
    get_plan,
    plan_tree_of,
    reports_as_of,
)
from domain.planning.handlers.year_ends import stored_year_end_tree
from domain.planning.plan import Plan
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.progress import TaskTree, build_tree
from domain.shared.uow import Expectation

PLAN_FIELDS = ("title", "start_year", "end_year", "issuer", "issued")


async def create_plan(data: dict[str, Any], *, uow: PlanningUnitOfWork) -> Plan:
    """Add a plan (e.g. the 2021–2025 plan)."""
    plan = Plan(**{key: data[key] for key in PLAN_FIELDS if key in data})
    uow.plans.add(plan)
    await uow.commit()
    return plan


async def plans_page(*, after: str | None, limit: int, uow: PlanningUnitOfWork) -> list[Plan]:
    """A page of plans, in id (creation) order."""
    return await uow.plans.list_page(after=after, limit=limit)


async def update_plan(
    plan_id: str, changes: dict[str, Any], *, expect: Expectation, uow: PlanningUnitOfWork
) -> Plan:
    """Change a plan's title, years, issuer or issue date, as the caller expected it to be."""
    plan = await get_plan(plan_id, uow=uow)
    expect(plan)
    for key in PLAN_FIELDS:
        if key in changes:
            setattr(plan, key, changes[key])
    plan.validate()
    await uow.commit()
    return plan


async def plan_tree(plan_id: str, *, on: date, today: date, uow: PlanningUnitOfWork) -> tuple[Plan, TaskTree]:
    """规划任务树: the plan with its tasks nested, each with progress, light, overdue, escalation on `on`."""
    plan = await get_plan(plan_id, uow=uow)
    return plan, await plan_tree_of(plan.id, on=on, today=today, uow=uow)


async def evaluate_plan(
    plan_id: str, year: int, *, today: date, uow: PlanningUnitOfWork, on: date | None = None
) -> Evaluation:
    """规划评估 of `year` as of min(today, 31 Dec of the year) — or on the day `on` (the dashboard's) —:
    indicators of the year, and the tasks as they stood that day: key tasks, counts, divergences."""
    plan = await get_plan(plan_id, uow=uow)
    plan.check_year(year)
    day = as_of(year, today) if on is None else on
    # The registry's counts need nothing of the tasks: read side by side with them where the store can.
    tree, (registry_counts, not_counted) = await uow.side_by_side(
        lambda unit: _tree_on(plan.id, day, today=today, uow=unit),
        lambda unit: unit.live_indicators.tally(year),
    )
    indicators = await uow.indicators.of_plan(plan.id)
    observations = await uow.observations.of_indicators([i.id for i in indicators], until_year=year)
    return evaluate(
        plan,
        year,
        on=day,
        tree=tree,
        indicators=indicators,
        observations=observations,
        registry_counts=registry_counts,
        registry_not_counted=not_counted,
    )


async def _tree_on(plan_id: str, day: date, *, today: date, uow: PlanningUnitOfWork) -> TaskTree:
    """The plan's tree on `day`: a closed year's end stored whole needs neither history nor reports; else
    the tasks as they stood, with the roll-ups stored for the day standing for the nodes they cover."""
    tree = await stored_year_end_tree(plan_id, day, today=today, uow=uow)
    if tree is not None:
        return tree
    tree_tasks = await as_they_stood(
        await uow.tasks.records_of_plans([plan_id]),
        on=day,
        today=today,
        uow=uow,
        ids=uow.tasks.ids_of_plan(plan_id),
    )
    stored = await uow.task_rollups.of_plan_computed_for(plan_id, today) if day == today else {}
    if tree_tasks and len(stored) == len(tree_tasks):  # today's roll-ups of every task: no report read
        return build_tree(tree_tasks, (), on=day, thresholds=THRESHOLDS, stored=stored)
    reports = await uow.progress_reports.latest_records(plan_ids=[plan_id], as_of=reports_as_of(day, today))
    return build_tree(tree_tasks, reports, on=day, thresholds=THRESHOLDS)
