"""Small builders for the planning tests: a task, a report, an indicator of Table 1."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from domain.planning.indicators import Direction, Indicator, Nature, Observation
from domain.planning.plan import Plan
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task, TaskStatus

PLAN = Plan(id="plan", title="鞍山高新区“十四五”规划", start_year=2021, end_year=2025, issued="2021-12")


def task(**fields: object) -> Task:
    values: dict[str, object] = {"plan_id": "plan", "title": "任务"}
    values.update(fields)
    return Task(**values)  # type: ignore[arg-type]


def in_state(status: TaskStatus, **fields: object) -> Task:
    return task(status=status, **fields)


def report(task_id: str, period: str, percent: object, *, filed: datetime | None = None, **fields: object):
    values: dict[str, object] = {
        "summary": "按计划推进",
        "filed_at": filed or datetime(2024, 1, 1, tzinfo=UTC),
    }
    values.update(fields)
    return ProgressReport(task_id=task_id, period=period, percent=percent, **values)  # type: ignore[arg-type]


def indicator(
    *,
    baseline: str | None,
    target: str,
    direction: Direction = Direction.UP,
    nature: Nature = Nature.EXPECTED,
    code: int = 2,
) -> Indicator:
    return Indicator(
        id=f"ind-{code}",
        plan_id="plan",
        code=code,
        area="经济发展",
        name="地区生产总值",
        unit="亿元",
        baseline_value=None if baseline is None else Decimal(baseline),
        target_value=Decimal(target),
        nature=nature,
        direction=direction,
    )


def observation(ind: Indicator, year: int, value: str) -> Observation:
    return Observation(indicator_id=ind.id, year=year, value=Decimal(value))


GDP = indicator(baseline="95.3", target="147")  # Table 1, 2: 地区生产总值(亿元) 95.3 → 147, expected, up
ENERGY = indicator(baseline=None, target="0.4", direction=Direction.DOWN, nature=Nature.BINDING, code=23)
REVENUE = indicator(baseline=None, target="1000", code=1)  # 1: 营业总收入(亿元) "-" → 1000
D = date
