"""`gaoxin backup`: an online copy of the SQLite database that restores to the same data."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from services.api.app import create_app
from tests.conftest import make_settings
from tests.support.accounts import bearer, make_user
from tests.support.databases import backend
from tests.support.lifespan import running

pytestmark = pytest.mark.skipif(backend() != "sqlite", reason="PostgreSQL is backed up with pg_dump")


async def test_backup_then_restore_keeps_every_record(app, client, database_url, tmp_path):
    await make_user(app, "root", ["admin"])
    admin = await bearer(client, "root")
    for name in ("财政局", "经发局"):
        await client.post("/api/v1/departments", json={"name": name}, headers=admin)
    target = tmp_path / "backup.db"
    env = os.environ | {"GAOXIN_DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "backup", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    restored = create_app(make_settings(f"sqlite+aiosqlite:///{target}"))
    async with (
        running(restored),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=restored), base_url="http://restored") as other,
    ):
        names = (await other.get("/api/v1/departments", headers=await bearer(other, "root"))).json()["items"]
        assert sorted(d["name"] for d in names) == ["经发局", "财政局"]
        verdict = (await other.get("/api/v1/audit-log/verify", headers=await bearer(other, "root"))).json()
        assert verdict["valid"] is True


def test_backup_refuses_postgresql_with_the_pg_dump_hint():
    env = os.environ | {"GAOXIN_DATABASE_URL": "postgresql+asyncpg://x@127.0.0.1/none"}
    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "backup", "/tmp/x.db"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "pg_dump" in result.stderr
