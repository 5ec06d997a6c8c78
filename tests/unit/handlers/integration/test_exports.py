"""台账导出 through the unit of work in memory: the sheets a user downloads, the columns its import reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.identity.policy import Principal
from domain.integration.handlers import exports
from domain.integration.ledgers.sheet import Table
from domain.integration.ledgers.specs import INDICATOR_OBSERVATIONS, METRICS
from domain.planning.indicators import Direction, Indicator, Nature, Observation
from domain.planning.plan import Plan
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task
from domain.shared.errors import InvalidValue
from tests.unit.handlers.integration.ledgers import Lookups, ledger_unit

TODAY = date(2025, 3, 10)


def rows(table: Table) -> list[dict[str, object]]:
    """The sheet as a reader sees it: each row by its header."""
    return [dict(zip(table.headers, row, strict=True)) for row in table.rows]


def plan_with_indicators(uow, *codes: int) -> tuple[Plan, dict[int, Indicator]]:
    plan = Plan(title="鞍山高新区“十四五”规划", start_year=2021, end_year=2025)
    uow.plans.items[plan.id] = plan
    indicators = {}
    for code in codes:
        indicator = Indicator(
            plan_id=plan.id,
            code=code,
            area="经济发展",
            name=f"指标{code}",
            unit="亿元",
            baseline_value=Decimal(1),
            target_value=Decimal(2),
            nature=Nature.EXPECTED,
            direction=Direction.UP,
        )
        uow.indicators.items[indicator.id] = indicator
        indicators[code] = indicator
    return plan, indicators


async def test_observations_by_indicator_code_then_year_with_its_name_and_unit():
    uow = ledger_unit()
    plan, indicators = plan_with_indicators(uow, 2, 11)
    for code, year, value in ((11, 2022, "3"), (2, 2023, "120.5"), (2, 2022, "110")):
        observation = Observation(indicator_id=indicators[code].id, year=year, value=Decimal(value))
        uow.observations.items[observation.id] = observation
    (sheet,) = await exports.export_observations(plan.id, uow=uow)
    assert sheet.title == "指标实际值"
    assert sheet.headers == [c.header for c in INDICATOR_OBSERVATIONS.columns]
    shown = [(r["指标序号"], r["年份"], r["实际值"], r["指标名称"], r["单位"]) for r in rows(sheet)]
    assert shown == [
        (2, 2022, Decimal(110), "指标2", "亿元"),
        (2, 2023, Decimal("120.5"), "指标2", "亿元"),
        (11, 2022, Decimal(3), "指标11", "亿元"),
    ]
    assert uow.commits == 0


async def test_an_english_export_heads_its_columns_with_the_field_names():
    uow = ledger_unit()
    plan, _ = plan_with_indicators(uow, 2)
    (sheet,) = await exports.export_observations(plan.id, uow=uow, language="en")
    assert sheet.headers == [c.field for c in INDICATOR_OBSERVATIONS.columns]


async def test_a_plan_export_of_an_unknown_plan_is_refused_on_plan_id():
    uow = ledger_unit()
    for export in (exports.export_observations, exports.export_progress_reports):
        with pytest.raises(InvalidValue) as refused:
            await export("nope", uow=uow)
        assert refused.value.field == "plan_id"


async def test_progress_reports_in_the_order_filed_by_task_code_or_id_returned_ones_marked():
    uow = ledger_unit()
    plan, _ = plan_with_indicators(uow)
    coded = Task(plan_id=plan.id, title="建设激光产业园", code="1.1")
    uncoded = Task(plan_id=plan.id, title="引进人才")
    uow.tasks.items.update({coded.id: coded, uncoded.id: uncoded})
    late = ProgressReport(
        task_id=coded.id,
        period="2025-02",
        percent=Decimal(40),
        summary="开工",
        filed_at=datetime(2025, 3, 1, 17, 0, tzinfo=UTC),  # 1 March 17:00 UTC is 2 March in Shanghai
        filed_by="dept",
        returned=True,
        return_comment="请补充照片",
    )
    early = ProgressReport(
        task_id=uncoded.id,
        period="2025-01",
        percent=Decimal(10),
        summary="启动",
        filed_at=datetime(2025, 2, 1, 2, 0, tzinfo=UTC),
        filed_by="dept",
    )
    uow.progress_reports.items.update({late.id: late, early.id: early})
    (sheet,) = await exports.export_progress_reports(plan.id, uow=uow)
    shown = rows(sheet)
    assert [(r["任务编号"], r["任务ID"], r["报告期"]) for r in shown] == [
        (None, uncoded.id, "2025-01"),
        ("1.1", None, "2025-02"),
    ]
    assert shown[1]["填报日期"] == date(2025, 3, 2)
    assert (shown[1]["是否退回"], shown[1]["退回意见"], shown[0]["是否退回"]) == ("是", "请补充照片", "否")
    assert shown[1]["报告ID"] == late.id


async def test_enterprises_show_todays_tier_which_the_import_never_reads():
    uow = ledger_unit()
    plain = Enterprise(name="鞍山甲科技有限公司")
    certified = Enterprise(name="鞍山乙科技有限公司")
    uow.enterprises.items.update({plain.id: plain, certified.id: certified})
    hnte = Certification(enterprise_id=certified.id, kind="hnte", issued_on=date(2024, 1, 1))
    uow.certifications.items[hnte.id] = hnte
    (sheet,) = await exports.export_enterprises(uow=uow, lookups=Lookups(uow), today=TODAY)
    tiers = {r["企业名称"]: r["当前梯度"] for r in rows(sheet)}
    assert tiers == {"鞍山甲科技有限公司": "无", "鞍山乙科技有限公司": "高新技术企业"}


READER = Principal(kind="user", id="u1", name="viewer", roles=frozenset({"viewer"}))
OFFICER = Principal(kind="user", id="u2", name="officer", roles=frozenset({"officer"}))


class Reads:
    """The RecordReads port: what it was asked to record."""

    def __init__(self) -> None:
        self.recorded: list = []

    async def __call__(self, reads) -> None:
        self.recorded.extend(reads)


def registry_with_figures(uow) -> Enterprise:
    enterprise = Enterprise(name="鞍山甲科技有限公司")
    uow.enterprises.items[enterprise.id] = enterprise
    for year, revenue in ((2023, 100), (2024, 150)):
        record = AnnualMetrics(enterprise_id=enterprise.id, year=year, revenue=Decimal(revenue))
        uow.annual_metrics.items[record.id] = record
    return enterprise


async def test_metrics_without_read_sensitive_leave_the_figures_blank_and_record_no_read():
    uow = ledger_unit()
    registry_with_figures(uow)
    reads = Reads()
    (sheet,) = await exports.export_metrics(lookups=Lookups(uow), principal=READER, record_reads=reads)
    shown = rows(sheet)
    assert [(r["企业名称"], r["年度"]) for r in shown] == [
        ("鞍山甲科技有限公司", 2023),
        ("鞍山甲科技有限公司", 2024),
    ]
    figures = [c.header for c in METRICS.columns if c.sensitive]
    assert all(r[header] is None for r in shown for header in figures)
    assert reads.recorded == []


async def test_metrics_with_read_sensitive_show_the_figures_and_are_an_audited_read():
    uow = ledger_unit()
    enterprise = registry_with_figures(uow)
    reads = Reads()
    (sheet,) = await exports.export_metrics(lookups=Lookups(uow), principal=OFFICER, record_reads=reads)
    assert [r["营业收入(万元)"] for r in rows(sheet)] == [Decimal(100), Decimal(150)]
    (read,) = reads.recorded
    assert read.enterprise_id == enterprise.id and dict(read.details) == {
        "view": "export",
        "years": [2023, 2024],
    }
