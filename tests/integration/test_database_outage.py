"""The database goes away and comes back: 503 problems meanwhile, 200 again without restarting the app."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy.engine import make_url

from services.api.app import create_app
from tests.api import probe
from tests.conftest import make_settings
from tests.support.databases import backend
from tests.support.lifespan import running
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.skipif(
    backend() != "postgresql", reason="needs PostgreSQL (GAOXIN_TEST_DATABASE_URL): SQLite is a local file"
)


async def _wait_for(client: httpx.AsyncClient, path: str, status: int, seconds: float = 5.0) -> float:
    loop = asyncio.get_running_loop()
    start = loop.time()
    while loop.time() - start < seconds:
        if (await client.get(path)).status_code == status:
            return loop.time() - start
        await asyncio.sleep(0.1)
    raise AssertionError(f"{path} did not answer {status} within {seconds}s")


async def test_outage_answers_503_and_recovers_without_restart(database_url):
    real = make_url(database_url)
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    via_proxy = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    app = create_app(make_settings(via_proxy, db_connect_timeout=2))
    app.include_router(probe.router)
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            running(app),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        ):
            assert (await client.get("/readyz")).status_code == 200
            assert (await client.get("/api/v1/probe/database")).json() == {"one": 1}

            await proxy.cut()
            for path in ("/readyz", "/api/v1/probe/database"):
                response = await client.get(path)
                assert response.status_code == 503, response.text
                assert response.headers["content-type"].startswith("application/problem+json")
                assert response.json()["type"] == "/problems/service-unavailable"
                assert int(response.headers["retry-after"]) > 0

            await proxy.restore()
            await _wait_for(client, "/readyz", 200)
            await _wait_for(client, "/api/v1/probe/database", 200)
    finally:
        await proxy.cut()
