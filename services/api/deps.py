"""Dependencies as Annotated aliases: the unit of work and the settings (a route's clock is its unit's)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, Request
from starlette.types import Scope

from infrastructure.settings import Settings
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

log = logging.getLogger("gaoxin.api")
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def source_address(request: Request) -> str | None:
    """The caller's address as the server hands it over: behind a proxy, uvicorn has already put the
    client address of the forwarded headers it trusts (--forwarded-allow-ips) in its place."""
    return request.client.host if request.client else None


# Dependencies are `async def` even when they do not await: FastAPI runs a plain `def` dependency in its
# thread pool, a thread hop on every request.
async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


# Where a request keeps the units of work its dependencies opened, for services/api/middleware.py to close.
UNITS = "gaoxin.units_of_work"


async def get_uow(request: Request) -> SqlAlchemyUnitOfWork:
    """The request's one unit of work, opened on first use; a read request takes no write lock.

    Opened here and closed by `UnitsOfWorkMiddleware` once the route has answered (`close_units`): rolled
    back unless committed, its connection back in the pool. A dependency that yields would be closed by
    FastAPI at the same point, through an exit stack that cost 40 µs of every request (docs/BENCHMARKS.md).
    Called as a dependency (`UowDep`) or directly, by authentication when it must read: both get the same
    unit, whichever asked first."""
    units = request.scope.setdefault("state", {}).setdefault(UNITS, [])
    if units:
        return units[0]
    uow = SqlAlchemyUnitOfWork(
        request.app.state.session_factory,
        write=request.method not in READ_METHODS,
        actor=lambda: getattr(request.state, "actor", None),
        request_id=getattr(request.state, "request_id", None),
        source=source_address(request),
        clock=request.app.state.clock,
    )
    await uow.__aenter__()
    units.append(uow)
    return uow


async def close_units(scope: Scope) -> None:
    """Close the units of work a request opened, whatever happened to it; a failure to close is logged."""
    for uow in scope.get("state", {}).pop(UNITS, ()):
        try:
            await uow.__aexit__(None, None, None)
        except Exception:  # the answer is sent: nothing is left to tell the caller
            log.exception("closing the unit of work of %s %s failed", scope.get("method"), scope.get("path"))


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
UowDep = Annotated[SqlAlchemyUnitOfWork, Depends(get_uow)]
