"""Operations: liveness, readiness and Prometheus metrics; no token needed."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import text

from infrastructure.outbox.monitor import read_figures
from services.api.errors import database_unavailable
from services.api.metrics import render
from services.api.security import PUBLIC

router = APIRouter(tags=["operations"], dependencies=[Depends(PUBLIC)])
log = logging.getLogger("gaoxin.ops")


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    """Answer 200 while the process runs."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: the database answers",
    responses={503: {"description": "The database does not answer"}},
)
async def readyz(request: Request):
    """Answer 200 when the database answers a query, else 503 with Retry-After."""
    try:
        async with request.app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        return database_unavailable(request, exc)
    return {"status": "ready"}


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Expose request counts and latencies, and the relay's state, in the Prometheus text format."""
    try:
        async with request.app.state.session_factory() as session:
            figures = await read_figures(session, datetime.now(UTC))
    except Exception:  # an outage must not hide the request metrics: the state reads as down
        log.warning("relay state unreadable for /metrics", exc_info=True)
        figures = None
    body, content_type = render(figures)
    return Response(body, media_type=content_type)
