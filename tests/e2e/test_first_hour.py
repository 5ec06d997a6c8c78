"""A newcomer's first hour, over sockets: the first start's admin password, the sample data set, and the
mobile flow of a department's staff (log in, my tasks, a report with its evidence)."""

from __future__ import annotations

import asyncio
import re

import httpx

from tests.e2e.conftest import signed_in
from tests.e2e.served import GAOXIN, Served, served_env


async def run_command(*args: str, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        GAOXIN, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode, output.decode()


async def test_the_first_start_shows_the_admin_password_on_lines_of_its_own(tmp_path, database_url):
    env = served_env(database_url, environment="development", log_format="console")
    del env["GAOXIN_ADMIN_PASSWORD"]
    async with Served.serve(env, tmp_path / "serve.log") as served:
        banner = re.search(r"^\+-+\+\n\| first start: .*\n\|\s+(\S+)\s+\|\n", served.output(), re.MULTILINE)
        assert banner, served.output()
        async with signed_in(served, "admin", banner.group(1)) as http:
            assert (await http.get("/api/v1/me")).status_code == 200
            # a temporary password: everything else waits until it is changed
            assert (await http.get("/api/v1/plans")).status_code == 403
    assert re.search(r"^\d\d:\d\d:\d\d INFO  gaoxin.access +GET /readyz 200", served.output(), re.MULTILINE)


async def test_the_sample_lets_a_department_user_try_the_mobile_flow(tmp_path, database_url):
    env = served_env(database_url)
    async with Served.serve(env, tmp_path / "serve.log") as served:
        code, printed = await run_command("sample", env=env)
        assert code == 0, printed
        password = re.search(r"^\| sample\.department +department +(\S+) +\|$", printed, re.MULTILINE).group(
            1
        )
        assert (await run_command("sample", env=env))[0] == 0  # a second run writes nothing, and says so
        async with signed_in(served, "sample.department", password) as http:
            me = (await http.get("/api/v1/me")).json()
            mine = (await http.get("/api/v1/me/tasks", params={"limit": 200})).json()["items"]
            assert mine and {t["lead_department_id"] for t in mine} == {me["department_id"]}
            parents = {t["parent_id"] for t in mine}
            leaf = next(t for t in mine if t["id"] not in parents and t["status"] == "in_progress")
            files = {"file": ("进展佐证.pdf", b"%PDF-1.4\n% evidence\n", "application/pdf")}
            evidence = await http.post("/api/v1/attachments", files=files)
            assert evidence.status_code == 201, evidence.text
            report = {
                "period": "2026-11",
                "percent": 85,
                "summary": "移动端填报",
                "attachment_ids": [evidence.json()["id"]],
            }
            filed = await http.post(f"/api/v1/tasks/{leaf['id']}/progress-reports", json=report)
            assert filed.status_code == 201, filed.text
            assert (await http.get(f"/api/v1/tasks/{leaf['id']}")).json()["progress"] == 85


async def test_the_sample_is_refused_in_production(database_url):
    env = served_env(database_url, environment="production")
    code, printed = await run_command("sample", env=env)
    assert code == 2 and "refused" in printed


async def test_serve_and_seed_never_load_the_sample(tmp_path, database_url):
    env = served_env(database_url)
    async with (
        Served.serve(env, tmp_path / "serve.log") as served,
        httpx.AsyncClient(base_url=served.base_url) as http,
    ):
        assert (await run_command("seed", env=env))[0] == 0
        response = await http.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": "sample.department", "password": "Gx-anything-1a"},
        )
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
