"""What every planning handler needs: loading by id (404) and the task trees of plans on a date."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date

from domain.planning.indicators import Indicator
from domain.planning.plan import Plan
from domain.planning.progress import TaskNode, TaskTree, build_tree
from domain.planning.supervision import SupervisionThresholds
from domain.planning.tasks import Task
from domain.shared.errors import InvalidValue, NotFound

THRESHOLDS = SupervisionThresholds()  # DOMAIN.md's defaults


def missing(kind_en: str, kind_zh: str, ident: str) -> NotFound:
    return NotFound(f"no {kind_en} {ident}", f"{kind_zh} {ident} 不存在")


async def get_plan(plan_id: str, *, uow) -> Plan:
    plan = await uow.plans.get(plan_id)
    if plan is None:
        raise missing("plan", "规划", plan_id)
    return plan


async def get_task(task_id: str, *, uow) -> Task:
    task = await uow.tasks.get(task_id)
    if task is None:
        raise missing("task", "任务", task_id)
    return task


async def get_indicator(indicator_id: str, *, uow) -> Indicator:
    indicator = await uow.indicators.get(indicator_id)
    if indicator is None:
        raise missing("indicator", "指标", indicator_id)
    return indicator


async def referenced_plan(plan_id: str, *, uow) -> Plan:
    """The plan a body names: unknown is a bad field (422), not a missing resource."""
    plan = await uow.plans.get(plan_id)
    if plan is None:
        raise InvalidValue(f"no plan {plan_id}", f"规划 {plan_id} 不存在", field="plan_id")
    return plan


async def trees_of(
    plan_ids: Collection[str], *, on: date, uow, until_period: str | None = None
) -> dict[str, TaskTree]:
    """Each plan's tree on `on`: one query for the tasks, one for the latest reports, rolled up in memory."""
    plan_ids = sorted(set(plan_ids))
    if not plan_ids:
        return {}
    tasks = await uow.tasks.of_plans(plan_ids)
    reports = await uow.progress_reports.latest_per_task(plan_ids, until_period=until_period)
    task_plan = {task.id: task.plan_id for task in tasks}
    by_plan: dict[str, tuple[list, list]] = {plan_id: ([], []) for plan_id in plan_ids}
    for task in tasks:
        by_plan[task.plan_id][0].append(task)
    for report in reports:
        by_plan[task_plan[report.task_id]][1].append(report)
    return {
        plan_id: build_tree(plan_tasks, plan_reports, on=on, thresholds=THRESHOLDS)
        for plan_id, (plan_tasks, plan_reports) in by_plan.items()
    }


async def plan_tree_of(plan_id: str, *, on: date, uow, until_period: str | None = None) -> TaskTree:
    """One plan's tree on `on` read as plain records (for showing, not changing): as `trees_of`, faster."""
    tasks = await uow.tasks.records_of_plans([plan_id])
    reports = await uow.progress_reports.latest_records(plan_ids=[plan_id], until_period=until_period)
    return build_tree(tasks, reports, on=on, thresholds=THRESHOLDS)


async def nodes_of(tasks: Collection[Task], *, on: date, uow) -> list[TaskNode]:
    """The tree nodes (progress, light, overdue, escalation on `on`) of the given tasks, in their order.

    A node depends only on its task and the tasks below it (progress and light roll up from there), so
    only those subtrees are read, never the whole plan. Each returned node holds the task given.
    """
    if not tasks:
        return []
    ids = [task.id for task in tasks]
    records = await uow.tasks.subtree_records(ids)
    reports = await uow.progress_reports.latest_records(subtrees_of=ids)
    plan_of = {record.id: record.plan_id for record in records}
    tree = build_tree(records, reports, on=on, thresholds=THRESHOLDS)
    if (
        any(root.task.parent_id in tree.nodes for root in tree.roots)
        or any(task.id not in tree.nodes for task in tasks)
        or any(plan_of.get(r.parent_id, r.plan_id) != r.plan_id for r in records)
    ):
        # Bad data no handler lets in: a parent cycle (only the whole plan's tree knows where it is cut)
        # or a parent in another plan (no plan's tree shows the child under it).
        trees = await trees_of({task.plan_id for task in tasks}, on=on, uow=uow)
        return [trees[task.plan_id].nodes[task.id] for task in tasks]
    return [replace(tree.nodes[task.id], task=task) for task in tasks]


async def node_of(task: Task, *, on: date, uow) -> TaskNode:
    """One task as the tree shows it on `on`."""
    return (await nodes_of([task], on=on, uow=uow))[0]
