"""The workflow handlers without a database: extension requests and their decisions, urges."""

from __future__ import annotations

from datetime import date

import pytest

from domain.planning.handlers import workflow
from domain.planning.tasks import TaskStatus
from domain.planning.workflow import ExtensionStatus
from domain.shared.errors import Conflict, Forbidden, IllegalTransition, InvalidValue, NotFound
from tests.unit.handlers.planning.world import CLERK, NOW, OUTSIDER, PLANNER, stored_task, world

JUNE, SEPTEMBER = date(2024, 6, 30), date(2024, 9, 30)


async def ask(uow, new_due_date=SEPTEMBER, principal=CLERK, task_id="t-1"):
    return await workflow.request_extension(
        task_id, new_due_date, "征地手续未完成", principal=principal, now=NOW, uow=uow
    )


async def test_the_lead_department_asks_for_a_later_due_date():
    uow = world()
    stored_task(uow, "t-1", due_date=JUNE)
    request = await ask(uow)
    assert uow.extension_requests.items[request.id] is request
    assert (request.status, request.requested_by, request.new_due_date) == (
        ExtensionStatus.PENDING,
        "clerk",
        SEPTEMBER,
    )
    assert uow.tasks.items["t-1"].due_date == JUNE and uow.commits == 1


async def test_an_extension_request_out_of_turn_is_refused():
    uow = world()
    stored_task(uow, "t-1", due_date=JUNE)
    stored_task(uow, "closed", due_date=JUNE, status=TaskStatus.COMPLETED)
    with pytest.raises(Forbidden):
        await ask(uow, principal=OUTSIDER)
    with pytest.raises(InvalidValue) as earlier:
        await ask(uow, new_due_date=date(2024, 6, 1))
    assert earlier.value.field == "new_due_date"
    with pytest.raises(IllegalTransition):
        await ask(uow, task_id="closed")
    with pytest.raises(NotFound):
        await ask(uow, task_id="nope")
    assert uow.extension_requests.items == {} and uow.commits == 0


async def test_an_approval_moves_the_due_date_and_keeps_the_first_one():
    uow = world()
    stored_task(uow, "t-1", due_date=JUNE)
    request = await ask(uow)
    decided = await workflow.decide_extension(request.id, True, " 同意 ", principal=PLANNER, now=NOW, uow=uow)
    task = uow.tasks.items["t-1"]
    assert (task.due_date, task.original_due_date) == (SEPTEMBER, JUNE)
    assert (decided.status, decided.decided_by, decided.note) == (ExtensionStatus.APPROVED, "planner", "同意")
    [event] = uow.published
    assert event.type == "task.extension_decided" and event.data["approved"] is True
    assert (event.data["new_due_date"], event.data["previous_due_date"]) == ("2024-09-30", "2024-06-30")
    assert uow.commits == 2


async def test_a_request_is_decided_once_and_a_rejection_keeps_the_due_date():
    uow = world()
    stored_task(uow, "t-1", due_date=JUNE)
    request = await ask(uow)
    await workflow.decide_extension(request.id, False, None, principal=PLANNER, now=NOW, uow=uow)
    assert uow.tasks.items["t-1"].due_date == JUNE and request.status is ExtensionStatus.REJECTED
    with pytest.raises(IllegalTransition):
        await workflow.decide_extension(request.id, True, None, principal=PLANNER, now=NOW, uow=uow)
    with pytest.raises(NotFound):
        await workflow.decide_extension("nope", True, None, principal=PLANNER, now=NOW, uow=uow)
    assert uow.tasks.items["t-1"].due_date == JUNE and uow.commits == 2


async def test_an_approval_the_tasks_dates_have_overtaken_is_a_conflict():
    uow = world()
    task = stored_task(uow, "t-1", due_date=JUNE)
    request = await ask(uow)
    task.due_date = date(2024, 10, 31)  # moved by a change since the request was made
    with pytest.raises(Conflict):
        await workflow.decide_extension(request.id, True, None, principal=PLANNER, now=NOW, uow=uow)
    assert request.status is ExtensionStatus.PENDING and uow.commits == 1


async def test_an_urge_counts_on_the_task_and_raises_task_urged():
    uow = world()
    stored_task(uow, "t-1", due_date=JUNE)
    made = await workflow.urge_task("t-1", " 请加快 ", principal=PLANNER, now=NOW, uow=uow)
    assert uow.urges.items[made.id] is made and (made.note, made.by, made.at) == ("请加快", "planner", NOW)
    assert uow.tasks.items["t-1"].urge_count == 1
    [event] = uow.published
    assert event.type == "task.urged" and (event.data["urge_id"], event.data["urge_count"]) == (made.id, 1)
    assert uow.commits == 1


async def test_a_closed_task_is_not_urged():
    uow = world()
    stored_task(uow, "t-1", status=TaskStatus.CANCELLED)
    with pytest.raises(IllegalTransition):
        await workflow.urge_task("t-1", None, principal=PLANNER, now=NOW, uow=uow)
    assert uow.urges.items == {} and uow.tasks.items["t-1"].urge_count == 0 and uow.commits == 0


async def test_requests_and_urges_of_a_task_come_in_pages():
    uow = world()
    stored_task(uow, "t-1", due_date=JUNE)
    stored_task(uow, "t-2", due_date=JUNE)
    asked = sorted([(await ask(uow)).id, (await ask(uow, new_due_date=date(2024, 12, 31))).id])
    await ask(uow, task_id="t-2")
    urged = sorted(
        [(await workflow.urge_task("t-1", None, principal=PLANNER, now=NOW, uow=uow)).id for _ in "ab"]
    )
    requests = await workflow.extension_requests_of_task("t-1", after=None, limit=1, uow=uow)
    assert [r.id for r in requests] == asked
    later = await workflow.urges_of_task("t-1", after=urged[0], limit=5, uow=uow)
    assert [u.id for u in later] == urged[1:]
    with pytest.raises(NotFound):
        await workflow.urges_of_task("nope", after=None, limit=5, uow=uow)
    with pytest.raises(NotFound):
        await workflow.get_extension_request("nope", uow=uow)
