"""Start and stop an app's lifespan as a server does: through the whole middleware stack, not around it."""

from __future__ import annotations

from asgi_lifespan import LifespanManager


def running(app) -> LifespanManager:
    """`async with running(app):` — startup and shutdown travel the stack, as under uvicorn."""
    return LifespanManager(app, startup_timeout=60, shutdown_timeout=60)
