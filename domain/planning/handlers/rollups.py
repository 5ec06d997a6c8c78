"""Keeping the stored roll-ups (domain/planning/rollups.py): after each write, and daily for the date."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from domain.planning.handlers.common import THRESHOLDS, nodes_of, plan_tree_of
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.progress import TaskNode, code_key, latest_reports, node_from
from domain.planning.rollups import deepest_first, differences, node_of_rollup, rollup_of


async def keep_rollups(touched: Collection[str], *, today: date, uow: PlanningUnitOfWork) -> int:
    """Rewrite, for `today`, the roll-ups of the touched tasks and of every task above them; returns how many.

    Called in the transaction of the write, after it is flushed. Each task on the way up is rolled up from its
    children's nodes: those on the way were just computed, the others read from their roll-ups computed for
    today, computed from their subtree where none is. The rows on the way are held first (in one order for
    every writer), so that a concurrent write under the same parent waits for this one to commit and then
    rolls up from its children as they are then — two reports on sibling leaves lose neither.
    """
    chain = deepest_first(await uow.task_rollups.chain_records(touched))
    if not chain:
        return 0
    store = uow.task_rollups
    await store.lock([record.id for record in chain])
    plan_of = {record.id: record.plan_id for record in chain}
    kids_of: dict[str, list] = {}
    nodes: dict[str, TaskNode] = {}
    missing = []
    for kid, kept in await store.children_with_rollups(plan_of, today):
        if kid.parent_id == kid.id or kid.plan_id != plan_of[kid.parent_id]:
            continue  # bad data no handler lets in: no plan's tree shows the child under that parent
        kids_of.setdefault(kid.parent_id, []).append(kid)
        if kid.id not in plan_of:
            if kept is None:
                missing.append(kid)
            else:
                nodes[kid.id] = node_of_rollup(kid, kept)
    if missing:
        nodes.update((node.task.id, node) for node in await nodes_of(missing, on=today, today=today, uow=uow))
    latest = latest_reports(await store.latest_reports(plan_of), today)
    for record in chain:  # children before their parents
        kids = sorted(kids_of.get(record.id, []), key=lambda kid: (code_key(kid), kid.id))
        if any(kid.id not in nodes for kid in kids):
            # A parent cycle in bad data: only the whole plan's tree knows where it is cut. No roll-up of
            # these tasks is kept, and reads compute them.
            await store.forget(list(plan_of))
            return 0
        nodes[record.id] = node_from(
            record, [nodes[kid.id] for kid in kids], latest.get(record.id), today, THRESHOLDS
        )
    await store.write([rollup_of(nodes[record.id], today) for record in chain])
    return len(chain)


async def refresh_rollups(today: date, *, uow: PlanningUnitOfWork) -> int:
    """Recompute, for `today`, every task of each plan where some roll-up is missing or of another day (the
    lights, overdue and escalation move with the date alone); the caller commits. Returns how many rows."""
    written = 0
    for plan_id in await uow.task_rollups.plans_not_computed_for(today):
        # Held before the tree is read, as a write holds its rows: a report committed meanwhile is either
        # in the tree read, or its writer waits and rewrites its rows after this.
        await uow.task_rollups.lock([task.id for task in await uow.tasks.records_of_plans([plan_id])])
        tree = await plan_tree_of(plan_id, on=today, today=today, uow=uow, use_stored=False)
        await uow.task_rollups.write([rollup_of(node, today) for node in tree])
        written += len(tree.nodes)
    return written


async def rollup_differences(today: date, *, uow: PlanningUnitOfWork) -> list[str]:
    """Each stored roll-up computed for `today` that differs from its plan's tree recomputed from the tasks
    and reports. Rows of another day are no answer of any read (a read for today computes past them)."""
    found: list[str] = []
    for plan_id in await uow.task_rollups.plans_computed_for(today):
        tree = await plan_tree_of(plan_id, on=today, today=today, uow=uow, use_stored=False)
        stored = await uow.task_rollups.of_plan_computed_for(plan_id, today)
        found += differences(stored.values(), {node.task.id: rollup_of(node, today) for node in tree})
    return found
