"""The plan handlers without a database: the plan record, its tree on a day, the evaluation of a year."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.planning.handlers import plans
from domain.planning.indicators import Indicator, Observation
from domain.planning.reports import ProgressReport
from domain.planning.tasks import TaskStatus, Transition
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.handlers.planning.world import NOW, TODAY, Expecting, Stale, stored_task, world


def report(task_id: str, period: str, percent: int, **fields) -> ProgressReport:
    filed = datetime(int(period[:4]), int(period[5:]), 28, tzinfo=UTC)
    return ProgressReport(
        task_id=task_id, period=period, percent=percent, summary="推进", filed_at=filed, **fields
    )


def moved(task_id: str, to: TaskStatus, on: date) -> Transition:
    """The task's first move, to `to` on `on`."""
    action = {TaskStatus.IN_PROGRESS: "start", TaskStatus.COMPLETED: "complete"}[to]
    return Transition(
        task_id=task_id, seq=1, action=action, from_status=TaskStatus.NOT_STARTED, to_status=to, on=on, at=NOW
    )


async def test_a_plan_is_added_and_listed_in_id_order():
    uow = world()
    made = await plans.create_plan(
        {"title": " 数字经济专项规划 ", "start_year": 2023, "end_year": 2027, "issued": "2023-03"}, uow=uow
    )
    assert uow.plans.items[made.id] is made and made.title == "数字经济专项规划" and made.issued == "2023-03"
    assert uow.commits == 1
    page = await plans.plans_page(after=None, limit=1, uow=uow)
    assert [p.id for p in page] == sorted(uow.plans.items)  # limit + 1 of the two


async def test_a_plan_whose_years_run_backwards_is_not_added():
    uow = world()
    with pytest.raises(InvalidValue) as raised:
        await plans.create_plan({"title": "规划", "start_year": 2025, "end_year": 2021}, uow=uow)
    assert raised.value.field == "end_year" and list(uow.plans.items) == ["plan"] and uow.commits == 0


async def test_a_plan_changes_as_the_caller_expected_it():
    uow = world()
    expect = Expecting()
    changed = await plans.update_plan("plan", {"issuer": "高新区管委会"}, expect=expect, uow=uow)
    assert expect.shown == [uow.plans.items["plan"]] and changed.issuer == "高新区管委会" and uow.commits == 1


async def test_a_stale_unknown_or_invalid_plan_change_is_refused():
    uow = world()
    with pytest.raises(Stale):
        await plans.update_plan("plan", {"title": "新"}, expect=Expecting(stale=True), uow=uow)
    assert uow.plans.items["plan"].title == "“十四五”规划"
    with pytest.raises(NotFound):
        await plans.update_plan("nope", {"title": "新"}, expect=Expecting(), uow=uow)
    with pytest.raises(InvalidValue):
        await plans.update_plan("plan", {"issued": "2021-13"}, expect=Expecting(), uow=uow)
    assert uow.commits == 0


async def test_the_tree_nests_the_tasks_and_rolls_progress_up_by_weight():
    uow = world()
    stored_task(uow, "root", code="1")
    stored_task(uow, "a", parent_id="root", code="1.1", weight=Decimal(3), status=TaskStatus.IN_PROGRESS)
    stored_task(uow, "b", parent_id="root", code="1.2", status=TaskStatus.IN_PROGRESS)
    uow.progress_reports.add(report("a", "2024-05", 40))
    uow.progress_reports.add(report("b", "2024-05", 80))
    plan, tree = await plans.plan_tree("plan", on=TODAY, today=TODAY, uow=uow)
    [root] = tree.roots
    assert plan.id == "plan" and [child.task.id for child in root.children] == ["a", "b"]
    assert root.progress == Decimal(50)  # (40 × 3 + 80 × 1) / 4
    with pytest.raises(NotFound):
        await plans.plan_tree("nope", on=TODAY, today=TODAY, uow=uow)


async def test_the_tree_of_a_past_day_reads_the_reports_and_moves_of_that_day():
    uow = world()
    stored_task(uow, "a", status=TaskStatus.IN_PROGRESS)
    uow.task_transitions.add(moved("a", TaskStatus.IN_PROGRESS, date(2024, 3, 1)))
    uow.progress_reports.add(report("a", "2024-02", 10))
    uow.progress_reports.add(report("a", "2024-05", 60))
    _, in_february = await plans.plan_tree("plan", on=date(2024, 2, 29), today=TODAY, uow=uow)
    _, in_april = await plans.plan_tree("plan", on=date(2024, 4, 30), today=TODAY, uow=uow)
    _, today = await plans.plan_tree("plan", on=TODAY, today=TODAY, uow=uow)
    assert in_february.nodes["a"].task.status is TaskStatus.NOT_STARTED
    assert (in_april.nodes["a"].task.status, in_april.nodes["a"].progress) == (TaskStatus.IN_PROGRESS, 10)
    assert today.nodes["a"].progress == 60


async def test_the_evaluation_of_a_year_counts_the_tasks_and_assesses_the_indicators():
    uow = world()
    stored_task(uow, "done", status=TaskStatus.COMPLETED)
    stored_task(uow, "late", due_date=date(2024, 3, 31))
    uow.task_transitions.add(moved("done", TaskStatus.COMPLETED, date(2023, 11, 1)))
    uow.indicators.items["gdp"] = Indicator(
        id="gdp",
        plan_id="plan",
        code=2,
        area="经济发展",
        name="地区生产总值",
        unit="亿元",
        baseline_value=Decimal("95.3"),
        target_value=Decimal(147),
    )
    uow.observations.add(Observation(indicator_id="gdp", year=2023, value=Decimal("126.32")))
    evaluation = await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow)
    assert evaluation.as_of == date(2023, 12, 31)  # a past year: its last day
    [result] = evaluation.indicators
    assert result.assessment.actual_value == Decimal("126.32")
    assert [node.task.id for node in evaluation.tasks] == ["done", "late"]
    assert evaluation.counts["status"]["completed"] == 1 and evaluation.counts["status"]["not_started"] == 1
    before = await plans.evaluate_plan("plan", 2023, today=TODAY, on=date(2023, 10, 31), uow=uow)
    assert before.counts["status"]["not_started"] == 2  # the dashboard's day: before the completion
    this_year = await plans.evaluate_plan("plan", 2024, today=TODAY, uow=uow)
    assert this_year.as_of == TODAY and this_year.counts["warning"]["red"] == 1  # overdue since March


async def test_an_evaluation_of_a_year_outside_the_plan_or_of_no_plan_is_refused():
    uow = world()
    with pytest.raises(InvalidValue) as outside:
        await plans.evaluate_plan("plan", 2026, today=TODAY, uow=uow)
    assert outside.value.field == "year"
    with pytest.raises(NotFound):
        await plans.evaluate_plan("nope", 2023, today=TODAY, uow=uow)
