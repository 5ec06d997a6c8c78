"""Excel ledgers (台账): imports row by row via the domain's handlers; exports that re-import unchanged."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from domain.identity.policy import Action
from domain.integration import ledgers
from domain.integration.handlers import evaluation, exports
from domain.integration.handlers.imports import ImportReport, import_ledger
from domain.integration.ledgers import specs
from domain.integration.ledgers.limits import Deadline
from domain.integration.ledgers.sheet import Table
from infrastructure.excel.reader import read_sheet
from infrastructure.excel.units import SavepointRows
from infrastructure.excel.writer import XLSX_MEDIA_TYPE, write_workbook
from infrastructure.read_log import read_log
from infrastructure.reports.workbook import add_evaluation_charts
from services.api.deps import UowDep
from services.api.i18n import language
from services.api.problems import Problem
from services.api.routers.planning.evaluation_body import report_json
from services.api.schemas.ledgers import ImportReportOut, columns_description
from services.api.security import requires, unit_for

router = APIRouter(tags=["integration"])
DryRun = Annotated[bool, Query(description="check every row and report; write nothing")]
Partial = Annotated[bool, Query(description="write the good rows even when others are refused")]
PlanId = Annotated[str, Query(description="the plan the rows belong to")]
IMPORTS = (
    "Multipart `file` (.xlsx, first sheet, ≤ 10 MiB, ≤ 100,000 rows; 413 when it unpacks to more than "
    "GAOXIN_IMPORT_MAX_UNPACKED_BYTES, 422 past GAOXIN_IMPORT_MAX_SECONDS or 100,000 blank rows). "
    "Each row goes through the API's own rules; any bad row and not `partial`: nothing written, "
    "422 with the same `errors`. An unchanged row "
    "writes nothing."
)


def _doc(spec) -> str:
    return columns_description(spec, IMPORTS)


XLSX = {200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}


def report_body(report: ImportReport, lang: str) -> dict[str, Any]:
    errors = sorted(report.errors, key=lambda e: e.row)
    return {
        "rows": report.rows,
        "written": report.written,
        "created": report.created,
        "updated": report.updated,
        "dry_run": report.dry_run,
        "ignored_columns": report.ignored_columns,
        "errors": [{"row": e.row, "column": e.column, "message": e.message(lang)} for e in errors],
    }


async def _import(
    kind: str, file: UploadFile, request: Request, uow, clock, *, dry_run: bool, partial: bool, plan_id=None
) -> dict[str, Any]:
    settings = request.app.state.settings
    limit = settings.max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise Problem("payload-too-large", f"The file exceeds {limit} bytes.", f"文件超过上限 {limit} 字节。")
    deadline = Deadline(settings.import_max_seconds)
    # openpyxl parses synchronously: off the event loop, so other requests go on meanwhile.
    sheet = await run_in_threadpool(
        read_sheet,
        content,
        filename=file.filename,
        max_rows=ledgers.MAX_ROWS,
        max_unpacked=settings.import_max_unpacked_bytes,
        deadline=deadline,
    )
    report = await import_ledger(
        kind,
        sheet,
        uow=uow,
        rows=SavepointRows(uow),
        lookups=uow.ledger_lookups,
        today=clock.today(),
        plan_id=plan_id,
        dry_run=dry_run,
        partial=partial,
        progress=deadline.check,  # past the time, the unit of work is left uncommitted: nothing written
        now=clock.now(),
    )
    body = report_body(report, language(request))
    if report.refused and not dry_run:
        bad = len({e.row for e in report.errors})
        raise Problem(
            "validation-error",
            f"{bad} of {report.rows} rows are refused, so nothing was written "
            "(partial=true writes the others).",
            f"{report.rows}行中有{bad}行有误,未写入任何数据(partial=true 可只写入无误的行)。",
            errors=body["errors"],
            rows=report.rows,
            written=0,
        )
    return body


@router.post(
    "/api/v1/imports/enterprises", response_model=ImportReportOut, description=_doc(specs.ENTERPRISES)
)
async def import_enterprises(
    file: UploadFile,
    request: Request,
    uow: unit_for(Action.CULTIVATION_WRITE),
    dry_run: DryRun = False,
    partial: Partial = False,
):
    """Import 企业名录: matched by credit code, else by name; new ones registered, changed ones updated."""
    return await _import("enterprises", file, request, uow, uow.clock, dry_run=dry_run, partial=partial)


@router.post("/api/v1/imports/metrics", response_model=ImportReportOut, description=_doc(specs.METRICS))
async def import_metrics(
    file: UploadFile,
    request: Request,
    uow: unit_for(Action.CULTIVATION_WRITE),
    dry_run: DryRun = False,
    partial: Partial = False,
):
    """Import 年度经营数据: by (credit code or name, year); a column left out keeps its figures."""
    return await _import("metrics", file, request, uow, uow.clock, dry_run=dry_run, partial=partial)


@router.post("/api/v1/imports/tasks", response_model=ImportReportOut, description=_doc(specs.TASKS))
async def import_tasks(
    file: UploadFile,
    request: Request,
    uow: unit_for(Action.PLAN_WRITE),
    plan_id: PlanId,
    dry_run: DryRun = False,
    partial: Partial = False,
):
    """Import the plan's tasks: by code (or 任务ID); parents before their children."""
    kw = {"dry_run": dry_run, "partial": partial, "plan_id": plan_id}
    return await _import("tasks", file, request, uow, uow.clock, **kw)


@router.post(
    "/api/v1/imports/progress_reports",
    response_model=ImportReportOut,
    description=_doc(specs.PROGRESS_REPORTS),
)
async def import_progress_reports(
    file: UploadFile,
    request: Request,
    uow: unit_for(Action.PLAN_WRITE),
    plan_id: PlanId,
    dry_run: DryRun = False,
    partial: Partial = False,
):
    """Import 进展报告 (the supervision ledger): each row filed on its 填报日期 (today when blank), in sheet
    order; a report the ledger already holds is unchanged. Import the tasks' actual dates first."""
    kw = {"dry_run": dry_run, "partial": partial, "plan_id": plan_id}
    return await _import("progress_reports", file, request, uow, uow.clock, **kw)


@router.post(
    "/api/v1/imports/indicator_observations",
    response_model=ImportReportOut,
    description=_doc(specs.INDICATOR_OBSERVATIONS),
)
async def import_observations(
    file: UploadFile,
    request: Request,
    uow: unit_for(Action.PLAN_WRITE),
    plan_id: PlanId,
    dry_run: DryRun = False,
    partial: Partial = False,
):
    """Import indicator figures: by (indicator code, year) in the plan; a new figure replaces the old."""
    kw = {"dry_run": dry_run, "partial": partial, "plan_id": plan_id}
    return await _import("indicator_observations", file, request, uow, uow.clock, **kw)


async def _workbook(tables: list[Table], name: str, title: str, then=None) -> Response:
    content = await run_in_threadpool(write_workbook, tables, then=then)
    disposition = f"attachment; filename=\"{name}.xlsx\"; filename*=UTF-8''{quote(title)}.xlsx"
    return Response(content, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": disposition})


@router.get("/api/v1/exports/enterprises.xlsx", response_class=Response, responses=XLSX)
async def export_enterprises(request: Request, uow: unit_for(Action.READ)):
    """企业名录 as a workbook (with today's tier, shown only)."""
    lookups, lang = uow.ledger_lookups, language(request)
    tables = await exports.export_enterprises(
        uow=uow, lookups=lookups, today=uow.clock.today(), language=lang
    )
    return await _workbook(tables, "enterprises", "企业名录")


@router.get("/api/v1/exports/metrics.xlsx", response_class=Response, responses=XLSX)
async def export_metrics(request: Request, uow: UowDep, principal: requires(Action.READ)):
    """年度经营数据: figures blank without read_sensitive; an export with figures is an audited read."""
    tables = await exports.export_metrics(
        lookups=uow.ledger_lookups,
        principal=principal,
        record_reads=read_log(uow, request.app.state.session_factory),
        language=language(request),
    )
    return await _workbook(tables, "metrics", "年度经营数据")


@router.get("/api/v1/exports/tasks.xlsx", response_class=Response, responses=XLSX)
async def export_tasks(request: Request, uow: unit_for(Action.READ), plan_id: PlanId):
    """督办台账: every task with light, escalation, latest report and extension requests."""
    tables = await exports.export_tasks(
        plan_id, uow=uow, lookups=uow.ledger_lookups, today=uow.clock.today(), language=language(request)
    )
    return await _workbook(tables, "tasks", "督办台账")


@router.get("/api/v1/exports/progress_reports.xlsx", response_class=Response, responses=XLSX)
async def export_progress_reports(request: Request, uow: unit_for(Action.READ), plan_id: PlanId):
    """进展报告 of the plan in the order filed, returned ones marked; re-imports unchanged."""
    tables = await exports.export_progress_reports(plan_id, uow=uow, language=language(request))
    return await _workbook(tables, "progress_reports", "进展报告")


@router.get("/api/v1/exports/indicator_observations.xlsx", response_class=Response, responses=XLSX)
async def export_observations(request: Request, uow: unit_for(Action.READ), plan_id: PlanId):
    """指标实际值 of the plan, by indicator and year."""
    tables = await exports.export_observations(plan_id, uow=uow, language=language(request))
    return await _workbook(tables, "indicator_observations", "指标实际值")


@router.get("/api/v1/exports/evaluation.xlsx", response_class=Response, responses=XLSX)
async def export_evaluation(
    request: Request,
    uow: unit_for(Action.READ),
    plan_id: PlanId,
    year: int = Query(ge=1000, le=9999, description="a year of the plan"),
):
    """The year's evaluation: indicators with status, key tasks with lights, a summary; and the evaluation
    report's charts as native charts, drawn from GET /plans/{id}/evaluation's body."""
    tables, report = await evaluation.evaluation_workbook(
        plan_id, year, uow=uow, today=uow.clock.today(), language=language(request)
    )
    body = report_json(report)
    return await _workbook(
        tables, "evaluation", f"规划评估{year}", partial(add_evaluation_charts, evaluation=body)
    )
