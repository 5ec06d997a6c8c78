"""Our middleware: the outermost (request id, body limit, access log, metrics, the last-resort 500) and the
innermost (closing the request's units of work)."""

from __future__ import annotations

import logging
import random
import re
import time
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.deps import close_units
from services.api.errors import BodyTooLarge, database_unavailable, is_database_outage, too_large_response
from services.api.metrics import observe_request
from services.api.problems import problem_response
from services.logging_setup import request_id_var

log = logging.getLogger("gaoxin.access")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
UPLOAD_PATHS = ("/api/v1/attachments", "/api/v1/imports/")
MULTIPART_SLACK = 64 * 1024


class UnitsOfWorkMiddleware:
    """Close the units of work a request's dependencies opened (`deps.get_uow`) as soon as its route has
    answered, rolled back unless committed: the innermost of our middleware, so that no outer one writes
    while a unit still holds its transaction (the idempotency middleware stores the first answer in a
    transaction of its own, which SQLite's one write lock would keep waiting for the request's own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            await close_units(scope)


class RequestContextMiddleware:
    """Give every request an id, enforce the body limit (chunked bodies too) and never leak a stack trace."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        sent, declared = _id_and_length(scope)
        # An id names a request in the logs and its answer: it must be unique, not secret, so it is drawn
        # from the process's generator rather than the system's (uuid4 costs a system call per request).
        request_id = sent if REQUEST_ID.match(sent) else f"{random.getrandbits(128):032x}"
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = {"code": 500, "started": False}
        path = scope["path"]
        # Uploads get room for the multipart wrapping; the file's own size is checked exactly by the domain.
        upload = path.startswith(UPLOAD_PATHS)
        limit = self.max_upload_bytes + MULTIPART_SLACK if upload else self.max_body_bytes

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], True
                message["headers"] = _secured(
                    [*message.get("headers", []), (b"x-request-id", request_id.encode())], path
                )
            await send(message)

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            if nul := _nul_in_url(scope):
                await _nul_refused(request, nul)(scope, receive, send_with_id)
                return
            if declared and declared.isdigit() and int(declared) > limit:
                await too_large_response(request, limit)(scope, receive, send_with_id)
                return
            await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge:
            if not status["started"]:
                await too_large_response(request, limit)(scope, receive, send_with_id)
        except Exception as exc:
            if status["started"]:
                raise
            if is_database_outage(exc):
                await database_unavailable(request, exc)(scope, receive, send_with_id)
            else:
                log.exception("unhandled error on %s %s", scope["method"], path)
                response = problem_response(
                    request,
                    "internal-error",
                    "An unexpected error occurred; it has been logged with this request's id.",
                    "服务器发生意外错误,已按本次请求编号记录。",
                )
                await response(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            observe_request(scope["method"], template, status["code"], elapsed)
            log.info(
                "%s %s %s",
                scope["method"],
                path,
                status["code"],
                extra={
                    "status": status["code"],
                    "ms": round(elapsed * 1000, 2),
                    "route": template,
                    "source": scope["client"][0] if scope.get("client") else None,
                },
            )
            request_id_var.reset(token)


def _id_and_length(scope: Scope) -> tuple[str, str | None]:
    """The X-Request-ID (or "") and Content-Length (or None) a request was sent with, read in one pass
    (the server gives header names in lower case)."""
    sent, declared = None, None
    for name, value in scope["headers"]:  # the first of each, as Starlette's Headers.get gives it
        if name == b"x-request-id" and sent is None:
            sent = value.decode("latin-1")
        elif name == b"content-length" and declared is None:
            declared = value.decode("latin-1")
    return sent or "", declared


def _secured(headers: list[tuple[bytes, bytes]], path: str) -> list[tuple[bytes, bytes]]:
    """No answer is sniffed into another type; no API answer (figures, identities, exports) is kept by a
    browser or a proxy cache: it may name what the next user of that machine must not see."""
    names = {name.lower() for name, _ in headers}
    if b"x-content-type-options" not in names:
        headers.append((b"x-content-type-options", b"nosniff"))
    if path.startswith("/api/") and b"cache-control" not in names:
        headers.append((b"cache-control", b"no-store"))
    return headers


def _nul_in_url(scope: Scope) -> list[str] | None:
    """Where a NUL sits in the path or a query parameter, if anywhere: no layer below can take one."""
    if "\x00" in scope["path"]:
        return ["path"]
    raw = scope.get("query_string", b"")
    if b"%00" not in raw.lower() and b"\x00" not in raw:
        return None
    for name, value in parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return ["query", name.replace("\x00", "\ufffd")]
    return None


def _nul_refused(request: Request, loc: list[str]):
    where = ".".join(loc)
    msg = "must not contain a NUL character (U+0000)"
    return problem_response(
        request,
        "validation-error",
        f"The request has invalid fields: {where}: {msg}",
        f"请求字段不合法: {where}: 不得包含空字符 (U+0000)",
        errors=[{"loc": loc, "msg": msg}],
    )
