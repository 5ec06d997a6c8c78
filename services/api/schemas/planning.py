"""Schemas of planning: plans, tasks, the tree, reports, attachments, workflow, indicators, evaluation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer

from domain.planning.assessment import AssessmentStatus
from domain.planning.indicators import Direction, Nature
from domain.planning.supervision import Escalation, WarningLight
from domain.planning.tasks import TaskStatus
from domain.planning.workflow import ExtensionStatus
from services.api.schemas.base import AmountIn, DecimalStr, ReadModel, WriteModel

# What the columns hold (NUMERIC(24, 6)): more would be rounded on PostgreSQL and kept on SQLite.
DecimalIn = AmountIn
# Ratios and percentages are JSON numbers (API.md); computed values are rounded for display only.
Number = Annotated[Decimal, PlainSerializer(float, return_type=float)]
Ratio = Annotated[Decimal | None, PlainSerializer(lambda v: None if v is None else round(float(v), 4))]
Rounded = Annotated[
    Decimal | None,
    PlainSerializer(
        lambda v: (
            None if v is None else format(v.quantize(Decimal("0.0001"), ROUND_HALF_EVEN).normalize(), "f")
        ),
        return_type=str | None,
    ),
]
Text = Annotated[str, Field(max_length=20000)]


class PlanIn(WriteModel):
    title: str = Field(min_length=1, max_length=300, description="规划名称")
    start_year: int
    end_year: int
    issuer: str | None = Field(default=None, max_length=200)
    issued: str | None = Field(default=None, description="YYYY-MM")


class PlanPatch(WriteModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    start_year: int | None = None
    end_year: int | None = None
    issuer: str | None = Field(default=None, max_length=200)
    issued: str | None = None


class SuccessorIn(WriteModel):
    title: str = Field(min_length=1, max_length=300, description="the new plan's title, e.g. 十五五规划")
    start_year: int = Field(description="the year after the old plan's end year")
    end_year: int = Field(description="after start_year")
    carry_over: bool = Field(
        default=False,
        description="copy the tasks open on the old plan's last day into the new plan, each linked to its "
        "origin by `carried_from` (allowed once that day is over)",
    )


class PlanOut(ReadModel):
    id: str
    title: str
    start_year: int
    end_year: int
    issuer: str | None = None
    issued: str | None = None


class TaskPatch(WriteModel):
    parent_id: str | None = None
    code: str | None = Field(default=None, max_length=64, description="e.g. 5.3, 6.1.2")
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: Text | None = None
    lead_department_id: str | None = Field(default=None, description="牵头部门")
    co_department_ids: list[str] | None = Field(default=None, description="配合部门")
    start_date: date | None = None
    due_date: date | None = None
    weight: DecimalIn | None = Field(default=None, description="default 1")
    indicator_ids: list[str] | None = None


class TaskIn(TaskPatch):
    plan_id: str
    title: str = Field(min_length=1, max_length=500)


class TaskOut(ReadModel):
    id: str
    plan_id: str
    parent_id: str | None
    code: str | None
    title: str
    description: str | None
    lead_department_id: str | None
    co_department_ids: list[str]
    start_date: date | None
    due_date: date | None
    original_due_date: date | None = Field(description="the due date before the first approved extension")
    weight: Number
    indicator_ids: list[str]
    urge_count: int
    carried_from: str | None = Field(
        default=None, description="the previous plan's task this one was carried over from (successor plan)"
    )
    status: TaskStatus
    progress: float = Field(description="0–100, derived")
    warning: WarningLight
    overdue: bool
    escalation: Escalation


class TaskNodeOut(TaskOut):
    children: list[TaskNodeOut]


class TreeOut(ReadModel):
    plan: PlanOut
    tasks: list[TaskNodeOut]


class MyTaskOut(TaskOut):
    returned: bool = Field(description="the last report filed was returned (退回): file a new one")
    urged: bool = Field(description="urged (催办) since the last report")
    due_soon: bool = Field(description="due within 14 days, or past due")


class TransitionIn(WriteModel):
    action: Literal["start", "complete", "suspend", "resume", "cancel", "reopen"]
    reason: Text | None = Field(default=None, description="required to cancel or reopen")
    on: date | None = Field(
        default=None,
        alias="date",
        description="YYYY-MM-DD, the day the move took effect: today by default; not in the future, not "
        "before the task's previous move (history is appended, never rewritten)",
    )


class ReportIn(WriteModel):
    period: str = Field(description="YYYY-MM")
    percent: DecimalIn = Field(description="0–100")
    summary: Text
    problems: Text | None = None
    next_steps: Text | None = None
    attachment_ids: list[str] | None = None


class ReportOut(ReadModel):
    id: str
    task_id: str
    period: str
    percent: Number
    summary: str
    problems: str | None
    next_steps: str | None
    attachment_ids: list[str]
    filed_at: datetime
    filed_by: str | None
    returned: bool
    return_comment: str | None
    returned_at: datetime | None
    returned_by: str | None


class ReturnIn(WriteModel):
    comment: Text


class AttachmentOut(ReadModel):
    id: str
    name: str
    content_type: str
    size: int
    sha256: str


class ExtensionIn(WriteModel):
    new_due_date: date
    reason: Text


class DecisionIn(WriteModel):
    approved: bool
    note: Text | None = None


class ExtensionOut(ReadModel):
    id: str
    task_id: str
    new_due_date: date
    reason: str
    requested_by: str | None
    requested_at: datetime | None
    status: ExtensionStatus
    decided_by: str | None
    note: str | None
    decided_at: datetime | None


class UrgeIn(WriteModel):
    note: Text | None = None


class UrgeOut(ReadModel):
    id: str
    task_id: str
    note: str | None
    by: str | None
    at: datetime


class IndicatorPatch(WriteModel):
    code: int | None = Field(default=None, ge=1, le=9999)
    area: str | None = Field(default=None, min_length=1, max_length=64)
    name: str | None = Field(default=None, min_length=1, max_length=300)
    unit: str | None = Field(default=None, max_length=64)
    baseline_year: int | None = Field(default=None, ge=1000, le=9999)
    baseline_value: DecimalIn | None = None
    target_year: int | None = Field(default=None, ge=1000, le=9999)
    target_value: DecimalIn | None = None
    nature: Nature | None = None
    direction: Direction | None = None
    note: Text | None = Field(default=None, description="e.g. where the plan's prose and Table 1 disagree")


class IndicatorIn(IndicatorPatch):
    plan_id: str
    code: int = Field(ge=1, le=9999)
    area: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    unit: str = Field(default="", max_length=64)


class IndicatorOut(ReadModel):
    id: str
    plan_id: str
    code: int
    area: str
    name: str
    unit: str
    baseline_year: int
    baseline_value: DecimalStr | None
    target_year: int
    target_value: DecimalStr | None = Field(description="null until planners set it (assessed as no_data)")
    nature: Nature
    direction: Direction
    note: str | None = Field(description="e.g. where the plan's prose and Table 1 disagree")


class ObservationIn(WriteModel):
    value: DecimalIn
    source: Text | None = None
    note: Text | None = None


class ObservationOut(ReadModel):
    id: str
    indicator_id: str
    year: int
    value: DecimalStr
    source: str | None
    note: str | None


class AssessmentOut(ReadModel):
    year: int
    expected_value: Rounded
    actual_value: DecimalStr | None
    completion_ratio: Ratio = Field(description="a fraction: 0.5 is half way from baseline to target")
    status: AssessmentStatus
    projected_value: Rounded
    required_annual_growth: Ratio = Field(description="a fraction a year: 0.05 is 5 %")
    registry_value: int | None = Field(default=None, description="live count of 8–11 from the registry")
    registry_not_counted: int | None = Field(
        default=None,
        description="what the registry count leaves out for want of a date — 11: listed enterprises whose "
        "listing date is unknown (counted in no year); shown with `registry_value`",
    )


class IndicatorRef(ReadModel):
    indicator_id: str
    code: int
    name: str
    unit: str


class EvaluationIndicatorOut(AssessmentOut, IndicatorRef):
    """The indicator (its fields first), then its assessment."""


class EvaluationTaskOut(ReadModel):
    id: str
    code: str | None
    title: str
    progress: float
    warning: WarningLight
    status: TaskStatus
    escalation: Escalation


class DivergenceOut(ReadModel):
    task_id: str
    indicator_id: str


class EvaluationOut(ReadModel):
    year: int
    as_of: date
    indicators: list[EvaluationIndicatorOut]
    tasks: list[EvaluationTaskOut]
    counts: dict[str, dict[str, int]]
    divergences: list[DivergenceOut]
