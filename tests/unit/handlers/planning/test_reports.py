"""The report handlers without a database: filing (and starting a task), returning, evidence files."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from domain.planning.handlers import reports
from domain.planning.tasks import TaskStatus
from domain.shared.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    InvalidValue,
    NotFound,
    TooLarge,
)
from tests.unit.handlers.planning.world import CLERK, NOW, OUTSIDER, PLANNER, TODAY, stored_task, world

MAY = {"period": "2024-05", "percent": "30", "summary": "完成选址"}


async def file(uow, task_id="t-1", data=MAY, principal=CLERK):
    return await reports.report_on_task(task_id, data, principal=principal, now=NOW, today=TODAY, uow=uow)


async def test_a_first_report_starts_the_task_on_the_first_day_of_its_period():
    uow = world()
    stored_task(uow, "t-1")
    made = await file(uow)
    assert uow.progress_reports.items[made.id] is made and made.filed_by == "clerk" and made.filed_at == NOW
    assert uow.tasks.items["t-1"].status is TaskStatus.IN_PROGRESS
    [move] = uow.task_transitions.items.values()
    assert (move.action, move.on, move.by) == ("start", date(2024, 5, 1), "clerk")
    assert uow.published_types() == ["task.status_changed", "task.progress_reported"]
    reported = uow.published[1].data
    assert (reported["report_id"], reported["period"], reported["percent"]) == (made.id, "2024-05", "30")
    assert uow.commits == 1


async def test_a_report_on_a_started_task_records_no_move():
    uow = world()
    stored_task(uow, "t-1", status=TaskStatus.SUSPENDED)
    await file(uow)
    assert uow.task_transitions.items == {} and uow.tasks.items["t-1"].status is TaskStatus.SUSPENDED
    assert uow.published_types() == ["task.progress_reported"]


async def test_only_the_lead_department_files():
    uow = world()
    stored_task(uow, "t-1")
    for someone in (OUTSIDER, PLANNER):
        with pytest.raises(Forbidden):
            await file(uow, principal=someone)
    assert uow.progress_reports.items == {} and uow.commits == 0


async def test_a_parent_takes_no_report_unless_all_its_children_are_cancelled():
    uow = world()
    stored_task(uow, "t-1")
    child = stored_task(uow, "t-2", parent_id="t-1")
    with pytest.raises(Conflict):
        await file(uow)
    assert uow.progress_reports.items == {} and uow.commits == 0
    child.status = TaskStatus.CANCELLED
    await file(uow)
    assert uow.commits == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (MAY | {"attachment_ids": ["no-such-file"]}, "attachment_ids"),
        (MAY | {"period": "2024-07"}, "period"),
        (MAY | {"percent": "101"}, "percent"),
        (MAY | {"summary": "  "}, "summary"),
    ],
)
async def test_a_report_with_a_bad_value_is_refused(data, field):
    uow = world()
    stored_task(uow, "t-1")
    with pytest.raises(InvalidValue) as raised:
        await file(uow, data=data)
    assert raised.value.field == field
    assert uow.progress_reports.items == {} and uow.tasks.items["t-1"].status is TaskStatus.NOT_STARTED
    assert uow.commits == 0


async def test_a_closed_or_unknown_task_takes_no_report():
    uow = world()
    stored_task(uow, "t-1", status=TaskStatus.COMPLETED)
    with pytest.raises(IllegalTransition):
        await file(uow)
    with pytest.raises(NotFound):
        await file(uow, task_id="nope")
    assert uow.progress_reports.items == {} and uow.commits == 0


async def test_a_report_with_evidence_names_the_files():
    uow = world()
    stored_task(uow, "t-1")
    evidence = await reports.upload_attachment(
        "选址.txt", "text/plain", "选址意见书".encode(), principal=CLERK, now=NOW, max_bytes=1024, uow=uow
    )
    made = await file(uow, data=MAY | {"attachment_ids": [evidence.id]})
    assert made.attachment_ids == [evidence.id]


async def test_a_planner_returns_a_report_once_with_a_comment():
    uow = world()
    stored_task(uow, "t-1", status=TaskStatus.IN_PROGRESS)
    made = await file(uow)
    with pytest.raises(InvalidValue):
        await reports.return_progress_report(made.id, " ", principal=PLANNER, now=NOW, uow=uow)
    assert not made.returned and uow.commits == 1
    returned = await reports.return_progress_report(made.id, "数据不实", principal=PLANNER, now=NOW, uow=uow)
    assert returned.returned and (returned.return_comment, returned.returned_by) == ("数据不实", "planner")
    assert uow.published[-1].type == "task.report_returned"
    assert uow.published[-1].data["comment"] == "数据不实" and uow.commits == 2
    with pytest.raises(IllegalTransition):
        await reports.return_progress_report(made.id, "再次", principal=PLANNER, now=NOW, uow=uow)
    with pytest.raises(NotFound):
        await reports.return_progress_report("nope", "x", principal=PLANNER, now=NOW, uow=uow)
    assert uow.commits == 2


async def test_a_tasks_reports_come_in_pages_returned_ones_included():
    uow = world()
    stored_task(uow, "t-1", status=TaskStatus.IN_PROGRESS)
    made = [await file(uow, data=MAY | {"period": f"2024-0{m}"}) for m in (3, 4, 5)]
    await reports.return_progress_report(made[0].id, "重报", principal=PLANNER, now=NOW, uow=uow)
    ids = sorted(r.id for r in made)
    first = await reports.reports_of_task("t-1", after=None, limit=2, uow=uow)
    rest = await reports.reports_of_task("t-1", after=ids[1], limit=2, uow=uow)
    assert [r.id for r in first] == ids and [r.id for r in rest] == ids[2:]
    with pytest.raises(NotFound):
        await reports.reports_of_task("nope", after=None, limit=2, uow=uow)


async def test_an_evidence_file_is_kept_with_its_digest():
    uow = world()
    content = "会议纪要".encode()
    kept = await reports.upload_attachment(
        "纪要.txt", "text/plain", content, principal=CLERK, now=NOW, max_bytes=1024, uow=uow
    )
    assert await reports.get_attachment(kept.id, uow=uow) is kept
    assert kept.sha256 == hashlib.sha256(content).hexdigest() and kept.uploaded_by == "clerk"
    assert uow.commits == 1


async def test_an_evidence_file_too_large_or_not_what_it_claims_is_refused():
    uow = world()
    with pytest.raises(TooLarge):
        await reports.upload_attachment(
            "a.txt", "text/plain", b"x" * 11, principal=CLERK, now=NOW, max_bytes=10, uow=uow
        )
    with pytest.raises(InvalidValue):
        await reports.upload_attachment(
            "a.pdf", "application/pdf", b"not a pdf", principal=CLERK, now=NOW, max_bytes=1024, uow=uow
        )
    assert uow.attachments.items == {} and uow.commits == 0
    with pytest.raises(NotFound):
        await reports.get_attachment("nope", uow=uow)
