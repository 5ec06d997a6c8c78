"""The deployment claim: two API processes and two relays on one PostgreSQL lose and duplicate no event."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import httpx
import pytest

from tests.conftest import TEST_SECRET
from tests.support.databases import backend, fresh_database
from tests.support.receiver import Receiver, free_port

pytestmark = pytest.mark.skipif(backend() != "postgresql", reason="several processes share PostgreSQL only")
ADMIN_PASSWORD = "Deploy-Proof-2025"


def _spawn(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "services.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _wait_ready(base: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(200):
            try:
                if (await http.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{base} never became ready")


async def test_two_servers_two_relays_deliver_every_event_exactly_once(tmp_path):
    async with fresh_database(tmp_path, "deploy") as database_url:
        await _prove(database_url)


async def _prove(database_url: str) -> None:
    env = os.environ | {
        "GAOXIN_DATABASE_URL": database_url,
        "GAOXIN_ENVIRONMENT": "test",
        "GAOXIN_SECRET_KEY": TEST_SECRET,
        "GAOXIN_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "GAOXIN_RELAY_IN_PROCESS": "false",
        "GAOXIN_WEBHOOK_BACKOFF": "0.2,0.2,0.2",
        "GAOXIN_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",  # the receiver listens on loopback
        "GAOXIN_PASSWORD_MEMORY_KIB": "1024",
    }
    ports = [free_port(), free_port()]
    processes = [_spawn(["serve", "--port", str(port)], env) for port in ports]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            await _wait_ready(base)
        processes += [_spawn(["relay"], env), _spawn(["relay"], env)]
        async with Receiver() as receiver, httpx.AsyncClient(timeout=10) as http:
            token = (
                await http.post(
                    f"{bases[0]}/api/v1/auth/token",
                    data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
                )
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            hook = await http.post(f"{bases[0]}/api/v1/webhooks", json={"url": receiver.url}, headers=headers)
            assert hook.status_code == 201

            async def write(n: int) -> None:
                response = await http.post(
                    f"{bases[n % 2]}/api/v1/departments", json={"name": f"部门{n:03d}"}, headers=headers
                )
                assert response.status_code == 201

            await asyncio.gather(*(write(n) for n in range(120)))
            # Poll the feed as a consumer does: an empty page means "nothing visible yet", not "the end".
            feed, cursor = [], None
            for _ in range(300):
                params = {"limit": 200} | ({"after": cursor} if cursor else {})
                page = (await http.get(f"{bases[1]}/api/v1/events", params=params, headers=headers)).json()
                feed += page["items"]
                cursor = page["next_cursor"]
                delivered_ids = {r["headers"]["webhook-id"] for r in receiver.received}
                # the relays' daily sweep adds task.overdue events of the seeded plan meanwhile
                if not page["items"] and len(feed) >= 120 and delivered_ids == {e["id"] for e in feed}:
                    break
                await asyncio.sleep(0.05 if page["items"] else 0.1)
            await asyncio.sleep(1.0)  # a duplicate would arrive now, if any relay sent one
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
    delivered = [r["headers"]["webhook-id"] for r in receiver.received]
    assert len(feed) >= 120
    assert sorted(delivered) == sorted(e["id"] for e in feed)  # none lost, none twice
