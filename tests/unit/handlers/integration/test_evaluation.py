"""评估台账 through the unit of work in memory: the year's evaluation as three sheets a planner hands on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.integration.handlers.evaluation import evaluation_workbook, export_evaluation
from domain.integration.ledgers.sheet import Table
from domain.planning.indicators import Direction, Indicator, Nature, Observation
from domain.planning.plan import Plan
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task, TaskStatus
from domain.shared.errors import InvalidValue
from tests.unit.handlers.integration.ledgers import ledger_unit
from tests.unit.handlers.planning.world import stored_task, world

TODAY = date(2025, 3, 10)


def rows(table: Table) -> list[dict[str, object]]:
    return [dict(zip(table.headers, row, strict=True)) for row in table.rows]


def evaluated_plan(uow) -> Plan:
    plan = Plan(title="鞍山高新区“十四五”规划", start_year=2021, end_year=2025)
    gdp = Indicator(
        plan_id=plan.id,
        code=2,
        area="经济发展",
        name="地区生产总值",
        unit="亿元",
        baseline_value=Decimal("100"),
        target_value=Decimal("150"),
        nature=Nature.EXPECTED,
        direction=Direction.UP,
    )
    observed = Observation(indicator_id=gdp.id, year=2025, value=Decimal("120"))
    task = Task(
        plan_id=plan.id,
        title="建设激光产业园",
        code="1.1",
        start_date=date(2025, 1, 1),
        due_date=date(2025, 12, 31),
        status=TaskStatus.IN_PROGRESS,
    )
    report = ProgressReport(
        task_id=task.id,
        period="2025-02",
        percent=Decimal(40),
        summary="开工",
        filed_at=datetime(2025, 3, 1, 2, 0, tzinfo=UTC),
    )
    uow.plans.items[plan.id] = plan
    uow.indicators.items[gdp.id] = gdp
    uow.observations.items[observed.id] = observed
    uow.tasks.items[task.id] = task
    uow.progress_reports.items[report.id] = report
    return plan


async def test_the_evaluation_is_three_sheets_indicators_key_tasks_and_a_summary():
    uow = ledger_unit()
    plan = evaluated_plan(uow)
    indicators, tasks, summary = await export_evaluation(plan.id, 2025, uow=uow, today=TODAY)
    assert [indicators.title, tasks.title, summary.title] == ["指标评估2025", "重点任务", "汇总"]
    (gdp,) = rows(indicators)
    assert (gdp["序号"], gdp["指标名称"], gdp["基期值"], gdp["目标值"]) == (2, "地区生产总值", 100, 150)
    assert gdp["实际值"] == Decimal(120)
    (task,) = rows(tasks)
    assert (task["任务编号"], task["进度(%)"], task["任务状态"]) == ("1.1", Decimal(40), "进行中")
    items = {r["项目"]: r["数值"] for r in rows(summary)}
    assert items["规划"] == plan.title and items["评估年度"] == 2025
    assert items["评估截至"] == TODAY  # the year is not over: as of today
    assert uow.commits == 0


async def test_an_english_evaluation_names_its_sheets_and_items_in_english():
    uow = ledger_unit()
    plan = evaluated_plan(uow)
    indicators, tasks, summary = await export_evaluation(plan.id, 2025, uow=uow, today=TODAY, language="en")
    assert [indicators.title, tasks.title, summary.title] == ["indicators 2025", "key tasks", "summary"]
    assert {"plan", "year", "as_of"} <= {r["item"] for r in rows(summary)}


async def test_an_unknown_plan_or_a_year_outside_it_is_refused():
    uow = ledger_unit()
    plan = evaluated_plan(uow)
    with pytest.raises(InvalidValue) as unknown:
        await export_evaluation("nope", 2025, uow=uow, today=TODAY)
    with pytest.raises(InvalidValue) as outside:
        await export_evaluation(plan.id, 2026, uow=uow, today=TODAY)
    assert (unknown.value.field, outside.value.field) == ("plan_id", "year")


async def test_the_workbook_and_its_charts_show_one_evaluation_computed_once():
    uow = world()
    stored_task(uow, "t-key", code="4", status=TaskStatus.IN_PROGRESS, due_date=date(2024, 12, 31))
    tables, report = await evaluation_workbook("plan", 2025, uow=uow, today=date(2026, 12, 6))
    assert [t.title for t in tables] == ["指标评估2025", "重点任务", "汇总"]
    assert (report.kind, report.evaluation.as_of) == ("final", date(2025, 12, 31))
    [task_row] = rows(tables[1])
    [key] = report.evaluation.tasks
    assert (task_row["任务编号"], key.task.code) == ("4", "4")
    assert uow.commits == 0
