"""What every planning handler needs: loading by id (404) and the task trees of plans on a date."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date
from typing import TypeVar

from domain.planning.history import TaskHistory, task_as_of
from domain.planning.indicators import Indicator
from domain.planning.plan import Plan
from domain.planning.ports import PlanningUnitOfWork, TaskIdSelection
from domain.planning.progress import ReportRecord, TaskNode, TaskRecord, TaskTree, build_tree
from domain.planning.rollups import node_of_rollup
from domain.planning.supervision import SupervisionThresholds
from domain.planning.tasks import Task
from domain.shared.errors import InvalidValue, NotFound

THRESHOLDS = SupervisionThresholds()  # DOMAIN.md's defaults
NO_HISTORY = TaskHistory()  # a task with nothing dated on or before the day asked
R = TypeVar("R")


def missing(kind_en: str, kind_zh: str, ident: str) -> NotFound:
    """The 404 of an unknown id, in both languages."""
    return NotFound(f"no {kind_en} {ident}", f"{kind_zh} {ident} 不存在")


async def get_plan(plan_id: str, *, uow: PlanningUnitOfWork) -> Plan:
    """The plan by id (404 when unknown)."""
    plan = await uow.plans.get(plan_id)
    if plan is None:
        raise missing("plan", "规划", plan_id)
    return plan


async def get_task(task_id: str, *, uow: PlanningUnitOfWork) -> Task:
    """The task by id (404 when unknown)."""
    task = await uow.tasks.get(task_id)
    if task is None:
        raise missing("task", "任务", task_id)
    return task


async def get_indicator(indicator_id: str, *, uow: PlanningUnitOfWork) -> Indicator:
    """The indicator by id (404 when unknown)."""
    indicator = await uow.indicators.get(indicator_id)
    if indicator is None:
        raise missing("indicator", "指标", indicator_id)
    return indicator


async def referenced_plan(plan_id: str, *, uow: PlanningUnitOfWork) -> Plan:
    """The plan a body names: unknown is a bad field (422), not a missing resource."""
    plan = await uow.plans.get(plan_id)
    if plan is None:
        raise InvalidValue(f"no plan {plan_id}", f"规划 {plan_id} 不存在", field="plan_id")
    return plan


def reports_as_of(on: date, today: date) -> date | None:
    """The day a report read counts on: None for today's reports (every one not returned) from today on."""
    return None if on >= today else on


async def as_they_stood(
    records: list[R], *, on: date, today: date, uow: PlanningUnitOfWork, ids: TaskIdSelection | None = None
) -> list[R]:
    """The tasks as they stood on `on` (history.task_as_of); from today on, their own fields are that.

    `ids` selects the same tasks as `records` (a query, so that a plan's ids need not be sent back).
    """
    if on >= today:
        return records
    histories = await uow.task_history.as_of([r.id for r in records] if ids is None else ids, on)
    return [task_as_of(record, histories.get(record.id, NO_HISTORY), on) for record in records]


async def trees_of(
    plan_ids: Collection[str], *, on: date, today: date, uow: PlanningUnitOfWork
) -> dict[str, TaskTree]:
    """Each plan's tree on `on`: one query for the tasks, one for the latest reports, rolled up in memory."""
    plan_ids = sorted(set(plan_ids))
    if not plan_ids:
        return {}
    return {plan_id: await plan_tree_of(plan_id, on=on, today=today, uow=uow) for plan_id in plan_ids}


async def plan_tree_of(
    plan_id: str, *, on: date, today: date, uow: PlanningUnitOfWork, use_stored: bool = True
) -> TaskTree:
    """One plan's tree on `on` read as plain records (for showing, not changing), tasks and reports as they
    stood that day. Today, when every task's stored roll-up is today's, the nodes are those (no report read).
    """
    tasks = await uow.tasks.records_of_plans([plan_id])
    if use_stored and on == today and tasks:
        stored = await uow.task_rollups.of_plan_computed_for(plan_id, today)
        if len(stored) == len(tasks):
            return build_tree(tasks, (), on=on, thresholds=THRESHOLDS, stored=stored)
    tasks = await as_they_stood(tasks, on=on, today=today, uow=uow, ids=uow.tasks.ids_of_plan(plan_id))
    reports = await uow.progress_reports.latest_records(plan_ids=[plan_id], as_of=reports_as_of(on, today))
    return build_tree(tasks, reports, on=on, thresholds=THRESHOLDS)


async def nodes_of(
    tasks: Collection[Task], *, on: date, today: date, uow: PlanningUnitOfWork
) -> list[TaskNode]:
    """The tree nodes (progress, light, overdue, escalation on `on`) of the given tasks, in their order.

    A node depends only on its task and the tasks below it (progress and light roll up from there), so
    only those subtrees are read, never the whole plan. From today on each returned node holds the task
    given; on a past day, the task as it stood then (a read record).
    """
    if not tasks:
        return []
    ids = [task.id for task in tasks]
    if on == today:  # today's stored roll-ups, when every task has one: no subtree read
        stored = await uow.task_rollups.computed_for(ids, today)
        if all(task.id in stored for task in tasks):
            return [node_of_rollup(task, stored[task.id]) for task in tasks]
    records = await uow.tasks.subtree_records(ids)
    return await _nodes_over(tasks, records, on=on, today=today, uow=uow)


async def record_node(task_id: str, *, on: date, today: date, uow: PlanningUnitOfWork) -> TaskNode | None:
    """One task's node on `on` read as plain records (for showing, not changing), None when unknown: the
    task is among its subtree's records, so it costs no read of its own. One statement: computed from the
    subtree even today (a stored roll-up would be a second round trip; `nodes_of` uses them for many)."""
    records, reports = await uow.tasks.subtree_with_reports([task_id], as_of=reports_as_of(on, today))
    task = next((record for record in records if record.id == task_id), None)
    if task is None:
        return None
    return (await _nodes_over([task], records, on=on, today=today, uow=uow, reports=reports))[0]


async def _nodes_over(
    tasks: Collection[Task | TaskRecord],
    records: list[TaskRecord],
    *,
    on: date,
    today: date,
    uow: PlanningUnitOfWork,
    reports: list[ReportRecord] | None = None,
) -> list[TaskNode]:
    """The nodes of `tasks` from the records of their subtrees and, when read with them, their latest
    reports (nodes_of's rules)."""
    ids = [task.id for task in tasks]
    plan_of = {record.id: record.plan_id for record in records}
    records = await as_they_stood(records, on=on, today=today, uow=uow, ids=uow.tasks.ids_below(ids))
    if reports is None:
        reports = await uow.progress_reports.latest_records(subtrees_of=ids, as_of=reports_as_of(on, today))
    tree = build_tree(records, reports, on=on, thresholds=THRESHOLDS)
    if (
        any(root.task.parent_id in tree.nodes for root in tree.roots)
        or any(task.id not in tree.nodes for task in tasks)
        or any(plan_of.get(r.parent_id, r.plan_id) != r.plan_id for r in records)
    ):
        # Bad data no handler lets in: a parent cycle (only the whole plan's tree knows where it is cut)
        # or a parent in another plan (no plan's tree shows the child under it).
        trees = await trees_of({task.plan_id for task in tasks}, on=on, today=today, uow=uow)
        nodes = [trees[task.plan_id].nodes[task.id] for task in tasks]
    else:
        nodes = [tree.nodes[task.id] for task in tasks]
    if on < today:
        return nodes
    return [replace(node, task=task) for node, task in zip(nodes, tasks, strict=True)]


async def node_of(task: Task, *, on: date, today: date, uow: PlanningUnitOfWork) -> TaskNode:
    """One task as the tree shows it on `on`."""
    return (await nodes_of([task], on=on, today=today, uow=uow))[0]
