"""Keeping and reading the year-end roll-ups (domain/planning/year_ends.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

from domain.planning.handlers.common import plan_tree_of
from domain.planning.plan import Plan
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.year_ends import Stood, closed_year_ends, year_end_differences, year_end_of


async def _plans(uow: PlanningUnitOfWork) -> AsyncIterator[Plan]:
    after = None
    while page := await uow.plans.list_page(after=after, limit=100):
        for plan in page:
            yield plan
        after = page[-1].id


async def refresh_year_ends(today: date, *, uow: PlanningUnitOfWork) -> int:
    """Store, for each plan, each closed year's end that has not every task's row (the daily sweep's part;
    the caller commits). Returns how many rows were written."""
    written = 0
    async for plan in _plans(uow):
        days = closed_year_ends(plan.start_year, plan.end_year, today)
        if not days:
            continue
        count = len(await uow.tasks.records_of_plans([plan.id]))
        kept = await uow.task_year_ends.days_of_plan(plan.id)
        for day in days:
            if count and kept.get(day) != count:
                await uow.task_year_ends.hold(plan.id)
                tree = await plan_tree_of(plan.id, on=day, today=today, uow=uow, use_stored=False)
                await uow.task_year_ends.replace(plan.id, day, [year_end_of(node, day) for node in tree])
                written += len(tree.nodes)
    return written


async def stored_year_end(plan_id: str, day: date, *, today: date, uow: PlanningUnitOfWork) -> Stood | None:
    """The plan's tasks as they stood on `day` and their rows, when `day` is a past 31 December whose rows
    are stored for every task of the plan (else None: replay)."""
    if day >= today or (day.month, day.day) != (12, 31):
        return None
    return await uow.task_year_ends.stood_on(plan_id, day)


async def year_end_rows_differences(today: date, *, uow: PlanningUnitOfWork) -> list[str]:
    """Each stored year-end row that differs from its plan's tree replayed for its day from the records."""
    found: list[str] = []
    async for plan in _plans(uow):
        for day in sorted(await uow.task_year_ends.days_of_plan(plan.id)):
            tree = await plan_tree_of(plan.id, on=day, today=today, uow=uow, use_stored=False)
            stored = await uow.task_year_ends.of_plan(plan.id, day)
            found += year_end_differences(
                stored.values(), {node.task.id: year_end_of(node, day) for node in tree}
            )
    return found
