"""The history handler without a database: a task's moves, reports, returns, urges and decisions, dated."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.planning.handlers import reports, tasks, workflow
from domain.planning.handlers.history import task_history
from domain.shared.errors import NotFound
from tests.unit.handlers.planning.world import CLERK, PLANNER, TODAY, stored_task, world


def at(day: int) -> datetime:
    return datetime(2024, 6, day, 9, tzinfo=UTC)


async def test_the_history_lists_everything_recorded_of_the_task_in_date_order():
    uow = world()
    stored_task(uow, "t-1", due_date=date(2024, 6, 30))
    stored_task(uow, "t-2")
    await workflow.urge_task("t-1", "请加快", principal=PLANNER, now=at(7), uow=uow)
    await tasks.transition_task(
        "t-1", "start", reason=None, principal=CLERK, on=date(2024, 6, 3), today=TODAY, now=at(8), uow=uow
    )
    data = {"period": "2024-06", "percent": 20, "summary": "推进"}
    report = await reports.report_on_task("t-1", data, principal=CLERK, now=at(5), today=TODAY, uow=uow)
    await reports.return_progress_report(report.id, "补充材料", principal=PLANNER, now=at(10), uow=uow)
    request = await workflow.request_extension(
        "t-1", date(2024, 9, 30), "手续", principal=CLERK, now=at(11), uow=uow
    )
    await workflow.decide_extension(request.id, True, None, principal=PLANNER, now=at(12), uow=uow)
    await workflow.urge_task("t-2", None, principal=PLANNER, now=at(9), uow=uow)  # another task's

    task, entries = await task_history("t-1", uow=uow)

    assert task is uow.tasks.items["t-1"]
    assert [(e.kind, e.date.day) for e in entries] == [
        ("transition", 3),  # dated the day it took effect, though recorded on the 8th
        ("report", 5),
        ("urge", 7),
        ("return", 10),
        ("extension_decision", 12),
    ]
    assert entries[0].details["action"] == "start" and entries[0].details["by"] == "clerk"
    assert entries[3].details == {
        "report_id": report.id,
        "period": "2024-06",
        "comment": "补充材料",
        "by": "planner",
    }
    assert entries[4].details["approved"] is True and entries[4].details["new_due_date"] == date(2024, 9, 30)


async def test_the_history_of_an_unknown_task_is_not_found():
    with pytest.raises(NotFound):
        await task_history("nope", uow=world())
