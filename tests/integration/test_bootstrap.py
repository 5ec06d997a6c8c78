"""Start-up: GAOXIN_ADMIN_PASSWORD makes sure `admin` exists; else a random one, once, on a new database."""

from __future__ import annotations

import os
import subprocess
import sys

from pydantic import SecretStr

from services.bootstrap import bootstrap_admin
from tests.conftest import make_settings
from tests.support.accounts import password_login


async def test_first_start_creates_admin_with_a_temporary_password_once(app, client, database_url):
    settings = make_settings(database_url)
    generated = await bootstrap_admin(settings)
    assert generated and len(generated) >= 12
    assert await bootstrap_admin(settings) is None  # never again
    token = (await password_login(client, "admin", generated)).json()["access_token"]
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["must_change_password"] is True and me.json()["roles"] == ["admin"]


async def test_admin_password_setting_creates_and_then_resets_admin(app, client, database_url):
    await bootstrap_admin(make_settings(database_url, admin_password=SecretStr("First-Boss-1x")))
    assert (await password_login(client, "admin", "First-Boss-1x")).status_code == 200
    await bootstrap_admin(make_settings(database_url, admin_password=SecretStr("Second-Boss-2x")))
    assert (await password_login(client, "admin", "First-Boss-1x")).status_code == 400
    assert (await password_login(client, "admin", "Second-Boss-2x")).status_code == 200


async def test_cli_user_add_reads_the_password_from_stdin(app, client, database_url):
    env = os.environ | {"GAOXIN_DATABASE_URL": database_url, "GAOXIN_PASSWORD_MEMORY_KIB": "1024"}
    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "user", "add", "chen", "--role", "planner"],
        input="Cli-Pass-2025\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Cli-Pass-2025" not in result.stdout + result.stderr
    assert (await password_login(client, "chen", "Cli-Pass-2025")).status_code == 200
    weak = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "user",
            "add",
            "chen2",
            "--role",
            "viewer",
            "--password",
            "weak",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert weak.returncode == 1 and "8 characters" in weak.stderr
