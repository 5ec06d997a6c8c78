"""Dependencies as Annotated aliases: the unit of work, the clock, the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from domain.shared.clock import Clock
from infrastructure.settings import Settings
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def source_address(request: Request) -> str | None:
    """The caller's address as the server hands it over: behind a proxy, uvicorn has already put the
    client address of the forwarded headers it trusts (--forwarded-allow-ips) in its place."""
    return request.client.host if request.client else None


# Dependencies are `async def` even when they do not await: FastAPI runs a plain `def` dependency in its
# thread pool, a thread hop on every request.
async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_clock(request: Request) -> Clock:
    return request.app.state.clock


async def get_uow(request: Request) -> AsyncIterator[SqlAlchemyUnitOfWork]:
    """One unit of work a request; a read request takes no write lock."""
    uow = SqlAlchemyUnitOfWork(
        request.app.state.session_factory,
        write=request.method not in READ_METHODS,
        actor=lambda: getattr(request.state, "actor", None),
        request_id=getattr(request.state, "request_id", None),
        source=source_address(request),
        clock=request.app.state.clock,
    )
    async with uow:
        yield uow


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ClockDep = Annotated[Clock, Depends(get_clock)]
UowDep = Annotated[SqlAlchemyUnitOfWork, Depends(get_uow)]
