"""The task handlers without a database: what is written and committed, the events, the refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.planning.handlers import tasks
from domain.planning.indicators import Indicator
from domain.planning.reports import ProgressReport
from domain.planning.supervision import WarningLight
from domain.planning.tasks import TaskStatus, Transition
from domain.planning.workflow import Urge
from domain.shared.errors import Duplicate, Forbidden, IllegalTransition, InvalidValue, NotDeletable, NotFound
from tests.unit.handlers.planning.world import (
    CLERK,
    LEAD,
    NOW,
    OTHER,
    OUTSIDER,
    PLANNER,
    TODAY,
    Expecting,
    Stale,
    stored_task,
    world,
)


async def test_a_new_task_is_stored_with_task_created():
    uow = world()
    parent = stored_task(uow, "t-1", code="1")
    node = await tasks.add_task(
        {"plan_id": "plan", "parent_id": "t-1", "code": "1.1", "title": " 建设孵化器 ", "weight": "2"},
        today=TODAY,
        uow=uow,
    )
    assert node.task.id in uow.tasks.items and node.task.parent_id == parent.id
    assert node.task.title == "建设孵化器" and node.task.weight == Decimal(2)
    assert node.progress == 0 and node.task.status is TaskStatus.NOT_STARTED
    assert uow.commits == 1
    [created] = uow.published
    assert created.type == "task.created" and created.subject_id == node.task.id
    assert created.data == {"plan_id": "plan", "parent_id": "t-1", "code": "1.1", "title": "建设孵化器"}


@pytest.mark.parametrize(
    ("fields", "refused", "field"),
    [
        ({"plan_id": "no-such-plan"}, InvalidValue, "plan_id"),
        ({"parent_id": "no-such-task"}, InvalidValue, "parent_id"),
        ({"parent_id": "elsewhere"}, InvalidValue, "parent_id"),
        ({"lead_department_id": "no-such-department"}, InvalidValue, "lead_department_id"),
        ({"co_department_ids": [OTHER, "nowhere"]}, InvalidValue, "co_department_ids"),
        ({"indicator_ids": ["ind-of-another-plan"]}, InvalidValue, "indicator_ids"),
        ({"code": "1"}, Duplicate, None),
        ({"weight": "0"}, InvalidValue, "weight"),
    ],
)
async def test_a_task_with_a_bad_reference_or_value_is_refused_and_nothing_is_written(fields, refused, field):
    uow = world()
    stored_task(uow, "t-1", code="1")
    stored_task(uow, "elsewhere", plan_id="other-plan")
    uow.indicators.items["ind-of-another-plan"] = Indicator(
        id="ind-of-another-plan",
        plan_id="other-plan",
        code=1,
        area="经济",
        name="营收",
        unit="亿元",
        target_value=1,
    )
    with pytest.raises(refused) as raised:
        await tasks.add_task({"plan_id": "plan", "title": "新任务", **fields}, today=TODAY, uow=uow)
    if field is not None:
        assert raised.value.field == field
    assert uow.commits == 0 and uow.published == []
    assert set(uow.tasks.items) == {"t-1", "elsewhere"}


async def test_a_change_shows_the_caller_the_task_as_today_then_changes_it():
    uow = world()
    stored_task(uow, "t-1", due_date=date(2024, 12, 31))
    expect = Expecting()
    node = await tasks.change_task(
        "t-1", {"title": "新名称", "co_department_ids": None}, expect=expect, today=TODAY, uow=uow
    )
    [shown] = expect.shown
    assert shown.task.id == "t-1" and shown.warning is WarningLight.GREEN
    assert node.task.title == "新名称" and uow.tasks.items["t-1"].title == "新名称"
    assert node.task.co_department_ids == []
    assert uow.commits == 1


async def test_a_stale_expectation_changes_nothing():
    uow = world()
    stored_task(uow, "t-1")
    with pytest.raises(Stale):
        await tasks.change_task(
            "t-1", {"title": "新名称"}, expect=Expecting(stale=True), today=TODAY, uow=uow
        )
    assert uow.tasks.items["t-1"].title == "任务 t-1" and uow.commits == 0


async def test_changing_an_unknown_task_is_not_found_before_any_expectation():
    uow = world()
    expect = Expecting(stale=True)
    with pytest.raises(NotFound):
        await tasks.change_task("nope", {"title": "x"}, expect=expect, today=TODAY, uow=uow)
    assert expect.shown == [] and uow.commits == 0


async def test_a_task_cannot_move_below_itself_nor_lose_its_weight():
    uow = world()
    stored_task(uow, "t-1")
    stored_task(uow, "t-2", parent_id="t-1")
    stored_task(uow, "t-3", parent_id="t-2")
    with pytest.raises(InvalidValue) as cycle:
        await tasks.change_task("t-1", {"parent_id": "t-3"}, expect=Expecting(), today=TODAY, uow=uow)
    assert cycle.value.field == "parent_id"
    with pytest.raises(InvalidValue) as weight:
        await tasks.change_task("t-2", {"weight": None}, expect=Expecting(), today=TODAY, uow=uow)
    assert weight.value.field == "weight"
    assert uow.commits == 0


async def test_a_free_task_is_deleted():
    uow = world()
    stored_task(uow, "t-1")
    await tasks.delete_task("t-1", expect=Expecting(), today=TODAY, uow=uow)
    assert "t-1" not in uow.tasks.items and uow.commits == 1


@pytest.mark.parametrize("record", ["report", "child", "urge", "move"])
async def test_a_task_with_a_record_or_a_child_is_not_deleted(record):
    uow = world()
    task = stored_task(uow, "t-1")
    if record == "report":
        uow.progress_reports.add(
            ProgressReport(task_id="t-1", period="2024-05", percent=10, summary="推进", filed_at=NOW)
        )
    elif record == "child":
        stored_task(uow, "t-2", parent_id="t-1")
    elif record == "urge":
        uow.urges.add(Urge(task_id="t-1", at=NOW))
    else:
        uow.task_transitions.add(task.transition("start", on=TODAY, today=TODAY, previous=None, at=NOW))
        task.pull_events()
    with pytest.raises(NotDeletable):
        await tasks.delete_task("t-1", expect=Expecting(), today=TODAY, uow=uow)
    assert "t-1" in uow.tasks.items and uow.commits == 0


async def test_a_stale_delete_deletes_nothing():
    uow = world()
    stored_task(uow, "t-1")
    with pytest.raises(Stale):
        await tasks.delete_task("t-1", expect=Expecting(stale=True), today=TODAY, uow=uow)
    assert "t-1" in uow.tasks.items and uow.commits == 0


async def test_the_lead_department_starts_its_task_back_dated():
    uow = world()
    stored_task(uow, "t-1")
    node = await tasks.transition_task(
        "t-1", "start", reason=None, principal=CLERK, on=date(2024, 6, 3), today=TODAY, now=NOW, uow=uow
    )
    assert node.task.status is TaskStatus.IN_PROGRESS
    [move] = uow.task_transitions.items.values()
    assert (move.seq, move.action, move.on, move.by, move.at) == (1, "start", date(2024, 6, 3), "clerk", NOW)
    [event] = uow.published
    assert event.type == "task.status_changed" and event.subject_id == "t-1"
    assert (event.data["from"], event.data["to"], event.data["on"]) == (
        "not_started",
        "in_progress",
        "2024-06-03",
    )
    assert uow.commits == 1


@pytest.mark.parametrize(
    ("principal", "action", "reason"),
    [(OUTSIDER, "start", None), (CLERK, "cancel", "不再需要")],
)
async def test_a_move_outside_ones_rights_is_forbidden(principal, action, reason):
    uow = world()
    stored_task(uow, "t-1")
    with pytest.raises(Forbidden):
        await tasks.transition_task(
            "t-1", action, reason=reason, principal=principal, on=None, today=TODAY, now=NOW, uow=uow
        )
    assert uow.tasks.items["t-1"].status is TaskStatus.NOT_STARTED
    assert uow.task_transitions.items == {} and uow.commits == 0


async def test_a_planner_cancels_only_with_a_reason():
    uow = world()
    stored_task(uow, "t-1")
    with pytest.raises(InvalidValue):
        await tasks.transition_task(
            "t-1", "cancel", reason=None, principal=PLANNER, on=None, today=TODAY, now=NOW, uow=uow
        )
    assert uow.commits == 0
    node = await tasks.transition_task(
        "t-1", "cancel", reason="并入其他任务", principal=PLANNER, on=None, today=TODAY, now=NOW, uow=uow
    )
    assert node.task.status is TaskStatus.CANCELLED
    assert uow.published[-1].data["reason"] == "并入其他任务" and uow.commits == 1


async def test_a_move_in_the_future_is_refused():
    uow = world()
    stored_task(uow, "t-1")
    with pytest.raises(InvalidValue):
        await tasks.transition_task(
            "t-1", "start", reason=None, principal=CLERK, on=date(2024, 6, 16), today=TODAY, now=NOW, uow=uow
        )
    assert uow.task_transitions.items == {} and uow.commits == 0


async def test_a_parent_completes_only_when_no_child_was_open_that_day():
    uow = world()
    stored_task(uow, "parent", status=TaskStatus.IN_PROGRESS)
    child = stored_task(uow, "child", parent_id="parent", status=TaskStatus.IN_PROGRESS)
    with pytest.raises(IllegalTransition):
        await tasks.transition_task(
            "parent", "complete", reason=None, principal=PLANNER, on=None, today=TODAY, now=NOW, uow=uow
        )
    assert uow.commits == 0
    # The child completed on 10 June: the parent may complete on the 12th, not on the 5th.
    child.status = TaskStatus.COMPLETED
    uow.task_transitions.add(
        Transition(
            task_id="child",
            seq=1,
            action="complete",
            from_status=TaskStatus.IN_PROGRESS,
            to_status=TaskStatus.COMPLETED,
            on=date(2024, 6, 10),
            at=NOW,
        )
    )
    with pytest.raises(IllegalTransition):
        await tasks.transition_task(
            "parent",
            "complete",
            reason=None,
            principal=PLANNER,
            on=date(2024, 6, 5),
            today=TODAY,
            now=NOW,
            uow=uow,
        )
    node = await tasks.transition_task(
        "parent",
        "complete",
        reason=None,
        principal=PLANNER,
        on=date(2024, 6, 12),
        today=TODAY,
        now=NOW,
        uow=uow,
    )
    assert node.task.status is TaskStatus.COMPLETED and uow.commits == 1


async def test_a_task_read_on_a_past_day_is_as_it_stood_then():
    uow = world()
    stored_task(uow, "t-1", due_date=date(2024, 6, 30))
    await tasks.transition_task(
        "t-1", "start", reason=None, principal=CLERK, on=date(2024, 6, 10), today=TODAY, now=NOW, uow=uow
    )
    before = await tasks.read_task("t-1", on=date(2024, 6, 5), today=TODAY, uow=uow)
    after = await tasks.read_task("t-1", on=TODAY, today=TODAY, uow=uow)
    assert before.task.status is TaskStatus.NOT_STARTED and after.task.status is TaskStatus.IN_PROGRESS
    assert uow.tasks.items["t-1"].status is TaskStatus.IN_PROGRESS  # the past is read, never written


async def test_reading_an_unknown_task_is_not_found():
    with pytest.raises(NotFound):
        await tasks.read_task("nope", on=TODAY, today=TODAY, uow=world())


async def test_the_list_applies_stored_then_derived_filters_and_pages_by_id():
    uow = world()
    for n in range(1, 6):  # t-1 … t-5 overdue, t-6 not yet due, t-7 led by another department
        stored_task(uow, f"t-{n}", due_date=date(2024, 6, 1))
    stored_task(uow, "t-6", due_date=date(2024, 12, 31))
    stored_task(uow, "t-7", due_date=date(2024, 6, 1), lead_department_id=OTHER)
    filters = {"lead_department_id": LEAD, "overdue": True}
    rows, nodes = await tasks.list_tasks(filters, after=None, limit=2, on=TODAY, today=TODAY, uow=uow)
    assert [t.id for t in rows] == ["t-1", "t-2", "t-3"]  # limit + 1: another page exists
    assert all(node.overdue for node in nodes)
    rows, _ = await tasks.list_tasks(filters, after="t-3", limit=2, on=TODAY, today=TODAY, uow=uow)
    assert [t.id for t in rows] == ["t-4", "t-5"]


async def test_a_status_filter_on_a_past_day_takes_the_status_of_that_day():
    uow = world()
    stored_task(uow, "t-1")
    stored_task(uow, "t-2")
    await tasks.transition_task(
        "t-1", "start", reason=None, principal=CLERK, on=date(2024, 6, 10), today=TODAY, now=NOW, uow=uow
    )
    started = {"status": TaskStatus.IN_PROGRESS}
    today_rows, _ = await tasks.list_tasks(started, after=None, limit=10, on=TODAY, today=TODAY, uow=uow)
    past_rows, _ = await tasks.list_tasks(
        started, after=None, limit=10, on=date(2024, 6, 9), today=TODAY, uow=uow
    )
    assert [t.id for t in today_rows] == ["t-1"] and past_rows == []


async def test_an_urged_task_is_shown_with_its_urges():
    uow = world()
    stored_task(uow, "t-1", urge_count=1)
    uow.urges.add(Urge(task_id="t-1", at=datetime(2024, 6, 14, tzinfo=UTC)))
    today = await tasks.read_task("t-1", on=TODAY, today=TODAY, uow=uow)
    before = await tasks.read_task("t-1", on=date(2024, 6, 13), today=TODAY, uow=uow)
    assert (today.task.urge_count, before.task.urge_count) == (1, 0)
