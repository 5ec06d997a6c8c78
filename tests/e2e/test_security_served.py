"""What the security review asked of the deployed command: the caller's address as uvicorn's proxy trust
says, no `server` header, the API docs' own assets (no CDN), the docs hidden in production, a warning for
the public development key."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import signed_in
from tests.e2e.served import SECRET, Served, served_env

FORWARDED_FOR = "203.0.113.7"  # TEST-NET-3: the address a trusted proxy says the caller has


async def _login_sources(http: httpx.AsyncClient) -> list[str | None]:
    entries = (await http.get("/api/v1/audit-log", params={"action": "auth.login", "limit": 200})).json()
    return [e["source"] for e in entries["items"]]


@pytest.mark.parametrize(("trusted", "expected"), [("127.0.0.1", FORWARDED_FOR), ("10.9.9.9", "127.0.0.1")])
async def test_the_audited_source_is_the_proxys_word_only_when_uvicorn_trusts_it(
    tmp_path, database_url, trusted, expected
):
    env = served_env(database_url) | {"FORWARDED_ALLOW_IPS": trusted}
    async with Served.serve(env, tmp_path / "serve.log") as served:
        async with httpx.AsyncClient(base_url=served.base_url) as http:
            response = await http.post(
                "/api/v1/auth/token",
                data={
                    "grant_type": "password",
                    "username": "admin",
                    "password": env["GAOXIN_ADMIN_PASSWORD"],
                },
                headers={"X-Forwarded-For": FORWARDED_FOR},
            )
            assert response.status_code == 200
        async with signed_in(served) as http:
            sources = await _login_sources(http)
    assert sources[0] == expected


async def test_production_hides_the_docs_and_the_server_and_serves_nothing_from_a_cdn(tmp_path, database_url):
    env = served_env(database_url, environment="production") | {"GAOXIN_SECRET_KEY": SECRET + "-production"}
    async with (
        Served.serve(env, tmp_path / "serve.log") as served,
        httpx.AsyncClient(base_url=served.base_url) as http,
    ):
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (await http.get(path)).status_code == 404, path
        health = await http.get("/healthz")
        assert "server" not in health.headers
        assert health.headers["x-content-type-options"] == "nosniff"

    env["GAOXIN_API_DOCS"] = "true"
    async with (
        Served.serve(env, tmp_path / "serve.log") as served,
        httpx.AsyncClient(base_url=served.base_url) as http,
    ):
        page = (await http.get("/docs")).text
        assert "/docs-assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
        assert (await http.get("/docs-assets/swagger-ui-bundle.js")).status_code == 200
        assert (await http.get("/openapi.json")).status_code == 200


async def test_the_public_development_key_is_warned_about_at_start(tmp_path, database_url):
    env = served_env(database_url, environment="development")
    del env["GAOXIN_SECRET_KEY"]
    async with Served.serve(env, tmp_path / "serve.log") as served:
        assert "GAOXIN_SECRET_KEY is not set" in served.output()
