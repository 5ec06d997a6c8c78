"""我的任务 without a database: my department's open tasks, those needing attention first, in pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.planning.handlers import reports, workflow
from domain.planning.handlers.mine import my_tasks
from domain.planning.tasks import TaskStatus
from tests.unit.handlers.planning.world import CLERK, NOW, OTHER, PLANNER, TODAY, stored_task, world


def mine_world():
    """Five tasks of mine (one closed) and one of another department."""
    uow = world()
    stored_task(uow, "calm", due_date=date(2024, 8, 1))  # before the others, not within 14 days
    stored_task(uow, "soon", due_date=date(2024, 6, 25))  # within 14 days
    stored_task(uow, "urged", due_date=date(2024, 11, 1), status=TaskStatus.IN_PROGRESS)
    stored_task(uow, "returned", due_date=date(2024, 10, 1), status=TaskStatus.IN_PROGRESS)
    stored_task(uow, "done", due_date=date(2024, 6, 20), status=TaskStatus.COMPLETED)
    stored_task(uow, "theirs", due_date=date(2024, 6, 20), lead_department_id=OTHER)
    return uow


async def test_my_open_tasks_come_needing_attention_first_then_by_due_date():
    uow = mine_world()
    await workflow.urge_task("urged", None, principal=PLANNER, now=NOW, uow=uow)
    data = {"period": "2024-05", "percent": 10, "summary": "推进"}
    made = await reports.report_on_task(
        "returned", data, principal=CLERK, now=datetime(2024, 6, 1, tzinfo=UTC), today=TODAY, uow=uow
    )
    await reports.return_progress_report(made.id, "重报", principal=PLANNER, now=NOW, uow=uow)
    commits = uow.commits

    items = await my_tasks(CLERK, on=TODAY, uow=uow)

    assert [item.node.task.id for item in items] == ["soon", "returned", "urged", "calm"]
    flags = {item.node.task.id: item.attention for item in items}
    assert flags["soon"].due_soon and flags["returned"].returned and flags["urged"].urged
    assert not flags["calm"].needed
    assert uow.commits == commits  # a read


async def test_a_report_filed_after_an_urge_answers_it():
    uow = mine_world()
    await workflow.urge_task("urged", None, principal=PLANNER, now=datetime(2024, 6, 1, tzinfo=UTC), uow=uow)
    data = {"period": "2024-06", "percent": 10, "summary": "推进"}
    await reports.report_on_task("urged", data, principal=CLERK, now=NOW, today=TODAY, uow=uow)
    [urged] = [i for i in await my_tasks(CLERK, on=TODAY, uow=uow) if i.node.task.id == "urged"]
    assert not urged.attention.urged


async def test_my_tasks_come_in_pages_after_an_inbox_key():
    uow = mine_world()
    first = await my_tasks(CLERK, on=TODAY, limit=1, uow=uow)
    assert [i.node.task.id for i in first] == ["soon", "calm"]  # limit + 1; nothing else needs attention
    rest = await my_tasks(CLERK, on=TODAY, after=first[0].key, limit=5, uow=uow)
    assert [i.node.task.id for i in rest] == ["calm", "returned", "urged"]


async def test_without_a_department_the_inbox_is_empty():
    uow = mine_world()
    assert await my_tasks(PLANNER, on=TODAY, uow=uow) == []
