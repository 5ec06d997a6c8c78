"""The successor plan (后续规划): the next plan, started from the one that ended (planning/successor.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.planning.handlers.common import as_they_stood, get_plan
from domain.planning.plan import Plan
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.successor import (
    carried_tasks,
    check_can_carry,
    last_day,
    successor_indicators,
    successor_plan,
)


async def create_successor(
    plan_id: str, data: dict[str, Any], *, today: date, uow: PlanningUnitOfWork
) -> Plan:
    """Add the plan after `plan_id`: its indicators based on the old plan's last figures, and with
    `carry_over` its tasks still open at the end; the old plan, its history and evaluations untouched."""
    old = await get_plan(plan_id, uow=uow)
    plan = successor_plan(old, title=data["title"], start_year=data["start_year"], end_year=data["end_year"])
    carry_over = bool(data.get("carry_over"))
    if carry_over:
        check_can_carry(old, today=today)
    old_indicators = await uow.indicators.of_plan(old.id)
    observations = await uow.observations.of_indicators(
        [i.id for i in old_indicators], until_year=max((i.target_year for i in old_indicators), default=0)
    )
    indicators = successor_indicators(plan, old_indicators, observations)
    uow.plans.add(plan)
    await uow.flush()  # the plan first: its indicators and tasks refer to it
    for indicator in indicators.values():
        uow.indicators.add(indicator)
    if carry_over:
        end = last_day(old)
        records = await uow.tasks.records_of_plans([old.id])
        records = await as_they_stood(
            records, on=end, today=today, uow=uow, ids=uow.tasks.ids_of_plan(old.id)
        )
        successors = {old_id: indicator.id for old_id, indicator in indicators.items()}
        for task in carried_tasks(plan, records, indicator_ids=successors):
            uow.tasks.add(task)
    await uow.commit()
    return plan
