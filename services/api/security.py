"""Authentication and the permission every route declares (deny by default)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import HTTPBearer, OAuth2
from starlette.responses import Response
from starlette.routing import Match

from domain.identity.policy import Action, Principal, authorize
from domain.shared.errors import Forbidden
from infrastructure.security.principal_cache import PrincipalCache
from infrastructure.security.principals import load_principal
from infrastructure.security.tokens import AccessClaims
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from services.api.deps import READ_METHODS, get_uow
from services.api.problems import Problem, problem_response

TOKEN_URL = "/api/v1/auth/token"
# Declared for the OpenAPI schema's "Authorize" button; checking is ours, so errors are problems. Either
# scheme sends the same bearer token: pasted as it is, or obtained there with a username and password or a
# client's id and secret. A token carries its user's roles or its client's registered scopes, whatever
# `scope` asks for, so the flows offer none to choose.
bearer_scheme = HTTPBearer(auto_error=False, description=f"Access token from POST {TOKEN_URL}")
oauth2_scheme = OAuth2(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=TOKEN_URL, scopes={}),
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL, scopes={}),
    ),
    scheme_name="OAuth2",
    description="Sign in as a person (username and password) or as a city system (client id and secret).",
    auto_error=False,
)


# What the schema says a route with a permission takes: either scheme, each by its name in the components.
SECURITY_SCHEMES = {scheme.scheme_name: scheme.model for scheme in (bearer_scheme, oauth2_scheme)}
SECURITY = [{name: []} for name in SECURITY_SCHEMES]


def unauthorized(detail_en: str, detail_zh: str, *, invalid: bool) -> Problem:
    challenge = 'Bearer realm="gaoxin"' + (', error="invalid_token"' if invalid else "")
    return Problem("unauthorized", detail_en, detail_zh, headers={"WWW-Authenticate": challenge})


async def authenticate(request: Request) -> Principal:
    """The principal behind the request's bearer token; 401 when missing, invalid, expired or revoked."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized(
            "An access token is required (Authorization: Bearer …).",
            "需要访问令牌(Authorization: Bearer …)。",
            invalid=False,
        )
    claims = request.app.state.token_signer.read_access_token(token.strip())
    principal = await _principal(request, claims) if claims else None
    if principal is None:
        raise unauthorized(
            "The access token is invalid, expired or revoked.",
            "访问令牌无效、已过期或已被吊销。",
            invalid=True,
        )
    request.state.principal = principal
    request.state.actor = principal.name
    return principal


async def _principal(request: Request, claims) -> Principal | None:
    # A read asks in the request's own unit of work: one connection a request.
    # A write asks in a session of its own, so that SQLite's write lock is not taken before it is needed.
    if request.method in READ_METHODS:

        async def read_in_unit() -> Principal | None:
            return await load_principal((await get_uow(request)).session, claims)

        return await _remembered_or_read(request, claims, read_in_unit)
    return await _remembered_or_read(request, claims, lambda: _read_apart(request, claims))


async def _read_apart(request: Request, claims: AccessClaims) -> Principal | None:
    async with request.app.state.session_factory() as session:
        return await load_principal(session, claims)


async def _remembered_or_read(
    request: Request, claims: AccessClaims, read: Callable[[], Awaitable[Principal | None]]
) -> Principal | None:
    """The principal the process remembers for these claims, else what `read` finds (then remembered).

    The cache (infrastructure/security/principal_cache.py) is on only while the process listens to
    PostgreSQL's notices of identity changes; off, every request reads the database."""
    cache: PrincipalCache = request.app.state.principal_cache
    if claims.session_id is None:
        return None  # every token names its session; load_principal refuses it too
    key = (claims.kind, claims.subject, claims.session_id)
    found = cache.get(key)
    if found is not None:
        return found
    generation = cache.generation  # taken before the read: a notice during it forbids remembering
    principal = await read()
    if principal is not None:
        cache.put(key, principal, read_in_generation=generation)
    return principal


class Requires:
    """The permission of a route: `Depends(Requires(Action.READ))`; `Requires(None)` marks a public route."""

    def __init__(self, action: Action | None) -> None:
        self.action = action

    # The schemes a caller may sign in with are declared in the schema (`SECURITY`), not resolved here:
    # as dependencies they would parse the Authorization header twice more on every request. Nor is the
    # unit of work a dependency of this one: most requests find their principal remembered and read
    # nothing, and one that must read asks for the request's unit then (`get_uow`).
    async def __call__(self, request: Request) -> Principal | None:
        if self.action is None:
            return None
        principal = await authenticate(request)
        authorize(principal, self.action)
        return principal


class Public(Requires):
    """The declared permission of a route that needs no token (no bearer scheme in its OpenAPI entry)."""

    def __init__(self) -> None:
        super().__init__(None)

    async def __call__(self) -> None:  # type: ignore[override]
        return None


PUBLIC = Public()


class RequiresUnit(Requires):
    """The permission of a route and the request's unit of work in one dependency: `unit_for(action)`.

    FastAPI solves each dependency of a route apart, about 17 µs of CPU each (docs/BENCHMARKS.md), so a
    route that needs the unit but not the caller takes both from this one: the caller is checked first,
    then the request's one unit (`get_uow`) is given. Its clock is the route's clock (`uow.clock`)."""

    async def __call__(self, request: Request) -> SqlAlchemyUnitOfWork:  # type: ignore[override]
        await super().__call__(request)
        return await get_uow(request)


def requires(action: Action):
    """An Annotated principal that must be allowed `action`."""
    return Annotated[Principal, Depends(Requires(action))]


def unit_for(action: Action):
    """An Annotated unit of work of a request whose caller must be allowed `action`."""
    return Annotated[SqlAlchemyUnitOfWork, Depends(RequiresUnit(action))]


def declared_permission(route: APIRoute) -> Requires | None:
    """The `Requires` a route declares (on itself or on its router), found in its dependency tree."""
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        if isinstance(dependant.call, Requires):
            return dependant.call
        stack.extend(dependant.dependencies)
    return None


def _permissions(app) -> list[tuple[APIRoute, Requires | None]]:
    """Every route as the app serves it (included routers flattened) with its permission; built once."""
    found = getattr(app.state, "route_permissions", None)
    if found is None:
        routes = [context.route for context in iter_route_contexts(app.routes)]
        found = [(r, declared_permission(r)) for r in routes if isinstance(r, APIRoute)]
        app.state.route_permissions = found
    return found


async def refusal_before_routing(request: Request, claims: AccessClaims) -> Response | None:
    """What the route would answer a request with these claims before its handler runs — 401 when the
    token's session, user or client is no longer live, 403 when the route's permission refuses the
    caller — or None when it would let the request in (or no route matches: the app answers that)."""
    matching = (p for r, p in _permissions(request.app) if r.matches(request.scope)[0] is Match.FULL)
    permission = next(matching, None)
    if permission is None or permission.action is None:
        return None
    principal = await _remembered_or_read(request, claims, lambda: _read_apart(request, claims))
    try:
        if principal is None:
            raise unauthorized(
                "The access token is invalid, expired or revoked.",
                "访问令牌无效、已过期或已被吊销。",
                invalid=True,
            )
        authorize(principal, permission.action)
    except Problem as refused:
        return problem_response(request, refused.slug, refused.en, refused.zh, headers=refused.headers)
    except Forbidden as refused:
        return problem_response(request, "forbidden", refused.en, refused.zh)
    return None
