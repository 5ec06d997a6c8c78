"""Keeping and reading the year-end roll-ups (domain/planning/year_ends.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

from domain.planning.handlers.common import THRESHOLDS, plan_tree_of
from domain.planning.plan import Plan
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.progress import TaskTree, build_tree
from domain.planning.year_ends import closed_year_ends, year_end_differences, year_end_of


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


async def stored_year_end_tree(
    plan_id: str, day: date, *, today: date, uow: PlanningUnitOfWork
) -> TaskTree | None:
    """The plan's tree on `day` built from its stored rows, when `day` is a past 31 December whose rows are
    stored for every task of the plan (else None: replay): the tree kept under the day's stamp, else built
    from the tasks as they stood and their rows (no report read) and kept.

    The stamp is read before the rows: a tree is kept under a stamp only from rows read after it, so a write
    that replaces or forgets the rows in between leaves at worst a tree under a stamp no longer stored."""
    if day >= today or (day.month, day.day) != (12, 31):
        return None
    stamp = await uow.task_year_ends.stamp(plan_id, day)
    if stamp is None:
        return None
    tree = uow.year_end_trees.get(plan_id, day, stamp)
    if tree is None:
        stood = await uow.task_year_ends.stood_on(plan_id, day)
        if stood is None:
            return None
        records, rows = stood
        tree = build_tree(records, (), on=day, thresholds=THRESHOLDS, stored=rows)
        uow.year_end_trees.put(plan_id, day, stamp, tree)
    return tree


async def year_end_rows_differences(today: date, *, uow: PlanningUnitOfWork) -> list[str]:
    """Each stored year-end row that differs from its plan's tree replayed for its day from the records, and
    each day stored without its stamp."""
    found: list[str] = []
    async for plan in _plans(uow):
        for day in sorted(await uow.task_year_ends.days_of_plan(plan.id)):
            if await uow.task_year_ends.stamp(plan.id, day) is None:
                found.append(f"plan {plan.id}: year-end rows for {day} stored without their stamp")
            tree = await plan_tree_of(plan.id, on=day, today=today, uow=uow, use_stored=False)
            stored = await uow.task_year_ends.of_plan(plan.id, day)
            found += year_end_differences(
                stored.values(), {node.task.id: year_end_of(node, day) for node in tree}
            )
    return found
