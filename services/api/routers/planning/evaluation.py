"""The evaluation of a plan year (评估): its JSON, and the evaluation report (评估报告) as a Word document."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from domain.identity.policy import Action
from domain.integration.evaluation_report import EvaluationReportUnitOfWork, evaluation_report
from services.api.bulk import collector_paused, json_body
from services.api.routers.planning.evaluation_body import DOCX, render_docx, report_filename, report_json
from services.api.schemas.evaluation import EvaluationReportOut
from services.api.security import unit_for

router = APIRouter(prefix="/api/v1/plans", tags=["planning"])

YEAR = Query(description="a year of the plan: its last is the final evaluation, its middle one the mid-term")
DOCX_RESPONSE = {200: {"content": {DOCX: {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/{plan_id}/evaluation", response_model=EvaluationReportOut)
async def plan_evaluation(plan_id: str, uow: unit_for(Action.READ), year: int = YEAR):
    """The evaluation of a plan year as of min(today, 31 Dec): indicators with their values by year, the key
    tasks and their sections as they stood that day, counts, tasks behind schedule by lead department,
    extensions granted, the tier pyramid against indicators 8–11, the chains (taken today), divergences."""
    with collector_paused():  # it reads the registry's certifications whole, as the tier statistics do
        return await _evaluation_json(plan_id, year, uow.clock.today(), uow)


async def _evaluation_json(plan_id: str, year: int, today: date, uow: EvaluationReportUnitOfWork) -> Response:
    """The evaluation's response, its report and body freed on return: so when the collector resumes, the
    tens of thousands of objects they were are gone, not a young generation for it to walk (7–18 ms)."""
    report = await evaluation_report(plan_id, year, today=today, uow=uow)
    return json_body(report_json(report))


@router.get("/{plan_id}/evaluation.docx", response_class=Response, responses=DOCX_RESPONSE)
async def plan_evaluation_docx(plan_id: str, uow: unit_for(Action.READ), year: int = YEAR):
    """The evaluation report of a plan year as a Word document (中期/终期评估报告) with charts: every
    number in it is the JSON evaluation's."""
    today = uow.clock.today()
    with collector_paused():
        report = await evaluation_report(plan_id, year, today=today, uow=uow)
        body = report_json(report)
    # Drawing the charts and writing the document takes seconds of CPU: off the event loop.
    content = await run_in_threadpool(render_docx, body, generated_on=today)
    title = f"{report.plan.title}{year}年评估报告"
    disposition = f"attachment; filename=\"{report_filename(report)}\"; filename*=UTF-8''{quote(title)}.docx"
    return Response(content, media_type=DOCX, headers={"Content-Disposition": disposition})
