"""Finding 10: headers. API answers and exports are `Cache-Control: no-store`, every answer says
`X-Content-Type-Options: nosniff`, the server does not name itself, and /docs and /redoc load Swagger UI
and ReDoc from the installed package — no CDN — with their exposure in production a setting."""

from __future__ import annotations

import asyncio
import re
from importlib import resources

import httpx
import pytest
import uvicorn

from services.api.app import create_app
from services.cli import SERVE_OPTIONS
from tests.conftest import make_settings
from tests.support.receiver import free_port


async def test_api_answers_and_exports_are_not_stored_and_nothing_is_sniffed(client, admin):
    for path in ("/api/v1/me", "/api/v1/users", "/api/v1/audit-log/verify", "/api/v1/nowhere"):
        response = await client.get(path, headers=admin)
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["x-content-type-options"] == "nosniff", path
    export = await client.get("/api/v1/exports/enterprises.xlsx", headers=admin)
    assert export.status_code == 200
    assert (
        export.headers["cache-control"] == "no-store"
        and export.headers["x-content-type-options"] == "nosniff"
    )
    health = await client.get("/healthz")
    assert health.headers["x-content-type-options"] == "nosniff"


async def _get(app, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return await http.get(path)


async def test_the_docs_load_their_assets_from_the_package_never_from_a_cdn(database_url):
    app = create_app(make_settings(database_url))
    swagger, redoc = await _get(app, "/docs"), await _get(app, "/redoc")
    assert swagger.status_code == redoc.status_code == 200
    for page in (swagger.text, redoc.text):
        external = re.findall(r"""(?:src|href)=["']?(https?://[^"' >]+)""", page)
        assert external == [], external
        assert "cdn.jsdelivr" not in page and "fonts.googleapis" not in page and "unpkg" not in page
    assets = resources.files("fastapi_offline") / "static"
    for name, page in (
        ("swagger-ui-bundle.js", swagger.text),
        ("swagger-ui.css", swagger.text),
        ("redoc.standalone.js", redoc.text),
    ):
        url = re.search(rf"""["']([^"']*/{re.escape(name)})["']""", page).group(1)
        served = await _get(app, url)
        assert served.status_code == 200 and served.content == (assets / name).read_bytes(), name


@pytest.mark.parametrize(
    "environment, setting, shown",
    [
        ("production", None, False),
        ("production", True, True),
        ("test", None, True),
        ("development", False, False),
    ],
)
async def test_the_docs_exposure_is_a_setting_off_by_default_in_production(
    database_url, environment, setting, shown
):
    overrides = {"environment": environment} | ({"api_docs": setting} if setting is not None else {})
    app = create_app(make_settings(database_url, **overrides))
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert (await _get(app, path)).status_code == (200 if shown else 404), (path, environment, setting)


async def test_the_served_app_does_not_name_its_server(database_url):
    """`gaoxin serve` runs uvicorn with SERVE_OPTIONS; the same options, served for real on loopback."""
    app = create_app(make_settings(database_url))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", **SERVE_OPTIONS))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        server.should_exit = True
        await task
    assert response.status_code == 200 and "server" not in response.headers
