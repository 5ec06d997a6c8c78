"""Route dispatch by a path's fixed head: the routers' routes joined into the app's own list, and an index
that tries only the routes a path can match.

FastAPI matches a request against the app's routes one at a time, in order; an included router is matched
route by route twice (once to choose it, once to serve), with bookkeeping around each try. With about a
hundred and twenty routes that was 0.14 ms of every request (docs/BENCHMARKS.md). Two steps take it to a few
microseconds without changing which route answers:

- `include_routes` appends each router's routes to the app's list. A route is complete in its router
  (prefix, tags, dependencies and responses are joined when it is declared), so it serves and documents the
  same; what the app would add on inclusion (a dependency override provider) this service does not use.
- `RouteIndex`, the app router's own middleware, keeps the routes under the first segments of the fixed part
  of their path (`/api/v1/enterprises/{enterprise_id}` under `api/v1/enterprises`). A request is tried
  against the routes whose fixed part its path starts with, in the app's order: a route that can match it
  must be among them, so the first full match is the one the whole list would give. Anything else — no full
  match (404, 405, a slash to redirect), a path whose head no route has — goes to the router untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

DEPTH = 3  # segments of a path's head that key the index: api/v1/<resource>


def include_routes(app: FastAPI, routers: Iterable[APIRouter]) -> None:
    """Append every route of `routers` to the app's own list, in order, and serve it through the index."""
    for router in routers:
        app.router.routes.extend(router.routes)
    app.router.middleware_stack = RouteIndex(app.router.middleware_stack, app.router)


def fixed_head(route: BaseRoute) -> tuple[str, ...]:
    """The path segments before the first parameter, at most DEPTH; () for what is not a plain route."""
    if not isinstance(route, Route):
        return ()  # a mount or a host route: tried for every path
    head: list[str] = []
    for segment in route.path.split("/")[1:]:
        if "{" in segment or len(head) == DEPTH:
            break
        head.append(segment)
    return tuple(head)


def head_of(path: str) -> tuple[str, ...]:
    """A request path's first DEPTH segments."""
    return tuple(path.split("/", DEPTH + 1)[1 : DEPTH + 1])


class RouteIndex:
    """The routes a path can match, by its head, tried in the app's order before the router's full scan."""

    def __init__(self, app: ASGIApp, router: APIRouter) -> None:
        self.app = app
        self.router = router
        self.routes: Sequence[BaseRoute] = router.routes
        self._built_for = -1
        self._candidates: dict[tuple[str, ...], tuple[BaseRoute, ...]] = {}

    def candidates(self, head: tuple[str, ...]) -> tuple[BaseRoute, ...] | None:
        """The routes that can match a path with this head, in order; None when no route has this head."""
        if self._built_for != len(self.routes):  # a route added after the app was made (tests do)
            self._build()
        return self._candidates.get(head)

    def _build(self) -> None:
        heads = [fixed_head(route) for route in self.routes]
        # A path with head H can match a route whose fixed head is a prefix of H (() included).
        self._candidates = {
            head: tuple(r for r, h in zip(self.routes, heads, strict=True) if head[: len(h)] == h)
            for head in set(heads)
        }
        self._built_for = len(self.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Telemetry and a root path take the router's own way, which records the one and strips the other.
        if scope["type"] == "http" and not scope.get("root_path") and "fastapi.telemetry" not in scope:
            for route in self.candidates(head_of(scope["path"])) or ():
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self.router)
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await self.app(scope, receive, send)
