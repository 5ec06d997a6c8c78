"""The evaluation of a plan year (GET /plans/{id}/evaluation): what API.md names, grown with what the
evaluation report (评估报告, the .docx) shows — every number the document prints is one of these."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from domain.planning.assessment import AssessmentStatus
from domain.planning.indicators import Direction, Nature
from services.api.schemas.base import DecimalStr, ReadModel
from services.api.schemas.planning import (
    AssessmentOut,
    DivergenceOut,
    EvaluationTaskOut,
    IndicatorRef,
    PlanOut,
)


class ObservedValueOut(ReadModel):
    year: int
    value: DecimalStr


class EvaluatedIndicatorRef(IndicatorRef):
    area: str
    nature: Nature
    direction: Direction
    baseline_year: int
    baseline_value: DecimalStr | None
    target_year: int
    target_value: DecimalStr | None
    note: str | None = Field(description="where the plan contradicts itself (e.g. GDP in Table 1 and prose)")


class ReportIndicatorOut(AssessmentOut, EvaluatedIndicatorRef):
    """The indicator (its fields first), then its assessment, then its values by year up to the year."""

    observations: list[ObservedValueOut] = Field(description="the values observed up to the year, by year")


class ReportTaskOut(EvaluationTaskOut):
    """A task as it stood on `as_of`, with its lead department."""

    overdue: bool
    due_date: date | None = Field(description="the due date as it stood on `as_of`")
    lead_department_id: str | None
    lead_department_name: str | None


class KeyTaskOut(ReportTaskOut):
    """A key task (重点任务) and its sections (the tasks one level down)."""

    sections: list[ReportTaskOut]


class DepartmentGroupOut(ReadModel):
    """The tasks behind schedule (red or yellow on `as_of`) of one lead department; null: no lead."""

    lead_department_id: str | None
    lead_department_name: str | None
    tasks: list[ReportTaskOut]


class ExtensionOut(ReadModel):
    """An extension granted on or before `as_of`."""

    task_id: str
    code: str | None
    title: str
    request_id: str
    previous_due_date: date | None
    new_due_date: date
    decided_on: date
    note: str | None


class CultivationTargetOut(ReadModel):
    """An indicator of 8–11: the plan's target, the registry's count, the value reported for the year."""

    code: int
    name: str
    unit: str
    target: DecimalStr | None
    registry: int | None
    reported: DecimalStr | None


class CultivationOut(ReadModel):
    on: date = Field(description="the tier pyramid's day: `as_of`")
    by_tier: dict[str, int]
    targets: list[CultivationTargetOut]


class ChainLineOut(ReadModel):
    chain_id: str
    name: str
    group: str | None
    coverage: float = Field(description="covered leaves / leaves, rounded to 4 decimals")
    gaps: list[str] = Field(description="the names of the leaves without an active enterprise")


class EnteredOut(ReadModel):
    year: int
    entered: dict[str, int] = Field(description="targets that entered each stage that year, to `as_of`")


class PipelineOut(ReadModel):
    by_stage: dict[str, int] = Field(description="targets by their stage on `taken_on`")
    by_year: list[EnteredOut]


class ChainsOut(ReadModel):
    taken_on: date = Field(description="chains keep no history: coverage, gaps and stages are this day's")
    items: list[ChainLineOut]
    pipeline: PipelineOut


class NamedDivergenceOut(DivergenceOut):
    task_code: str | None
    task_title: str
    indicator_code: int
    indicator_name: str
    progress: float
    status: AssessmentStatus = Field(description="the indicator's status (off track)")


class EvaluationReportOut(ReadModel):
    """评估: the year as of min(today, 31 Dec) — API.md's fields, and the report's parts."""

    plan: PlanOut
    year: int
    kind: Literal["final", "mid_term", "annual"] = Field(
        description="final: the plan's last year; mid_term: its middle year; annual otherwise"
    )
    as_of: date
    indicators: list[ReportIndicatorOut]
    tasks: list[KeyTaskOut]
    counts: dict[str, dict[str, int]]
    behind_schedule: list[DepartmentGroupOut]
    extensions: list[ExtensionOut]
    cultivation: CultivationOut
    chains: ChainsOut
    divergences: list[NamedDivergenceOut]
