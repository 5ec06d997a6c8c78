"""我的任务: the mobile app's home — the open tasks my department leads, those needing attention first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.identity.policy import Principal
from domain.planning.handlers.common import THRESHOLDS, nodes_of
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.progress import TaskNode
from domain.planning.supervision import Attention, attention, inbox_key


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A task of my department with why it needs attention, and its place in the inbox."""

    node: TaskNode
    attention: Attention
    key: list[str]


async def my_tasks(
    principal: Principal,
    *,
    on: date,
    after: list[str] | None = None,
    limit: int | None = None,
    uow: PlanningUnitOfWork,
) -> list[InboxItem]:
    """The open tasks my department leads, in inbox order; none without a department. A page: those after
    the inbox key `after`, limit + 1 of them (all when `limit` is None)."""
    if principal.department_id is None:
        return []
    tasks = [task for task in await uow.tasks.led_by(principal.department_id) if task.is_open]
    if not tasks:
        return []
    ids = [task.id for task in tasks]
    last_filed = await uow.progress_reports.last_filed(ids)
    last_urged = await uow.urges.last_at(ids)
    items = []
    for node in await nodes_of(tasks, on=on, today=on, uow=uow):
        flags = attention(
            node.task,
            latest_filed=last_filed.get(node.task.id),
            last_urged_at=last_urged.get(node.task.id),
            on=on,
            thresholds=THRESHOLDS,
        )
        items.append(InboxItem(node, flags, inbox_key(node.task, flags)))
    items = sorted((item for item in items if after is None or item.key > after), key=lambda item: item.key)
    return items if limit is None else items[: limit + 1]
