"""The route index answers every path with the route the app's whole list would choose, and leaves the rest
(no full match, an unknown head) to the router: 404, 405 and the slash redirect as before."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI
from starlette.routing import Match, Route

from services.api.app import create_app
from services.api.routing import RouteIndex, fixed_head, head_of, include_routes
from tests.conftest import make_settings

APP = create_app(make_settings("sqlite+aiosqlite:///never-opened.db"))
INDEX: RouteIndex = APP.router.middleware_stack


def _scope(method: str, path: str) -> dict:
    return {"type": "http", "method": method, "path": path, "root_path": "", "path_params": {}}


def _first_full_match(method: str, path: str):
    """What the router's own scan over the whole list chooses."""
    for route in APP.router.routes:
        if route.matches(_scope(method, path))[0] is Match.FULL:
            return route
    return None


def _served_match(method: str, path: str):
    """What the index chooses, or, where it finds no full match, what the router's scan then does."""
    for route in INDEX.candidates(head_of(path)) or ():
        if route.matches(_scope(method, path))[0] is Match.FULL:
            return route
    return _first_full_match(method, path)


def _example_path(template: str) -> str:
    """A concrete path for a template: each parameter filled with a value its convertor takes."""
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: "7" if m.group(2) == ":int" else f"v-{m.group(1)}", template)


def test_the_app_is_served_through_the_index_over_every_route():
    assert isinstance(INDEX, RouteIndex)
    assert INDEX.routes is APP.router.routes
    assert len(APP.router.routes) > 100  # the routers' routes joined into the app's own list


@pytest.mark.parametrize(
    "route",
    [r for r in APP.router.routes if isinstance(r, Route)],
    ids=lambda r: f"{sorted(r.methods or [])} {r.path}",
)
def test_every_route_is_found_as_the_whole_list_would_find_it(route):
    path = _example_path(route.path)
    for method in sorted(route.methods or {"GET"}):
        expected = _first_full_match(method, path)
        assert expected is not None, (method, path)
        assert _served_match(method, path) is expected, (method, path)
        assert expected in INDEX.candidates(head_of(path)), (method, path)  # found by the index itself


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/enterprises/e1/certifications/c1",
        "/api/v1/tasks/t1",
        "/api/v1/plans/p1/tree",
        "/api/v1/me",
        "/healthz",
        "/api/v1/enterprises/",  # a slash too many: no full match, the router redirects
        "/api/v1/nothing-here/at/all",
        "/api/v2/enterprises/e1",
        "/",
    ],
)
def test_a_path_s_candidates_hold_every_route_that_can_match_it_in_order(path):
    found = INDEX.candidates(head_of(path))
    if found is not None:  # None: no route has this head, and the router scans the whole list itself
        assert list(found) == [
            r for r in APP.router.routes if head_of(path)[: len(fixed_head(r))] == fixed_head(r)
        ]
    for method in ("GET", "POST", "PATCH", "DELETE"):
        assert _served_match(method, path) is _first_full_match(method, path)


def test_the_head_of_a_route_stops_at_its_first_parameter_or_at_three_segments():
    assert head_of("/api/v1/enterprises/e1/metrics") == ("api", "v1", "enterprises")
    assert head_of("/healthz") == ("healthz",)
    assert head_of("/") == ("",)
    assert fixed_head(Route("/api/v1/enterprises/{enterprise_id}", lambda r: None)) == (
        "api",
        "v1",
        "enterprises",
    )
    assert fixed_head(Route("/api/{version}/x", lambda r: None)) == ("api",)
    assert fixed_head(Route("/metrics", lambda r: None)) == ("metrics",)


def _small_app() -> FastAPI:
    from fastapi import APIRouter

    router = APIRouter(prefix="/api/v1/things")

    @router.get("/{thing_id}")
    async def get_thing(thing_id: str) -> dict:
        return {"id": thing_id, "route": "one"}

    @router.get("/special")  # declared after the parameter: the parameter route answers first, as always
    async def special() -> dict:
        return {"route": "special"}

    @router.post("")
    async def post_thing() -> dict:
        return {"route": "post"}

    app = FastAPI()
    include_routes(app, [router])
    return app


async def test_served_answers_are_those_of_the_router_404_405_and_redirect_included():
    app = _small_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        assert (await http.get("/api/v1/things/a")).json() == {"id": "a", "route": "one"}
        assert (await http.get("/api/v1/things/special")).json() == {"id": "special", "route": "one"}
        assert (await http.post("/api/v1/things")).json() == {"route": "post"}
        wrong_method = await http.delete("/api/v1/things/a")
        assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "GET"
        assert (await http.get("/api/v1/elsewhere")).status_code == 404
        slash = await http.post("/api/v1/things/", follow_redirects=False)
        assert slash.status_code == 307 and slash.headers["location"] == "http://t/api/v1/things"


async def test_a_route_added_after_the_app_was_made_is_served():
    app = _small_app()

    @app.get("/api/v1/things/{thing_id}/parts")
    async def parts(thing_id: str) -> dict:
        return {"parts_of": thing_id}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        assert (await http.get("/api/v1/things/a/parts")).json() == {"parts_of": "a"}
