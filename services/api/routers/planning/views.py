"""From the planning domain's results to response bodies (derived values rounded for display only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from domain.planning.assessment import Assessment
from domain.planning.evaluation import Evaluation
from domain.planning.progress import TaskNode
from services.api.representation import represent
from services.api.schemas.planning import AssessmentOut, TaskOut

TASK_FIELDS = [
    name for name in TaskOut.model_fields if name not in ("progress", "warning", "overdue", "escalation")
]


@lru_cache(maxsize=16384)
def progress_number(progress: Decimal) -> float:
    """Progress as the API shows it: points 0–100, two decimals. Kept: a plan's pages show the same few
    thousand values again and again, and rounding a Decimal costs seven times the look-up."""
    return float(round(progress, 2))


def task_fields(node: TaskNode) -> dict[str, Any]:
    """A task with what the tree derives for it on the day asked."""
    return {
        **{name: getattr(node.task, name) for name in TASK_FIELDS},
        "progress": progress_number(node.progress),
        "warning": node.warning,
        "overdue": node.overdue,
        "escalation": node.escalation,
    }


def task_body(node: TaskNode) -> dict[str, Any]:
    return represent(TaskOut, task_fields(node))


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _node_json(node: TaskNode) -> dict[str, Any]:
    """One node in TaskNodeOut's JSON form (its fields, in its order), children still empty."""
    task = node.task
    return {
        "id": task.id,
        "plan_id": task.plan_id,
        "parent_id": task.parent_id,
        "code": task.code,
        "title": task.title,
        "description": task.description,
        "lead_department_id": task.lead_department_id,
        "co_department_ids": list(task.co_department_ids),
        "start_date": _date(task.start_date),
        "due_date": _date(task.due_date),
        "original_due_date": _date(task.original_due_date),
        "weight": float(task.weight),
        "indicator_ids": list(task.indicator_ids),
        "urge_count": task.urge_count,
        "carried_from": task.carried_from,
        "status": task.status.value,
        "progress": progress_number(node.progress),
        "warning": node.warning.value,
        "overdue": node.overdue,
        "escalation": node.escalation.value,
        "children": [],
    }


def nested_json(roots: list[TaskNode]) -> list[dict[str, Any]]:
    """The tree as TreeOut's `tasks` serialises it, built directly as JSON values.

    A plan of thousands of tasks would otherwise be validated and dumped again through the recursive
    response model (tests/api/planning check both give the same document).
    """
    bodies = [_node_json(root) for root in roots]
    stack = list(zip(roots, bodies, strict=True))
    while stack:
        current, body = stack.pop()
        children = body["children"]
        for child in current.children:
            child_body = _node_json(child)
            children.append(child_body)
            stack.append((child, child_body))
    return bodies


def assessment_fields(assessment: Assessment) -> dict[str, Any]:
    return {name: getattr(assessment, name) for name in AssessmentOut.model_fields}


def evaluation_body(evaluation: Evaluation) -> dict[str, Any]:
    """API.md's evaluation: indicators with their assessment, key tasks, counts, divergences."""
    return {
        "year": evaluation.year,
        "as_of": evaluation.as_of,
        "indicators": [
            {
                "indicator_id": r.indicator.id,
                "code": r.indicator.code,
                "name": r.indicator.name,
                "unit": r.indicator.unit,
                **assessment_fields(r.assessment),
            }
            for r in evaluation.indicators
        ],
        "tasks": [
            {
                "id": node.task.id,
                "code": node.task.code,
                "title": node.task.title,
                "progress": progress_number(node.progress),
                "warning": node.warning,
                "status": node.task.status,
                "escalation": node.escalation,
            }
            for node in evaluation.tasks
        ],
        "counts": evaluation.counts,
        "divergences": [
            {"task_id": d.task_id, "indicator_id": d.indicator_id} for d in evaluation.divergences
        ],
    }
