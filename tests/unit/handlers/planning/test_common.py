"""What every planning handler shares, without a database: loading by id, and nodes on a day."""

from __future__ import annotations

from datetime import date

import pytest

from domain.planning.handlers import common
from domain.planning.handlers.reports import report_on_task
from domain.planning.progress import TaskRecord
from domain.planning.tasks import TaskStatus
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.handlers.planning.world import CLERK, NOW, TODAY, stored_task, world


@pytest.mark.parametrize(
    ("load", "english", "chinese"),
    [
        (common.get_plan, "no plan nope", "规划 nope 不存在"),
        (common.get_task, "no task nope", "任务 nope 不存在"),
        (common.get_indicator, "no indicator nope", "指标 nope 不存在"),
    ],
)
async def test_an_unknown_id_is_not_found_in_both_languages(load, english, chinese):
    with pytest.raises(NotFound) as raised:
        await load("nope", uow=world())
    assert (raised.value.en, raised.value.zh) == (english, chinese)


async def test_a_plan_named_in_a_body_that_does_not_exist_is_a_bad_field():
    with pytest.raises(InvalidValue) as raised:
        await common.referenced_plan("nope", uow=world())
    assert raised.value.field == "plan_id"


def test_reports_are_read_as_of_a_day_only_before_today():
    assert common.reports_as_of(date(2024, 6, 1), TODAY) == date(2024, 6, 1)
    assert common.reports_as_of(TODAY, TODAY) is None
    assert common.reports_as_of(date(2024, 7, 1), TODAY) is None


async def test_nodes_roll_up_their_subtrees_in_the_order_asked():
    uow = world()
    stored_task(uow, "p", status=TaskStatus.IN_PROGRESS)
    stored_task(uow, "c1", parent_id="p", status=TaskStatus.IN_PROGRESS)
    stored_task(uow, "c2", parent_id="p", status=TaskStatus.IN_PROGRESS)
    stored_task(uow, "lone", status=TaskStatus.IN_PROGRESS)
    await report_on_task(
        "c1",
        {"period": "2024-06", "percent": 60, "summary": "推进"},
        principal=CLERK,
        now=NOW,
        today=TODAY,
        uow=uow,
    )
    wanted = [uow.tasks.items["lone"], uow.tasks.items["p"]]
    lone, parent = await common.nodes_of(wanted, on=TODAY, today=TODAY, uow=uow)
    assert (lone.task.id, lone.progress) == ("lone", 0)
    assert (parent.task.id, parent.progress) == ("p", 30)  # (60 + 0) / 2
    assert parent.task is uow.tasks.items["p"]  # from today on, the entity itself


async def test_a_node_of_a_past_day_holds_a_read_record():
    uow = world()
    stored_task(uow, "t-1", status=TaskStatus.IN_PROGRESS)
    node = await common.node_of(uow.tasks.items["t-1"], on=date(2024, 1, 1), today=TODAY, uow=uow)
    assert isinstance(node.task, TaskRecord) and node.task.status is TaskStatus.NOT_STARTED
    assert uow.tasks.items["t-1"].status is TaskStatus.IN_PROGRESS


async def test_a_child_filed_under_a_parent_of_another_plan_does_not_count_toward_it():
    uow = world()
    stored_task(uow, "p", plan_id="other-plan", status=TaskStatus.IN_PROGRESS)
    stored_task(uow, "c", parent_id="p", status=TaskStatus.IN_PROGRESS)  # bad data: no handler lets it in
    await report_on_task(
        "c",
        {"period": "2024-06", "percent": 80, "summary": "推进"},
        principal=CLERK,
        now=NOW,
        today=TODAY,
        uow=uow,
    )
    parent = await common.node_of(uow.tasks.items["p"], on=TODAY, today=TODAY, uow=uow)
    child = await common.node_of(uow.tasks.items["c"], on=TODAY, today=TODAY, uow=uow)
    assert parent.progress == 0 and child.progress == 80  # as the plans' own trees show them


async def test_no_plans_have_no_trees():
    assert await common.trees_of([], on=TODAY, today=TODAY, uow=world()) == {}
