"""Progress reports (进展报告), returning them (退回), and their evidence attachments (佐证材料)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, File, Response, UploadFile

from domain.identity.policy import Action
from domain.planning.attachments import SIGNATURES
from domain.planning.handlers import reports
from services.api.deps import SettingsDep, UowDep
from services.api.etag import ETAG_HEADER
from services.api.pagination import PageDep
from services.api.representation import listed, single
from services.api.schemas.base import Item, Page
from services.api.schemas.planning import AttachmentOut, ReportIn, ReportOut, ReturnIn
from services.api.security import requires, unit_for

router = APIRouter(prefix="/api/v1", tags=["planning"])


@router.get("/tasks/{task_id}/progress-reports", response_model=Page[Item(ReportOut)])
async def list_reports(task_id: str, page: PageDep, uow: unit_for(Action.READ)):
    """The task's reports in filing order, returned ones included (the supervision ledger, 督办台账)."""
    filters = {"task_id": task_id}
    rows = await reports.reports_of_task(task_id, after=page.after_key(filters), limit=page.limit, uow=uow)
    return page.page(rows, listed(ReportOut, rows), key=lambda r: [r.id], filters=filters)


@router.post("/tasks/{task_id}/progress-reports", status_code=201, response_model=ReportOut)
async def file_report(
    task_id: str,
    body: ReportIn,
    response: Response,
    uow: UowDep,
    principal: requires(Action.TASK_REPORT),
):
    """File a report on an open leaf task the caller's department leads; a not-started task starts."""
    report = await reports.report_on_task(
        task_id, body.model_dump(), principal=principal, now=uow.clock.now(), today=uow.clock.today(), uow=uow
    )
    return single(response, ReportOut, report)


@router.post("/progress-reports/{report_id}/return", response_model=ReportOut)
async def return_report(
    report_id: str,
    body: ReturnIn,
    response: Response,
    uow: UowDep,
    principal: requires(Action.TASK_SUPERVISE),
):
    """Return a report with a comment; it no longer counts and the department files a new one."""
    report = await reports.return_progress_report(
        report_id, body.comment, principal=principal, now=uow.clock.now(), uow=uow
    )
    return single(response, ReportOut, report)


@router.post("/attachments", status_code=201, response_model=AttachmentOut)
async def upload(
    response: Response,
    uow: UowDep,
    settings: SettingsDep,
    principal: requires(Action.ATTACHMENT_UPLOAD),
    file: UploadFile = File(description="PDF, image, Office document or text; ≤ 10 MiB"),
):
    """Upload an evidence file; its type is checked against its content and its sha256 kept."""
    content = await file.read(settings.max_upload_bytes + 1)
    attachment = await reports.upload_attachment(
        file.filename or "",
        file.content_type or "",
        content,
        principal=principal,
        now=uow.clock.now(),
        max_bytes=settings.max_upload_bytes,
        uow=uow,
    )
    return single(response, AttachmentOut, attachment)


# The file is served with the content type it was accepted as, one of the accepted types.
BINARY = {"type": "string", "format": "binary"}


@router.get(
    "/attachments/{attachment_id}",
    response_class=Response,
    responses={
        200: {
            "content": {t: {"schema": BINARY} for t in SIGNATURES},
            "description": "the file",
            "headers": {"ETag": ETAG_HEADER | {"description": "The file's SHA-256, quoted"}},
        }
    },
)
async def download(attachment_id: str, uow: unit_for(Action.READ)):
    """The file itself, with its content type; `attachment` disposition so browsers never render it."""
    attachment = await reports.get_attachment(attachment_id, uow=uow)
    return Response(
        content=attachment.content,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(attachment.name)}",
            "ETag": f'"{attachment.sha256}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
