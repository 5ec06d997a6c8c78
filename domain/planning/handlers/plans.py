"""Plans (规划): create, change, the task tree on a date, and the evaluation of a year."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.planning.evaluation import Evaluation, as_of, evaluate
from domain.planning.handlers.common import THRESHOLDS, get_plan, plan_tree_of
from domain.planning.period import Period
from domain.planning.plan import Plan
from domain.planning.progress import TaskTree

PLAN_FIELDS = ("title", "start_year", "end_year", "issuer", "issued")


async def create_plan(data: dict[str, Any], *, uow) -> Plan:
    """Add a plan (e.g. the 2021–2025 plan)."""
    plan = Plan(**{key: data[key] for key in PLAN_FIELDS if key in data})
    uow.plans.add(plan)
    await uow.commit()
    return plan


async def update_plan(plan: Plan, changes: dict[str, Any], *, uow) -> Plan:
    """Change a plan's title, years, issuer or issue date."""
    for key in PLAN_FIELDS:
        if key in changes:
            setattr(plan, key, changes[key])
    plan.validate()
    await uow.commit()
    return plan


async def plan_tree(plan_id: str, *, on: date, uow) -> tuple[Plan, TaskTree]:
    """规划任务树: the plan with its tasks nested, each with progress, light, overdue, escalation on `on`."""
    plan = await get_plan(plan_id, uow=uow)
    return plan, await plan_tree_of(plan.id, on=on, uow=uow)


async def evaluate_plan(plan_id: str, year: int, *, today: date, uow) -> Evaluation:
    """规划评估 of `year` as of min(today, 31 Dec of the year): indicators, key tasks, counts, divergences."""
    plan = await get_plan(plan_id, uow=uow)
    plan.check_year(year)
    day = as_of(year, today)
    tree_tasks = await uow.tasks.records_of_plans([plan.id])
    reports = await uow.progress_reports.latest_records(plan_ids=[plan.id], until_period=str(Period.of(day)))
    indicators = await uow.indicators.of_plan(plan.id)
    observations = await uow.observations.of_indicators([i.id for i in indicators], until_year=year)
    return evaluate(
        plan,
        year,
        today=today,
        tasks=tree_tasks,
        reports=reports,
        indicators=indicators,
        observations=observations,
        registry_counts=await uow.live_indicators.counts(year),
        thresholds=THRESHOLDS,
    )
