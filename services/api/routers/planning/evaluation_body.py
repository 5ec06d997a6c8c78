"""The evaluation report's body, from the domain's EvaluationReport: the JSON of GET /plans/{id}/evaluation,
and what the Word document and `gaoxin report` render — one body, so every number they print is the API's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from domain.integration.evaluation_report import EvaluationReport
from domain.planning.evaluation import IndicatorResult
from domain.planning.progress import TaskNode
from services.api.routers.planning.views import assessment_fields, progress_number
from services.api.schemas.evaluation import EvaluationReportOut
from services.api.schemas.planning import PlanOut

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _indicator(result: IndicatorResult, report: EvaluationReport) -> dict[str, Any]:
    indicator = result.indicator
    return {
        **{name: getattr(indicator, name) for name in INDICATOR_FIELDS},
        "indicator_id": indicator.id,
        **assessment_fields(result.assessment),
        "observations": [
            {"year": o.year, "value": o.value} for o in report.observations.get(indicator.id, ())
        ],
    }


INDICATOR_FIELDS = (
    "code",
    "name",
    "unit",
    "area",
    "nature",
    "direction",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "note",
)


def _task(node: TaskNode, departments: dict[str, str]) -> dict[str, Any]:
    """A task of the report already in its JSON form (ReportTaskOut's, as the schema would dump it)."""
    task = node.task
    lead, due = task.lead_department_id, task.due_date
    return {
        "id": task.id,
        "code": task.code,
        "title": task.title,
        "progress": progress_number(node.progress),
        "warning": node.warning,  # str enums: JSON text, and equal to it, as they are
        "status": task.status,
        "escalation": node.escalation,
        "overdue": node.overdue,
        "due_date": None if due is None else due.isoformat(),
        "lead_department_id": lead,
        "lead_department_name": None if lead is None else departments.get(lead),
    }


def report_body(report: EvaluationReport) -> dict[str, Any]:
    """EvaluationReportOut's fields from the report (the response model serialises them)."""
    evaluation, departments, chains = report.evaluation, report.departments, report.chains
    return {
        "plan": PlanOut.model_validate(report.plan),
        "year": evaluation.year,
        "kind": report.kind,
        "as_of": evaluation.as_of,
        "indicators": [_indicator(r, report) for r in evaluation.indicators],
        "tasks": [
            _task(node, departments) | {"sections": [_task(child, departments) for child in node.children]}
            for node in evaluation.tasks
        ],
        "counts": evaluation.counts,
        "behind_schedule": [
            {
                "lead_department_id": group.lead_department_id,
                "lead_department_name": departments.get(group.lead_department_id or ""),
                "tasks": [_task(node, departments) for node in group.tasks],
            }
            for group in report.behind_schedule
        ],
        "extensions": [
            {
                "task_id": x.node.task.id,
                "code": x.node.task.code,
                "title": x.node.task.title,
                "request_id": x.request_id,
                "previous_due_date": x.previous_due_date,
                "new_due_date": x.new_due_date,
                "decided_on": x.decided_on,
                "note": x.note,
            }
            for x in report.extensions
        ],
        "cultivation": {
            "on": report.cultivation.on,
            "by_tier": report.cultivation.by_tier,
            "targets": [
                {
                    "code": r.indicator.code,
                    "name": r.indicator.name,
                    "unit": r.indicator.unit,
                    "target": r.indicator.target_value,
                    "registry": r.assessment.registry_value,
                    "reported": r.assessment.actual_value,
                }
                for r in report.cultivation.targets
            ],
        },
        "chains": {
            "taken_on": chains.taken_on,
            "items": [
                {
                    "chain_id": c.chain_id,
                    "name": c.name,
                    "group": c.group,
                    "coverage": c.coverage,
                    "gaps": c.gaps,
                }
                for c in chains.items
            ],
            "pipeline": {
                "by_stage": chains.by_stage,
                "by_year": [{"year": year, "entered": entered} for year, entered in chains.by_year],
            },
        },
        "divergences": [
            {
                "task_id": d.node.task.id,
                "indicator_id": d.result.indicator.id,
                "task_code": d.node.task.code,
                "task_title": d.node.task.title,
                "indicator_code": d.result.indicator.code,
                "indicator_name": d.result.indicator.name,
                "progress": progress_number(d.node.progress),
                "status": d.result.assessment.status,
            }
            for d in report.divergences
        ],
    }


def report_json(report: EvaluationReport) -> dict[str, Any]:
    """The body exactly as the endpoint's JSON parses (decimals as strings, dates as ISO text).

    The key tasks with their sections and the tasks behind schedule — thousands of flat records on a large
    plan — are built in their JSON form by `_task`; the schema validates and dumps the rest. Through the
    schema they cost a 5,000-task plan 20 ms; tests/api/planning/test_evaluation_report.py holds the body
    equal to the schema's own dump of it."""
    body = report_body(report)
    tasks, behind = body["tasks"], body["behind_schedule"]
    shell = EvaluationReportOut.model_validate(body | {"tasks": [], "behind_schedule": []})
    return shell.model_dump(mode="json") | {"tasks": tasks, "behind_schedule": behind}


def report_filename(report: EvaluationReport) -> str:
    """E.g. `evaluation-2025-final.docx` (ASCII: every client reads it; the title is in the document)."""
    return f"evaluation-{report.evaluation.year}-{report.kind}.docx"


def render_docx(
    body: dict[str, Any], *, generated_on: date, progress: Callable[[str, int, int], None] | None = None
) -> bytes:
    """The Word document of a body from `report_json` (imports the renderer only when a document is made)."""
    from infrastructure.reports.document import evaluation_document

    return evaluation_document(body, generated_on=generated_on, progress=progress)
