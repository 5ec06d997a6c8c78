"""The one error table: every exception the service can meet, mapped to an RFC 9457 problem."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.requests import Request

from domain.identity.sessions import AuthError, LoginLocked
from domain.shared.errors import Conflict, DomainError, Forbidden, InvalidValue, NotFound, TooLarge
from services.api.problems import Problem, problem_response

log = logging.getLogger("gaoxin.errors")

RETRY_AFTER_SECONDS = "5"

# Domain error class → problem slug. Subclasses of Conflict keep their own rule slug beside it.
DOMAIN_ERRORS: list[tuple[type[DomainError], str]] = [
    (InvalidValue, "validation-error"),
    (NotFound, "not-found"),
    (Forbidden, "forbidden"),
    (Conflict, "conflict"),
    (TooLarge, "payload-too-large"),
]


def _domain_error(request: Request, exc: DomainError):
    slug = next((s for cls, s in DOMAIN_ERRORS if isinstance(exc, cls)), "conflict")
    extra = {}
    if slug == "validation-error":
        extra["errors"] = [{"loc": location(request, exc.field), "msg": exc.message("en"), "msg_zh": exc.zh}]
    elif slug == "conflict":
        extra["rule"] = exc.rule
    return problem_response(request, slug, exc.en, exc.zh, **extra)


def location(request: Request, field: str | None) -> list[str]:
    """Where a refused value came from, as FastAPI's own 422s say it: a path parameter, a query parameter,
    else the body (a request without one — GET, DELETE — names its query)."""
    if field is not None and field in request.path_params:
        return ["path", field]
    where = (
        "query"
        if (field is not None and field in request.query_params) or request.method in NO_BODY
        else "body"
    )
    return [where, field] if field else [where]


NO_BODY = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


def _auth_error(request: Request, exc: AuthError):
    """RFC 6749 §5.2: invalid_client is 401 (with a challenge), every other token error 400."""
    if exc.oauth_error == "invalid_client":
        return problem_response(
            request,
            "unauthorized",
            exc.en,
            exc.zh,
            error=exc.oauth_error,
            headers={"WWW-Authenticate": 'Basic realm="gaoxin"'},
        )
    return problem_response(request, "bad-request", exc.en, exc.zh, error=exc.oauth_error)


def _login_locked(request: Request, exc: LoginLocked):
    return problem_response(
        request,
        "too-many-requests",
        exc.en,
        exc.zh,
        headers={"Retry-After": str(exc.retry_after)},
        error="temporarily_locked",
    )


def _problem(request: Request, exc: Problem):
    return problem_response(request, exc.slug, exc.en, exc.zh, headers=exc.headers, **exc.extra)


def _validation(request: Request, exc: RequestValidationError):
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem_response(
            request, "bad-request", "The request body is not valid JSON.", "请求体不是合法的JSON。"
        )
    items = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in errors]
    where = "; ".join(f"{'.'.join(str(p) for p in i['loc'])}: {i['msg']}" for i in items[:5])
    return problem_response(
        request,
        "validation-error",
        f"The request has invalid fields: {where}",
        f"请求字段不合法: {where}",
        errors=items,
    )


class BodyTooLarge(HTTPException):
    """The request body went over its limit while it was being read (chunked bodies included).

    An HTTPException so that FastAPI's body parser passes it on instead of turning it into a 400.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"body over {limit} bytes")
        self.limit = limit


def too_large_response(request: Request, limit: int):
    return problem_response(
        request,
        "payload-too-large",
        f"The request body exceeds the limit of {limit} bytes.",
        f"请求体超过上限 {limit} 字节。",
    )


def _http(request: Request, exc: HTTPException):
    if isinstance(exc, BodyTooLarge):
        return too_large_response(request, exc.limit)
    if exc.status_code == 404:
        return problem_response(
            request, "not-found", f"No resource at {request.url.path}.", f"路径 {request.url.path} 不存在。"
        )
    if exc.status_code == 405:
        return problem_response(
            request,
            "method-not-allowed",
            f"{request.method} is not allowed on {request.url.path}.",
            f"{request.url.path} 不支持 {request.method} 方法。",
            headers=dict(exc.headers or {}),
        )
    slug = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 413: "payload-too-large"}.get(
        exc.status_code, "bad-request"
    )
    return problem_response(request, slug, str(exc.detail), str(exc.detail), headers=dict(exc.headers or {}))


def database_unavailable(request: Request, exc: Exception):
    log.warning("database unavailable: %s", type(exc).__name__)
    return problem_response(
        request,
        "service-unavailable",
        "The database does not answer; try again shortly.",
        "数据库暂时无法访问,请稍后重试。",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def _dbapi(request: Request, exc: DBAPIError):
    if isinstance(exc, IntegrityError):
        # A constraint caught what the domain checks missed (a race): refuse, lose nothing.
        return problem_response(
            request,
            "conflict",
            "The change conflicts with data written at the same time; reload and try again.",
            "该修改与同时写入的数据冲突,请刷新后重试。",
            rule="duplicate",
        )
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return database_unavailable(request, exc)
    raise exc


def _stale(request: Request, exc: StaleDataError):
    return problem_response(
        request,
        "precondition-failed",
        "The resource was changed by someone else meanwhile; fetch it again for its new ETag.",
        "该资源已被他人修改,请重新获取最新的ETag。",
    )


def is_database_outage(exc: BaseException) -> bool:
    """True for the errors that mean "the database is not there" rather than "the request is wrong"."""
    if isinstance(exc, PoolTimeout | ConnectionError | TimeoutError):
        return True
    if isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError):
        return exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)
    return isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | PermissionError)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AuthError, _auth_error)
    app.add_exception_handler(LoginLocked, _login_locked)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(DBAPIError, _dbapi)
    app.add_exception_handler(PoolTimeout, database_unavailable)
    app.add_exception_handler(ConnectionError, database_unavailable)
