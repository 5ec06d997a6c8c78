"""Tasks (任务): create, change, delete, move through the status machine, and list with derived filters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.identity.policy import Action, Principal, ResourceFacts, authorize
from domain.planning.handlers.common import (
    as_they_stood,
    get_task,
    missing,
    node_of,
    nodes_of,
    record_node,
    referenced_plan,
)
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.progress import TaskNode
from domain.planning.tasks import ACTIONS_NEEDING_REASON, Task, Transition, ancestor_ids, check_parent
from domain.shared.errors import Duplicate, InvalidValue
from domain.shared.uow import Expectation

TASK_FIELDS = (
    "parent_id",
    "code",
    "title",
    "description",
    "lead_department_id",
    "co_department_ids",
    "start_date",
    "due_date",
    "weight",
    "indicator_ids",
)
# Filters the tree computes (for the day asked), applied in memory after the stored ones.
DERIVED_FILTERS = ("warning", "overdue", "escalation")


async def create_task(data: dict[str, Any], *, uow: PlanningUnitOfWork) -> Task:
    """Add a task under a plan (and a parent of the same plan); records `task.created`."""
    plan = await referenced_plan(data["plan_id"], uow=uow)
    task = Task.create(
        plan_id=plan.id, **{key: data[key] for key in TASK_FIELDS if data.get(key) is not None}
    )
    await _check_references(task, uow=uow)
    uow.tasks.add(task)
    await uow.commit()
    return task


async def add_task(data: dict[str, Any], *, today: date, uow: PlanningUnitOfWork) -> TaskNode:
    """Add a task (`create_task`) and show it as the tree does today."""
    task = await create_task(data, uow=uow)
    return await node_of(task, on=today, today=today, uow=uow)


async def read_task(task_id: str, *, on: date, today: date, uow: PlanningUnitOfWork) -> TaskNode:
    """One task as the tree shows it on `on` (404 when unknown), for showing: read as records."""
    node = await record_node(task_id, on=on, today=today, uow=uow)
    if node is None:
        raise missing("task", "任务", task_id)
    return node


async def _shown_today(task_id: str, *, today: date, uow: PlanningUnitOfWork) -> TaskNode:
    """The task as the caller saw it today (what `If-Match` is checked against), holding the entity that
    a change writes back (404 when unknown)."""
    task = await get_task(task_id, uow=uow)
    return await node_of(task, on=today, today=today, uow=uow)


async def change_task(
    task_id: str, changes: dict[str, Any], *, expect: Expectation, today: date, uow: PlanningUnitOfWork
) -> TaskNode:
    """PATCH: the caller expected the task as shown today (its node); change it and show it again."""
    node = await _shown_today(task_id, today=today, uow=uow)
    expect(node)
    task = await update_task(node.task, changes, uow=uow)
    return await node_of(task, on=today, today=today, uow=uow)


async def update_task(task: Task, changes: dict[str, Any], *, uow: PlanningUnitOfWork) -> Task:
    """Change a task's fields (its status moves only by transitions)."""
    for key in TASK_FIELDS:
        if key in changes:
            value = changes[key]
            if key in ("co_department_ids", "indicator_ids") and value is None:
                value = []
            elif key == "weight" and value is None:
                raise InvalidValue("weight cannot be removed", "权重不能为空", field="weight")
            setattr(task, key, value)
    task.validate()
    await _check_references(task, uow=uow)
    await uow.commit()
    return task


async def _check_references(task: Task, *, uow: PlanningUnitOfWork) -> None:
    """Parent of the same plan and no cycle; departments, indicators known; code unique in the plan."""
    if task.parent_id is not None:
        parent = await uow.tasks.get(task.parent_id)
        if parent is None:
            raise InvalidValue(
                f"no task {task.parent_id}", f"上级任务 {task.parent_id} 不存在", field="parent_id"
            )
        check_parent(task, parent, ancestor_ids(parent.id, await _parents_above(parent, uow=uow)))
    if task.lead_department_id and await uow.tasks.unknown_departments([task.lead_department_id]):
        raise _unknown("department", "部门", task.lead_department_id, "lead_department_id")
    if unknown := await uow.tasks.unknown_departments(task.co_department_ids):
        raise _unknown("department", "部门", ", ".join(sorted(unknown)), "co_department_ids")
    if unknown := await uow.indicators.unknown_in_plan(task.plan_id, task.indicator_ids):
        raise _unknown("indicator of this plan", "本规划的指标", ", ".join(sorted(unknown)), "indicator_ids")
    if task.code is not None:
        other = await uow.tasks.by_code(task.plan_id, task.code)
        if other is not None and other.id != task.id:
            raise Duplicate(
                f"the plan has a task {task.code} already", f"本规划已有编号为 {task.code} 的任务"
            )


async def _parents_above(task: Task, *, uow: PlanningUnitOfWork) -> dict[str, str | None]:
    """The parent of `task` and of each task above it, read one at a time, until the top or a task seen
    again. Not the plan's whole parent map: an import checks every row, and a row's few ancestors are
    usually in the session already."""
    parent_of: dict[str, str | None] = {}
    current: str | None = task.id
    while current is not None and current not in parent_of:
        found = await uow.tasks.get(current)
        parent_of[current] = found.parent_id if found is not None else None
        current = parent_of[current]
    return parent_of


def _unknown(kind_en: str, kind_zh: str, ident: str, field: str) -> InvalidValue:
    return InvalidValue(f"no {kind_en} {ident}", f"{kind_zh} {ident} 不存在", field=field)


async def delete_task(task_id: str, *, expect: Expectation, today: date, uow: PlanningUnitOfWork) -> None:
    """DELETE: the caller expected the task as shown today; delete it if it has no reports, children,
    moves, extension requests or urges (else 409)."""
    node = await _shown_today(task_id, today=today, uow=uow)
    expect(node)
    task = node.task
    task.check_deletable(
        has_reports=await uow.progress_reports.any_of_task(task.id),
        has_children=bool(await uow.tasks.children_of(task.id)),
        has_requests=await uow.tasks.has_requests(task.id),
    )
    await uow.tasks.delete(task)
    await uow.commit()


async def transition_task(
    task_id: str,
    action: str,
    *,
    reason: str | None,
    principal: Principal,
    on: date | None,
    today: date,
    now: datetime,
    uow: PlanningUnitOfWork,
) -> TaskNode:
    """Start, suspend, resume or complete (lead department or planner); cancel or reopen (planner); effective
    on `on` (today when None). Returns the task as the tree shows it today."""
    task = await get_task(task_id, uow=uow)
    if action in ACTIONS_NEEDING_REASON:
        authorize(principal, Action.TASK_SUPERVISE)
    else:
        authorize(principal, Action.TASK_RUN, ResourceFacts(lead_department_id=task.lead_department_id))
    await record_move(
        task, action, reason=reason, on=on or today, today=today, by=principal.name, at=now, uow=uow
    )
    await uow.commit()
    return await node_of(task, on=today, today=today, uow=uow)


async def record_move(
    task: Task,
    action: str,
    *,
    reason: str | None,
    on: date,
    today: date,
    by: str | None,
    at: datetime,
    uow: PlanningUnitOfWork,
) -> Transition:
    """Move `task` on `on` and append the move to its history (the caller commits); a parent completes only
    when no child was open that day."""
    children: list = []
    if action == "complete":
        children = await uow.tasks.children_of(task.id)
        children = await as_they_stood(children, on=on, today=today, uow=uow) if children else []
    previous = await uow.task_transitions.last_of(task.id)
    move = task.transition(
        action, reason=reason, children=children, on=on, today=today, previous=previous, by=by, at=at
    )
    uow.task_transitions.add(move)
    return move


async def list_tasks(
    filters: dict[str, Any], *, after: str | None, limit: int, on: date, today: date, uow: PlanningUnitOfWork
) -> tuple[list[Task], list[TaskNode]]:
    """Tasks by the stored filters, then by the derived ones (light, overdue, escalation on `on`; on a past
    day the status too, as it stood then).

    Returns the limit + 1 tasks a page needs and their nodes; id order throughout.
    """
    derived_names = DERIVED_FILTERS if on >= today else (*DERIVED_FILTERS, "status")
    derived = {key: filters[key] for key in derived_names if filters.get(key) is not None}
    stored = {key: value for key, value in filters.items() if key not in derived}
    if derived and on == today:  # today's roll-ups, if every task matched has one, filter in the query
        page = await uow.tasks.search_rolled_up(stored, derived, on=on, after=after, limit=limit)
        if page is not None:
            return page, await nodes_of(page, on=on, today=today, uow=uow)
    rows = await uow.tasks.search(stored, after=after, limit=None if derived else limit)
    nodes = await nodes_of(rows, on=on, today=today, uow=uow)
    if derived:
        nodes = [node for node in nodes if all(_derived(node, k) == v for k, v in derived.items())]
        nodes = nodes[: limit + 1]
    return [node.task for node in nodes], nodes


def _derived(node: TaskNode, name: str) -> Any:
    return node.task.status if name == "status" else getattr(node, name)
