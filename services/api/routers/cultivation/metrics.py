"""Annual metrics (年度经营数据): an enterprise's figures by year; sensitive, and their reads audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from domain.cultivation.handlers import metrics as handlers
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.sensitive import conceal_metrics
from domain.identity.policy import Action, Principal
from infrastructure.read_log import read_log
from services.api.deps import UowDep
from services.api.etag import IfMatchHonoured, etag_of
from services.api.pagination import PageDep
from services.api.representation import represent
from services.api.schemas.base import Item, Page
from services.api.schemas.cultivation import MetricsIn, MetricsOut
from services.api.security import requires

router = APIRouter(prefix="/api/v1/enterprises/{enterprise_id}/metrics", tags=["cultivation"])
Year = Annotated[int, Path(ge=1990, le=2100, description="fiscal year, 1990–2100")]


def _body(record: AnnualMetrics, principal: Principal) -> dict:
    body = represent(MetricsOut, record)
    return body if principal.reads_sensitive else conceal_metrics(body)


def _single(response: Response, record: AnnualMetrics, principal: Principal) -> dict:
    body = _body(record, principal)
    response.headers["ETag"] = etag_of(body)
    return body


@router.get("", response_model=Page[Item(MetricsOut)])
async def list_metrics(
    enterprise_id: str, request: Request, page: PageDep, uow: UowDep, principal: requires(Action.READ)
):
    """List the enterprise's yearly records by year (figures null without read_sensitive; reads audited)."""
    after = page.after_key({})
    rows = await handlers.metrics_page(
        enterprise_id,
        uow=uow,
        principal=principal,
        record_reads=read_log(uow, request.app.state.session_factory),
        after=int(after) if after is not None else None,
        limit=page.limit,
    )
    items = [{**body, "etag": etag_of(body)} for body in (_body(r, principal) for r in rows)]
    return page.page(rows, items, key=lambda r: [r.year], filters={})


@router.get("/{year}", response_model=MetricsOut)
async def get_metrics(
    enterprise_id: str,
    year: Year,
    request: Request,
    response: Response,
    uow: UowDep,
    principal: requires(Action.READ),
):
    """Read one year's record (figures null without read_sensitive; reads audited)."""
    record = await handlers.read_metrics(
        enterprise_id,
        year,
        uow=uow,
        principal=principal,
        record_reads=read_log(uow, request.app.state.session_factory),
    )
    return _single(response, record, principal)


@router.put(
    "/{year}",
    response_model=MetricsOut,
    responses={201: {"model": MetricsOut, "description": "Created: the year had no record"}},
)
async def put_metrics(
    enterprise_id: str,
    year: Year,
    body: MetricsIn,
    if_match: IfMatchHonoured,
    response: Response,
    uow: UowDep,
    principal: requires(Action.CULTIVATION_WRITE),
):
    """Create (201) or replace (200) the year's record; figures not given become null. If-Match honoured."""
    written = await handlers.write_metrics(
        enterprise_id,
        year,
        body.model_dump(),
        uow=uow,
        expect=if_match.against(lambda current: _body(current, principal)),
    )
    response.status_code = 201 if written.created else 200
    return _single(response, written.record, principal)
