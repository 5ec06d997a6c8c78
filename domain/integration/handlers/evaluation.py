"""评估台账: the year's evaluation as a workbook a planner can hand on — indicators, key tasks, a summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.integration.evaluation_report import (
    EvaluationReport,
    EvaluationReportUnitOfWork,
    evaluation_report,
)
from domain.integration.handlers.exports import TWO_PLACES, table
from domain.integration.ledgers.columns import Column
from domain.integration.ledgers.sheet import Table
from domain.integration.ledgers.specs import (
    ASSESSMENT,
    ESCALATIONS,
    EVALUATION_INDICATORS,
    EVALUATION_TASKS,
    LIGHTS,
)
from domain.integration.ports import LedgerUnitOfWork
from domain.planning.evaluation import Evaluation
from domain.planning.handlers.common import referenced_plan
from domain.planning.handlers.plans import evaluate_plan
from domain.planning.plan import Plan
from domain.planning.tasks import STATUS_ZH

FOUR_PLACES = Decimal("0.0001")
SUMMARY = (Column("项目", "item"), Column("数值", "value"))
LABELS = dict(LIGHTS) | dict(ASSESSMENT) | dict(ESCALATIONS) | STATUS_ZH


def _shown(value: Decimal | None, places: Decimal = FOUR_PLACES, *, percent: bool = False) -> Decimal | None:
    """A computed value rounded for the reader (the rules keep every digit); fractions as percent points."""
    if value is None:
        return None
    return ((value * 100) if percent else value).quantize(places if not percent else TWO_PLACES).normalize()


async def export_evaluation(
    plan_id: str | None, year: int, *, uow: LedgerUnitOfWork, today: date, language: str = "zh"
) -> list[Table]:
    """The evaluation of `year` as of min(today, 31 Dec): GET /plans/{id}/evaluation as sheets."""
    plan = await referenced_plan(plan_id or "", uow=uow)
    evaluation = await evaluate_plan(plan.id, year, today=today, uow=uow)
    return evaluation_tables(plan, evaluation, language=language)


async def evaluation_workbook(
    plan_id: str | None, year: int, *, uow: EvaluationReportUnitOfWork, today: date, language: str = "zh"
) -> tuple[list[Table], EvaluationReport]:
    """The sheets and the evaluation report that they and the charts show: one evaluation, computed once."""
    plan = await referenced_plan(plan_id or "", uow=uow)
    report = await evaluation_report(plan.id, year, today=today, uow=uow)
    return evaluation_tables(report.plan, report.evaluation, language=language), report


def evaluation_tables(plan: Plan, evaluation: Evaluation, *, language: str = "zh") -> list[Table]:
    """An evaluation as three sheets: indicators, key tasks, a summary."""
    year = evaluation.year
    indicators = [
        {
            **{name: getattr(r.indicator, name) for name in ("code", "area", "name", "unit")},
            "baseline_value": r.indicator.baseline_value,
            "target_value": r.indicator.target_value,
            "expected_value": _shown(r.assessment.expected_value),
            "actual_value": r.assessment.actual_value,
            "completion_ratio": _shown(r.assessment.completion_ratio, percent=True),
            "status": r.assessment.status,
            "projected_value": _shown(r.assessment.projected_value),
            "required_annual_growth": _shown(r.assessment.required_annual_growth, percent=True),
            "registry_value": r.assessment.registry_value,
        }
        for r in evaluation.indicators
    ]
    tasks = [
        {
            "code": node.task.code,
            "title": node.task.title,
            "progress": node.progress.quantize(TWO_PLACES),
            "warning": node.warning,
            "status": node.task.status,
            "escalation": node.escalation,
        }
        for node in evaluation.tasks
    ]
    zh = language == "zh"
    summary = [
        {"item": "规划" if zh else "plan", "value": plan.title},
        {"item": "评估年度" if zh else "year", "value": year},
        {"item": "评估截至" if zh else "as_of", "value": evaluation.as_of},
    ]
    for group, counts in evaluation.counts.items():
        for slug, count in counts.items():
            summary.append({"item": LABELS.get(slug, slug) if zh else f"{group}.{slug}", "value": count})
    codes = {r.indicator.id: r.indicator.code for r in evaluation.indicators}
    titles, stack = {}, list(evaluation.tasks)
    while stack:  # every task of the tree: a divergence may name any of them
        node = stack.pop()
        titles[node.task.id] = node.task.code or node.task.title
        stack.extend(node.children)
    for d in evaluation.divergences:
        what = f"{titles.get(d.task_id, d.task_id)} ↔ {codes.get(d.indicator_id, d.indicator_id)}"
        summary.append({"item": "进度与指标背离" if zh else "divergence", "value": what})
    return [
        table(
            f"指标评估{year}" if zh else f"indicators {year}",
            EVALUATION_INDICATORS,
            indicators,
            language=language,
        ),
        table("重点任务" if zh else "key tasks", EVALUATION_TASKS, tasks, language=language),
        table("汇总" if zh else "summary", SUMMARY, summary, language=language),
    ]
