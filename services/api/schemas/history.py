"""Schemas of a task's history (DOMAIN.md, History): moves, reports, returns, urges, decisions by date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from domain.planning.tasks import TaskStatus
from services.api.schemas.base import ReadModel
from services.api.schemas.planning import Number


class HistoryEntryOut(ReadModel):
    kind: str
    date: dt.date = Field(
        description="the day it is dated: a move's effective day, the day a report was filed or returned, "
        "an urge made, an extension decided"
    )
    at: dt.datetime = Field(
        description="when it was recorded (a move may be recorded after the day it is dated)"
    )
    by: str | None = Field(description="who did it (username or client id), when known")


class TransitionEntryOut(HistoryEntryOut):
    kind: Literal["transition"]
    seq: int = Field(description="the move's place among the task's moves (1, 2, …)")
    action: str
    from_status: TaskStatus
    to_status: TaskStatus
    reason: str | None
    migrated: bool = Field(
        description="recorded by the schema migration for a task whose earlier moves left no record: dated "
        "on the migration day, not on the day the task really moved"
    )


class ReportEntryOut(HistoryEntryOut):
    kind: Literal["report"]
    report_id: str
    period: str
    percent: Number


class ReturnEntryOut(HistoryEntryOut):
    kind: Literal["return"]
    report_id: str
    period: str
    comment: str | None


class UrgeEntryOut(HistoryEntryOut):
    kind: Literal["urge"]
    urge_id: str
    note: str | None


class DecisionEntryOut(HistoryEntryOut):
    kind: Literal["extension_decision"]
    request_id: str
    approved: bool
    new_due_date: dt.date
    note: str | None


HistoryItem = Annotated[
    TransitionEntryOut | ReportEntryOut | ReturnEntryOut | UrgeEntryOut | DecisionEntryOut,
    Field(discriminator="kind"),
]


class TaskHistoryOut(ReadModel):
    """Everything recorded of a task, in date order (then in the order recorded)."""

    task_id: str
    items: list[HistoryItem]
