"""The FastAPI application: create_app() wires settings, database, middleware, errors and routers."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

import infrastructure.db.tables  # noqa: F401  (registers every table)
from domain.identity.audit import Keyring
from domain.shared.clock import Clock, SystemClock
from infrastructure import audit as audit_chain
from infrastructure.db.engine import make_engine, make_session_factory
from infrastructure.db.mapping import start_mappers
from infrastructure.outbox.targets import WebhookTargets
from infrastructure.security import crypto
from infrastructure.security.passwords import Argon2PasswordHasher
from infrastructure.security.principal_cache import (
    PrincipalCache,
    listen,
    postgresql_connect,
    watch_identity_changes,
)
from infrastructure.security.tokens import JwtTokenSigner
from infrastructure.settings import DEVELOPMENT_SECRET_KEY, Settings, get_settings
from services.api.docs import install_docs
from services.api.errors import install_error_handlers
from services.api.idempotency import IdempotencyMiddleware
from services.api.middleware import RequestContextMiddleware, UnitsOfWorkMiddleware
from services.api.openapi import install_openapi
from services.api.routers import (
    audit,
    auth,
    chains,
    clients,
    cultivation,
    dashboard,
    departments,
    events,
    ledgers,
    me,
    ops,
    planning,
    users,
    webhooks,
)
from services.api.routing import include_routes
from services.logging_setup import configure_logging
from services.worker.relay import run_relay

log = logging.getLogger("gaoxin.app")
TITLE = "gaoxin · 鞍山高新区规划实施服务"

DESCRIPTION = """\
鞍山高新区“十四五”规划实施服务 — the service that runs the 2021–2025 development plan of the
Anshan national high-tech zone: planning (规划实施: tasks, supervision, indicators), enterprise
cultivation (梯度培育) and industry chains (链长制).

Errors are RFC 9457 problems (`application/problem+json`), in Chinese by default and in English with
`Accept-Language: en`. Lists are keyset-paged with opaque cursors. Changes need `If-Match`.
"""

TAGS = [
    {"name": "planning", "description": "规划实施 — plans, tasks, progress reports, supervision, indicators"},
    {"name": "cultivation", "description": "梯度培育 — enterprises, certifications, eligibility, pools"},
    {"name": "chains", "description": "产业链 · 链长制 — chains, chiefs, nodes, gaps, investment targets"},
    {"name": "integration", "description": "对外集成 — event feed, webhooks, imports and exports, dashboard"},
    {"name": "identity", "description": "身份与权限 — tokens, departments, users, clients, audit log"},
    {"name": "operations", "description": "健康检查与监控 — health, readiness and metrics"},
]
ROUTERS = [
    *(m.router for m in (auth, me, departments, users, clients, audit)),
    *planning.ROUTERS,
    *cultivation.ROUTERS,
    *chains.ROUTERS,
    events.router,
    webhooks.router,
    dashboard.router,
    ledgers.router,
    ops.router,
]


# FastAPI's own OpenTelemetry spans and metrics, off: the service ships the OpenTelemetry API but no SDK, so
# they could never record, yet FastAPI asked the API for configured providers and wrapped every dependency in
# an operation on every request — 15–20 µs of CPU a request, measured in-process (docs/BENCHMARKS.md).
NO_TELEMETRY = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, start_relay: bool = False
) -> FastAPI:
    """Build the application for the given settings (the environment's by default)."""
    settings = settings or get_settings()
    if settings.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY:  # only development accepts it
        log.warning(
            "GAOXIN_SECRET_KEY is not set: this development server signs tokens with a key published in "
            "its source, so anyone can forge them; set GAOXIN_SECRET_KEY before anyone else can reach it"
        )
    start_mappers()
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        stop, relay, listener = asyncio.Event(), None, None
        if start_relay:
            relay = asyncio.create_task(run_relay(settings, app.state.session_factory, stop))
        if engine.dialect.name == "postgresql":  # SQLite has no notices: no cache, every request reads
            connect = postgresql_connect(settings.database_url)
            listener = asyncio.create_task(listen(app.state.principal_cache, connect, stop))
        yield
        stop.set()
        for task in (relay, listener):
            if task is not None:
                await task
        app.state.hasher.close()
        await engine.dispose()

    app = FastAPI(
        title=TITLE,
        version="0.1.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,  # served by services.api.docs from an installed package, never from a CDN
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_exposed else None,
        telemetry=NO_TELEMETRY,
    )
    if settings.docs_exposed:
        install_docs(app, title=TITLE)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.clock = clock or SystemClock()
    app.state.principal_cache = PrincipalCache()  # on while the lifespan's listener is connected
    if engine.dialect.name == "postgresql":
        watch_identity_changes(engine, app.state.principal_cache)
    app.state.cursor_secret = hashlib.sha256(
        b"cursor:" + settings.secret_key.get_secret_value().encode()
    ).digest()

    crypto.configure(settings.secret_key.get_secret_value())
    audit_chain.configure(Keyring.of(settings.audit_key_texts()))
    app.state.hasher = Argon2PasswordHasher(
        memory_cost=settings.password_memory_kib,
        time_cost=settings.password_time_cost,
        threads=settings.password_hash_threads,
    )
    app.state.webhook_targets = WebhookTargets.from_settings(settings)
    app.state.token_signer = JwtTokenSigner(
        settings.secret_key.get_secret_value(), access_minutes=settings.access_token_minutes
    )

    install_error_handlers(app)
    # Added first, so each runs inside the next: units of work are closed before an answer is stored for its
    # Idempotency-Key, and both run inside the request-context middleware (request id, body limit, 500s).
    app.add_middleware(UnitsOfWorkMiddleware)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    include_routes(app, ROUTERS)
    install_openapi(app)
    return app


YOUNG_COLLECTION_THRESHOLD = 10_000


def serve_app() -> FastAPI:
    """The app `gaoxin serve` runs: with the relay in-process unless GAOXIN_RELAY_IN_PROCESS=false."""
    settings = get_settings()
    # A worker that uvicorn spawns (--workers > 1) starts a fresh interpreter: configure its logging too.
    configure_logging(settings.log_level, settings.log_style)
    app = create_app(settings, start_relay=settings.relay_in_process)
    # Everything built so far (modules, mappers, routes) lives as long as the worker: moved out of the
    # collector's generations, a full collection no longer walks it on every request that allocates a
    # lot (a plan's tree took a third longer each time one ran). Only here: tests build many apps.
    gc.freeze()
    # The youngest generation collected once 10,000 more container objects live than died, not 700: a
    # request's objects die with it by reference counting, but sixteen requests at once kept crossing 700
    # and set off a young collection every eight requests, 190 µs each — 3 % of GET one's CPU, measured
    # with gc.callbacks in the served worker (docs/BENCHMARKS.md). Cycles are still collected, later.
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
    return app
