"""台账导入 through the unit of work in memory: rows written through the owning context's handlers, committed
once or never, and the report a user reads back (rows, created, updated, errors by row and column)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.identity.accounts import Department
from domain.integration.handlers.imports import import_ledger
from domain.integration.ledgers.sheet import Merge, Sheet, SheetRow
from domain.planning.indicators import Direction, Indicator, Nature, Observation
from domain.planning.plan import Plan
from domain.planning.tasks import Task, TaskStatus
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.cultivation.builders import with_check_character
from tests.unit.handlers.integration.ledgers import Lookups, SavepointRows, ledger_unit

TODAY = date(2025, 3, 10)
NOW = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
CODE_A = with_check_character("91210300MA0U6X8Q1")
CODE_B = with_check_character("91210300MA0U6X8Q2")


def sheet(header: tuple[object, ...], *rows: tuple[object, ...], merges=()) -> Sheet:
    return Sheet(header, [SheetRow(n, cells) for n, cells in enumerate(rows, start=2)], list(merges))


async def run(uow, kind: str, data: Sheet, **options):
    return await import_ledger(
        kind,
        data,
        uow=uow,
        rows=SavepointRows(uow),
        lookups=Lookups(uow),
        today=TODAY,
        now=NOW,
        **options,
    )


# --- 企业名录 ---

ENTERPRISE_HEADER = ("企业名称", "统一社会信用代码", "所在组团", "是否上市")


async def test_enterprises_new_ones_registered_a_known_one_by_credit_code_changed_committed_once():
    uow = ledger_unit()
    known = Enterprise(name="鞍山甲科技有限公司", credit_code=CODE_A, cluster="高新科创城")
    uow.enterprises.items[known.id] = known
    report = await run(
        uow,
        "enterprises",
        sheet(
            ENTERPRISE_HEADER,
            ("鞍山甲科技有限公司", CODE_A, "新经济活力区", "否"),
            ("鞍山乙科技有限公司", CODE_B, "高新科创城", "是"),
            ("鞍山丙科技有限公司", None, None, None),
        ),
    )
    assert (report.rows, report.created, report.updated, report.errors) == (3, 2, 1, [])
    assert uow.commits == 1
    names = sorted(e.name for e in uow.enterprises.items.values())
    assert names == ["鞍山丙科技有限公司", "鞍山乙科技有限公司", "鞍山甲科技有限公司"]
    assert known.cluster == "新经济活力区"
    registered = [e for e in uow.published if e.type == "enterprise.registered"]
    assert sorted(e.data["name"] for e in registered) == ["鞍山丙科技有限公司", "鞍山乙科技有限公司"]


async def test_an_unchanged_row_counts_as_neither_created_nor_updated():
    uow = ledger_unit()
    known = Enterprise(name="鞍山甲科技有限公司", credit_code=CODE_A, cluster="高新科创城", listed=False)
    uow.enterprises.items[known.id] = known
    data = sheet(ENTERPRISE_HEADER, ("鞍山甲科技有限公司", CODE_A, "高新科创城", "否"))
    report = await run(uow, "enterprises", data)
    assert (report.rows, report.written, report.errors) == (1, 0, [])


async def test_a_bad_row_refuses_the_sheet_nothing_committed_and_the_error_names_row_and_column():
    uow = ledger_unit()
    data = sheet(
        ENTERPRISE_HEADER,
        ("鞍山乙科技有限公司", CODE_B, None, None),
        ("鞍山丙科技有限公司", None, None, "也许"),
    )
    report = await run(uow, "enterprises", data)
    assert report.refused and (report.created, report.updated) == (0, 0)
    assert [(e.row, e.column) for e in report.errors] == [(3, "是否上市")]
    assert uow.commits == 0 and uow.published == []


async def test_partial_writes_the_good_rows_and_reports_the_others():
    uow = ledger_unit()
    data = sheet(
        ENTERPRISE_HEADER,
        ("鞍山乙科技有限公司", CODE_B, None, None),
        ("鞍山丙科技有限公司", "91210300XXXXXXXXXX", None, None),
    )
    report = await run(uow, "enterprises", data, partial=True)
    assert not report.refused and report.created == 1
    assert [(e.row, e.column) for e in report.errors] == [(3, "统一社会信用代码")]
    assert [e.name for e in uow.enterprises.items.values()] == ["鞍山乙科技有限公司"]
    assert uow.commits == 1 and uow.published_types() == ["enterprise.registered"]


async def test_a_known_name_with_another_credit_code_is_refused_never_merged():
    uow = ledger_unit()
    known = Enterprise(name="鞍山甲科技有限公司", credit_code=CODE_A)
    uow.enterprises.items[known.id] = known
    report = await run(
        uow, "enterprises", sheet(ENTERPRISE_HEADER, ("鞍山甲科技有限公司", CODE_B, None, None))
    )
    assert report.refused and [(e.row, e.column) for e in report.errors] == [(2, "统一社会信用代码")]
    assert CODE_A in report.errors[0].zh and known.credit_code == CODE_A and uow.commits == 0


async def test_a_dry_run_reports_what_it_would_write_and_commits_nothing():
    uow = ledger_unit()
    report = await run(
        uow, "enterprises", sheet(ENTERPRISE_HEADER, ("鞍山乙科技有限公司", CODE_B, None, None)), dry_run=True
    )
    assert report.dry_run and report.created == 1 and uow.commits == 0 and uow.published == []


async def test_merged_cells_over_read_columns_are_row_errors_never_guessed():
    uow = ledger_unit()
    data = sheet(
        ENTERPRISE_HEADER,
        ("鞍山乙科技有限公司", CODE_B, "高新科创城", None),
        ("鞍山丙科技有限公司", None, None, None),
        merges=[Merge("C2:C3", 2, 3, 3, 3)],
    )
    report = await run(uow, "enterprises", data)
    assert report.refused and {(e.row, e.column) for e in report.errors} == {(2, "所在组团"), (3, "所在组团")}
    assert uow.commits == 0


async def test_an_unreadable_header_or_an_unknown_kind_refuses_before_any_row():
    uow = ledger_unit()
    with pytest.raises(InvalidValue) as missing:
        await run(uow, "enterprises", sheet(("统一社会信用代码",), (CODE_B,)))
    assert missing.value.field == "file" and "企业名称" in missing.value.zh
    with pytest.raises(NotFound):
        await run(uow, "nonsense", sheet(ENTERPRISE_HEADER))
    assert uow.commits == 0


# --- 年度经营数据 ---


async def test_metrics_by_name_a_column_left_out_keeps_its_figure():
    uow = ledger_unit()
    known = Enterprise(name="鞍山甲科技有限公司", credit_code=CODE_A)
    uow.enterprises.items[known.id] = known
    kept = AnnualMetrics(enterprise_id=known.id, year=2023, revenue=Decimal(100), employees=20)
    uow.annual_metrics.items[kept.id] = kept
    data = sheet(
        ("企业名称", "年度", "营业收入(万元)"),
        ("鞍山甲科技有限公司", 2023, 120.5),
        ("鞍山甲科技有限公司", 2024, 150),
        ("鞍山无名有限公司", 2024, 1),
    )
    report = await run(uow, "metrics", data, partial=True)
    assert (report.created, report.updated) == (1, 1)
    assert [(e.row, e.column) for e in report.errors] == [(4, "企业名称")]
    assert kept.revenue == Decimal("120.5") and kept.employees == 20
    new = next(m for m in uow.annual_metrics.items.values() if m.year == 2024)
    assert new.enterprise_id == known.id and new.revenue == Decimal(150) and new.employees is None


# --- plans: 指标实际值 ---


def planned(uow) -> tuple[Plan, Indicator]:
    plan = Plan(title="鞍山高新区“十四五”规划", start_year=2021, end_year=2025)
    gdp = Indicator(
        plan_id=plan.id,
        code=2,
        area="经济发展",
        name="地区生产总值",
        unit="亿元",
        baseline_value=Decimal("95.3"),
        target_value=Decimal(147),
        nature=Nature.EXPECTED,
        direction=Direction.UP,
    )
    uow.plans.items[plan.id] = plan
    uow.indicators.items[gdp.id] = gdp
    return plan, gdp


OBSERVATION_HEADER = ("指标序号", "年份", "实际值", "数据来源")


async def test_observations_need_a_known_plan():
    uow = ledger_unit()
    data = sheet(OBSERVATION_HEADER, (2, 2023, 120, None))
    with pytest.raises(InvalidValue) as without:
        await run(uow, "indicator_observations", data)
    with pytest.raises(InvalidValue) as unknown:
        await run(uow, "indicator_observations", data, plan_id="nope")
    assert without.value.field == unknown.value.field == "plan_id" and uow.commits == 0


async def test_observations_new_replaced_and_unchanged_by_indicator_code_and_year():
    uow = ledger_unit()
    plan, gdp = planned(uow)
    same = Observation(indicator_id=gdp.id, year=2022, value=Decimal(110), source="统计局")
    old = Observation(indicator_id=gdp.id, year=2023, value=Decimal(118), source="统计局")
    uow.observations.items.update({same.id: same, old.id: old})
    data = sheet(
        OBSERVATION_HEADER,
        (2, 2022, 110, "统计局"),
        (2, 2023, 120.5, "统计局"),
        (2, 2024, 131, None),
        (99, 2024, 1, None),
        (2, 2030, 1, None),
    )
    report = await run(uow, "indicator_observations", data, plan_id=plan.id, partial=True)
    assert (report.rows, report.created, report.updated) == (5, 1, 1)
    assert [(e.row, e.column) for e in report.errors] == [(5, "指标序号"), (6, "年份")]
    values = {o.year: o.value for o in uow.observations.items.values()}
    assert values == {2022: Decimal(110), 2023: Decimal("120.5"), 2024: Decimal(131)}
    assert uow.commits == 1
    observed = [e for e in uow.published if e.type == "indicator.observed"]
    assert sorted(e.data["year"] for e in observed) == [2023, 2024]


# --- plans: 进展报告 ---

REPORT_HEADER = ("任务编号", "报告期", "进度(%)", "进展情况", "填报日期")


async def test_a_report_on_a_task_not_started_starts_it_on_its_periods_first_day():
    uow = ledger_unit()
    plan, _ = planned(uow)
    task = Task(plan_id=plan.id, title="建设激光产业园", code="1.1", start_date=date(2025, 1, 1))
    uow.tasks.items[task.id] = task
    data = sheet(REPORT_HEADER, ("1.1", "2025-02", 30, "完成选址", date(2025, 3, 5)))
    report = await run(uow, "progress_reports", data, plan_id=plan.id)
    assert (report.created, report.errors) == (1, [])
    (filed,) = uow.progress_reports.items.values()
    assert (filed.task_id, filed.period, filed.percent, filed.filed_by) == (task.id, "2025-02", 30, "planner")
    assert task.status is TaskStatus.IN_PROGRESS
    (move,) = uow.task_transitions.items.values()
    assert (move.task_id, move.on) == (task.id, date(2025, 2, 1))
    assert uow.commits == 1 and "task.progress_reported" in uow.published_types()


async def test_a_report_already_in_the_ledger_is_unchanged_and_one_in_the_future_is_refused():
    uow = ledger_unit()
    plan, _ = planned(uow)
    task = Task(plan_id=plan.id, title="建设激光产业园", code="1.1", start_date=date(2025, 1, 1))
    uow.tasks.items[task.id] = task
    row = ("1.1", "2025-02", 30, "完成选址", date(2025, 3, 5))
    await run(uow, "progress_reports", sheet(REPORT_HEADER, row), plan_id=plan.id)
    again = await run(
        uow,
        "progress_reports",
        sheet(REPORT_HEADER, row, ("1.1", "2025-03", 40, "开工", date(2025, 3, 20))),
        plan_id=plan.id,
    )
    assert again.refused and again.created == 0
    assert [(e.row, e.column) for e in again.errors] == [(3, "填报日期")]
    assert len(uow.progress_reports.items) == 1 and uow.commits == 1  # only the first import's


# --- plans: 督办台账 ---

TASK_HEADER = (
    "任务编号",
    "任务名称",
    "上级任务编号",
    "牵头部门",
    "开始日期",
    "完成时限",
    "实际开始日期",
    "实际完成日期",
)


def with_department(uow) -> tuple[Lookups, Department]:
    department = Department(name="科技创新局", code="KJ")
    uow.tasks.department_ids.add(department.id)
    return Lookups(uow, [department]), department


async def test_tasks_parents_by_code_departments_by_name_and_actual_dates_as_dated_moves():
    uow = ledger_unit()
    plan, _ = planned(uow)
    lookups, department = with_department(uow)
    data = sheet(
        TASK_HEADER,
        ("1", "建设激光产业园", None, "科技创新局", date(2025, 1, 1), date(2025, 12, 31), None, None),
        (
            "1.1",
            "完成选址",
            "1",
            "KJ",
            date(2025, 1, 1),
            date(2025, 3, 31),
            date(2025, 1, 6),
            date(2025, 3, 3),
        ),
    )
    report = await import_ledger(
        "tasks",
        data,
        uow=uow,
        rows=SavepointRows(uow),
        lookups=lookups,
        today=TODAY,
        plan_id=plan.id,
        now=NOW,
    )
    assert (report.created, report.errors) == (2, [])
    tasks = {t.code: t for t in uow.tasks.items.values()}
    assert tasks["1.1"].parent_id == tasks["1"].id
    assert tasks["1"].lead_department_id == tasks["1.1"].lead_department_id == department.id
    assert tasks["1.1"].status is TaskStatus.COMPLETED and tasks["1"].status is TaskStatus.NOT_STARTED
    moves = [(m.task_id, m.to_status, m.on) for m in uow.task_transitions.items.values()]
    assert moves == [
        (tasks["1.1"].id, TaskStatus.IN_PROGRESS, date(2025, 1, 6)),
        (tasks["1.1"].id, TaskStatus.COMPLETED, date(2025, 3, 3)),
    ]
    assert uow.commits == 1 and uow.published_types().count("task.created") == 2


async def test_a_task_row_naming_an_unknown_parent_or_department_refuses_the_sheet():
    uow = ledger_unit()
    plan, _ = planned(uow)
    lookups, _ = with_department(uow)
    data = sheet(
        TASK_HEADER,
        ("2", "引进人才", "9", None, None, None, None, None),
        ("3", "建设园区", None, "财政局", None, None, None, None),
    )
    report = await import_ledger(
        "tasks",
        data,
        uow=uow,
        rows=SavepointRows(uow),
        lookups=lookups,
        today=TODAY,
        plan_id=plan.id,
        now=NOW,
    )
    assert report.refused and [(e.row, e.column) for e in report.errors] == [
        (2, "上级任务编号"),
        (3, "牵头部门"),
    ]
    assert uow.commits == 0 and uow.published == []
