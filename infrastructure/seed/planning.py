"""Seed loader of the planning context: the plan, its key tasks and Table 1 (data/plan.yaml); idempotent.

The plan is matched by title, tasks by (plan, code), indicators by (plan, code): what exists is left as it
is (a planner may have changed it since), only what is missing is added — a second run writes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.planning.indicators import Indicator
from domain.planning.plan import Plan
from domain.planning.tasks import Task
from infrastructure.seed import DATA
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

SEED_FILE = DATA / "plan.yaml"
# The plan assigns no dates to its tasks: each runs over the whole plan period.
TASK_START, TASK_DUE = date(2021, 1, 1), date(2025, 12, 31)
BASELINE_YEAR, TARGET_YEAR = 2020, 2025


def load() -> dict[str, Any]:
    return yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))


async def seed(session_factory: async_sessionmaker) -> int:
    """Add what is missing; return how many records were written."""
    data = load()
    async with SqlAlchemyUnitOfWork(session_factory, actor="seed") as uow:
        plan = await uow.plans.by_title(data["plan"]["title"])
        tasks: dict[str, Task] = {}
        indicator_codes: set[int] = set()
        written = 0
        if plan is None:
            plan = Plan(**data["plan"])
            uow.plans.add(plan)
            # Without ORM relationships the flush does not order plans before the rows that name them.
            await uow.flush()
            written += 1
        else:
            tasks = await uow.tasks.codes_of(plan.id)
            indicator_codes = {indicator.code for indicator in await uow.indicators.of_plan(plan.id)}
        written += _add_tasks(uow, plan, data["tasks"], None, tasks)
        for row in data["indicators"]:
            if row["code"] not in indicator_codes:
                uow.indicators.add(_indicator(plan, row))
                written += 1
        if written:
            await uow.commit()
        return written


def _add_tasks(uow, plan: Plan, nodes: list[dict], parent: Task | None, existing: dict[str, Task]) -> int:
    """Add the missing tasks of `nodes` and their children, parents first; return how many were added."""
    written = 0
    for node in nodes:
        task = existing.get(str(node["code"]))
        if task is None:
            task = Task.create(
                plan_id=plan.id,
                parent_id=parent.id if parent else None,
                code=str(node["code"]),
                title=node["title"],
                description=node.get("description"),
                start_date=TASK_START,
                due_date=TASK_DUE,
            )
            uow.tasks.add(task)
            written += 1
        written += _add_tasks(uow, plan, node.get("children") or [], task, existing)
    return written


def _indicator(plan: Plan, row: dict[str, Any]) -> Indicator:
    return Indicator(
        plan_id=plan.id,
        code=row["code"],
        area=row["area"],
        name=row["name"],
        unit=row["unit"],
        baseline_year=BASELINE_YEAR,
        baseline_value=row["baseline_value"],
        target_year=TARGET_YEAR,
        target_value=row["target_value"],
        nature=row["nature"],
        direction=row["direction"],
        note=row.get("note"),
    )
