"""A task's history (督办台账 of one task): its moves, reports, returns, urges and extension decisions."""

from __future__ import annotations

from domain.planning.handlers.common import get_task
from domain.planning.history import HistoryEntry, history_entries
from domain.planning.ports import PlanningUnitOfWork
from domain.planning.tasks import Task


async def task_history(task_id: str, *, uow: PlanningUnitOfWork) -> tuple[Task, list[HistoryEntry]]:
    """The task and everything recorded of it, in date order (then in the order it was recorded)."""
    task = await get_task(task_id, uow=uow)
    return task, history_entries(
        await uow.task_transitions.of_task(task.id),
        await uow.progress_reports.all_of_task(task.id),
        await uow.urges.all_of_task(task.id),
        await uow.extension_requests.all_of_task(task.id),
    )
