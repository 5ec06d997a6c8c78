"""Two workers remember who a token speaks for; a session revoked through one of them is refused at once by
whichever answers next. PostgreSQL only: on SQLite nothing is remembered (every request reads the
database), so there is nothing a second worker could hold on to."""

from __future__ import annotations

import asyncio
import re

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from infrastructure.security.principal_cache import LISTENER_NAME
from tests.e2e.served import ADMIN_PASSWORD, Served, served_env
from tests.support.databases import backend

pytestmark = pytest.mark.skipif(
    backend() != "postgresql", reason="the principal cache is on with PostgreSQL's notices only"
)
ROUNDS = 5
AT_ONCE = 12  # requests in flight together, each on a connection of its own: both workers answer
ME = re.compile(r'gaoxin_http_requests_total\{[^}]*route="/api/v1/me"[^}]*status="(\d+)"[^}]*\} (\d+)')


async def listening_workers(database_url: str) -> int:
    url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = $1",
            LISTENER_NAME,
        )
    finally:
        await connection.close()


async def get(served: Served, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """One request on a new connection (so that the kernel hands it to either worker)."""
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=served.base_url, timeout=20, limits=limits) as http:
        return await http.get(path, headers=headers)


async def sign_in(served: Served) -> dict:
    async with httpx.AsyncClient(base_url=served.base_url, timeout=20) as http:
        form = {"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
        response = await http.post("/api/v1/auth/token", data=form)
    assert response.status_code == 200, response.text
    return response.json()


async def me_counts_per_worker(served: Served, workers: int) -> set[tuple[int, int]]:
    """Each worker's own count of GET /me answered 200 and 401 (its /metrics are its process's)."""
    seen: set[tuple[int, int]] = set()
    for _ in range(200):
        body = (await get(served, "/metrics")).text
        counts = {int(status): int(n) for status, n in ME.findall(body)}
        seen.add((counts.get(200, 0), counts.get(401, 0)))
        if len(seen) == workers:
            break
    return seen


async def test_a_session_revoked_through_one_worker_is_refused_by_every_worker_at_once(
    tmp_path, database_url
):
    served = await Served.serve(served_env(database_url), tmp_path / "serve.log", "--workers", "2").start()
    try:
        for _ in range(200):  # each worker's cache is on once its listener is connected
            if await listening_workers(database_url) == 2:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the workers never listened:\n{served.output()}")
        for _ in range(ROUNDS):
            tokens = await sign_in(served)
            bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
            before = await asyncio.gather(*(get(served, "/api/v1/me", bearer) for _ in range(AT_ONCE)))
            assert [r.status_code for r in before] == [200] * AT_ONCE  # remembered by both workers now
            async with httpx.AsyncClient(base_url=served.base_url, timeout=20) as http:
                revoked = await http.post("/api/v1/auth/revoke", data={"token": tokens["refresh_token"]})
            assert revoked.status_code == 200
            after = await asyncio.gather(*(get(served, "/api/v1/me", bearer) for _ in range(AT_ONCE)))
            assert [r.status_code for r in after] == [401] * AT_ONCE
        per_worker = await me_counts_per_worker(served, 2)
    finally:
        code = await served.stop()
    assert code == 0, served.output()
    # Both workers answered the token, and both refused it after its revocation.
    assert len(per_worker) == 2, per_worker
    assert all(ok > 0 and refused > 0 for ok, refused in per_worker), per_worker
    assert sum(ok for ok, _ in per_worker) == ROUNDS * AT_ONCE
    assert sum(refused for _, refused in per_worker) == ROUNDS * AT_ONCE
