"""台账导出: ledgers as workbooks with the columns its import reads: an export re-imports unchanged."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from domain.cultivation.sensitive import METRICS_READ, RecordReads, SensitiveRead
from domain.cultivation.stats import REGISTRY_BATCH
from domain.cultivation.tiers import tier_on
from domain.identity.policy import Principal
from domain.integration.importers.moves import actual_dates
from domain.integration.ledgers.columns import Column, format_cell
from domain.integration.ledgers.sheet import Table
from domain.integration.ledgers.specs import (
    ENTERPRISES,
    INDICATOR_OBSERVATIONS,
    METRICS,
    PROGRESS_REPORTS,
    TASKS,
    LedgerSpec,
)
from domain.integration.ports import LedgerLookupsPort, LedgerUnitOfWork
from domain.planning.handlers.common import referenced_plan, trees_of
from domain.planning.workflow import ExtensionRequest
from domain.shared.clock import day_of

LIGHT_FILLS = {
    "红灯": "FFC7CE",
    "黄灯": "FFEB9C",
    "绿灯": "C6EFCE",
    "red": "FFC7CE",
    "yellow": "FFEB9C",
    "green": "C6EFCE",
}
EXTENSION_ZH = {"pending": "待审批", "approved": "已批准", "rejected": "已驳回"}
TWO_PLACES = Decimal("0.01")
EXPORT_BATCH = REGISTRY_BATCH  # enterprises read at a time by the registry's export


def table(
    title: str,
    columns: Iterable[Column],
    records: Iterable[dict[str, Any]],
    *,
    language: str,
    blank: frozenset[str] = frozenset(),
) -> Table:
    """The records as a worksheet, one column each; its rows are formatted as the writer takes them."""
    columns = list(columns)
    rows = formatted(columns, records, language=language, blank=blank)
    return Table(title, headers(columns, language), rows, LIGHT_FILLS)


def headers(columns: Iterable[Column], language: str) -> list[str]:
    """The header row: Chinese headers, or the English field names with `en`."""
    return [column.header if language == "zh" else column.field for column in columns]


def formatted(
    columns: list[Column],
    records: Iterable[dict[str, Any]],
    *,
    language: str,
    blank: frozenset[str] = frozenset(),
) -> Iterator[list[object]]:
    """Each record as a row of cells, formatted as the writer takes it."""
    for record in records:
        yield [
            None if c.field in blank else format_cell(c, record.get(c.field), language=language)
            for c in columns
        ]


def _ledger(spec: LedgerSpec, records, *, language: str, blank: frozenset[str] = frozenset()) -> list[Table]:
    return [table(spec.title, spec.columns, records, language=language, blank=blank)]


async def export_enterprises(
    *, uow: LedgerUnitOfWork, lookups: LedgerLookupsPort, today: date, language: str = "zh"
) -> list[Table]:
    """企业名录: every enterprise, with its tier today (shown, never imported).

    Read EXPORT_BATCH enterprises at a time with their certifications, each batch formatted before the
    next is read: a worker holds the registry's rows as text, never all its entities at once.
    """
    fields, columns = _writable(ENTERPRISES), list(ENTERPRISES.columns)
    rows: list[list[object]] = []
    batches = uow.registry.in_batches(EXPORT_BATCH, read=lookups.enterprises_after)
    async for enterprises, certifications in batches:
        records = (
            {
                **{name: getattr(e, name) for name in fields},
                "tier": tier_on(certifications.get(e.id, ()), today),
            }
            for e in enterprises
        )
        rows.extend(formatted(columns, records, language=language))
    return [Table(ENTERPRISES.title, headers(columns, language), rows, LIGHT_FILLS)]


async def export_tasks(
    plan_id: str | None,
    *,
    uow: LedgerUnitOfWork,
    lookups: LedgerLookupsPort,
    today: date,
    language: str = "zh",
) -> list[Table]:
    """督办台账: the plan's tasks in tree order with light, escalation, latest report and extensions."""
    plan = await referenced_plan(plan_id or "", uow=uow)
    tree = (await trees_of([plan.id], on=today, today=today, uow=uow))[plan.id]
    latest = {r.task_id: r for r in await uow.progress_reports.latest_per_task([plan.id])}
    moves = await uow.task_transitions.of_plan(plan.id)
    extensions: dict[str, list[ExtensionRequest]] = {}
    for request in await lookups.extension_requests_of_plan(plan.id):
        extensions.setdefault(request.task_id, []).append(request)
    departments = {d.id: d.name for d in await lookups.departments()}
    indicator_codes = {i.id: str(i.code) for i in await uow.indicators.of_plan(plan.id)}
    records = []
    for node in tree:
        task, report = node.task, latest.get(node.task.id)
        parent = tree.nodes[task.parent_id].task if task.parent_id in tree.nodes else None
        records.append(
            {
                **{
                    name: getattr(task, name)
                    for name in ("code", "title", "description", "start_date", "due_date")
                },
                **actual_dates(task, moves.get(task.id, [])),
                "parent_code": parent.code if parent else None,
                "parent_id": parent.id if parent and not parent.code else None,
                "lead_department": departments.get(task.lead_department_id or ""),
                "co_departments": [departments.get(i, i) for i in task.co_department_ids],
                "weight": task.weight,
                "indicator_codes": [indicator_codes.get(i, i) for i in task.indicator_ids],
                "status": task.status,
                "progress": node.progress.quantize(TWO_PLACES),
                "warning": node.warning,
                "overdue": node.overdue,
                "escalation": node.escalation,
                "urge_count": task.urge_count,
                "original_due_date": task.original_due_date,
                **_report_fields(report),
                "extensions": _extensions(extensions.get(task.id, [])),
                "id": task.id,
            }
        )
    return _ledger(TASKS, records, language=language)


def _report_fields(report) -> dict[str, Any]:
    if report is None:
        return {}
    return {
        "report_period": report.period,
        "report_percent": report.percent,
        "report_summary": report.summary,
        "report_problems": report.problems,
        "report_next_steps": report.next_steps,
        "report_filed_by": report.filed_by,
    }


def _extensions(requests: list[ExtensionRequest]) -> str | None:
    lines = [
        f"{r.requested_at.date() if r.requested_at else ''} 申请延至 {r.new_due_date}"
        f"({EXTENSION_ZH.get(r.status.value, r.status.value)}):{r.reason}"
        for r in sorted(requests, key=lambda r: r.id)
    ]
    return "\n".join(lines) or None


async def export_progress_reports(
    plan_id: str | None, *, uow: LedgerUnitOfWork, language: str = "zh"
) -> list[Table]:
    """进展报告: every report of the plan's tasks in the order filed, returned ones too (shown as such): the
    supervision ledger, which re-imports unchanged."""
    plan = await referenced_plan(plan_id or "", uow=uow)
    tasks = {task.id: task for task in await uow.tasks.records_of_plans([plan.id])}
    records = []
    for report in await uow.progress_reports.of_plan(plan.id):
        task = tasks[report.task_id]
        records.append(
            {
                "task_code": task.code,
                "task_id": None if task.code else task.id,
                "task_title": task.title,
                **{name: getattr(report, name) for name in ("period", "percent", "summary", "problems")},
                "next_steps": report.next_steps,
                "filed_on": day_of(report.filed_at),
                "filed_by": report.filed_by,
                "returned": report.returned,
                "return_comment": report.return_comment,
                "id": report.id,
            }
        )
    return _ledger(PROGRESS_REPORTS, records, language=language)


async def export_observations(
    plan_id: str | None, *, uow: LedgerUnitOfWork, language: str = "zh"
) -> list[Table]:
    """指标实际值: every observation of the plan's indicators, by indicator code and year."""
    plan = await referenced_plan(plan_id or "", uow=uow)
    indicators = {i.id: i for i in await uow.indicators.of_plan(plan.id)}
    observations = await uow.observations.of_indicators(list(indicators), until_year=9999)
    records = [
        {
            "indicator_code": indicators[o.indicator_id].code,
            "indicator_name": indicators[o.indicator_id].name,
            "unit": indicators[o.indicator_id].unit,
            "year": o.year,
            "value": o.value,
            "source": o.source,
            "note": o.note,
        }
        for o in sorted(observations, key=lambda o: (indicators[o.indicator_id].code, o.year))
    ]
    return _ledger(INDICATOR_OBSERVATIONS, records, language=language)


async def export_metrics(
    *, lookups: LedgerLookupsPort, principal: Principal, record_reads: RecordReads, language: str = "zh"
) -> list[Table]:
    """年度经营数据: figures blank for those without read_sensitive; an entitled export is an audited read."""
    enterprises = {e.id: e for e in await lookups.all_enterprises()}
    records, years = [], {}
    for m in await lookups.all_metrics():
        enterprise = enterprises[m.enterprise_id]
        figures = {name: getattr(m, name) for name in _writable(METRICS) if hasattr(m, name)}
        records.append({**figures, "name": enterprise.name, "credit_code": enterprise.credit_code})
        years.setdefault(m.enterprise_id, []).append(m.year)
    sensitive = frozenset(c.field for c in METRICS.columns if c.sensitive)
    if not principal.reads_sensitive:
        return _ledger(METRICS, records, language=language, blank=sensitive)
    reads = [SensitiveRead(eid, METRICS_READ, {"view": "export", "years": ys}) for eid, ys in years.items()]
    await record_reads(reads)
    return _ledger(METRICS, records, language=language)


def _writable(spec: LedgerSpec) -> list[str]:
    return [column.field for column in spec.columns if column.writable or column.key]
