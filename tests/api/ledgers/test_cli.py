"""`gaoxin import KIND FILE`: the same import from the command line, with a row counter on stderr."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.api.cultivation.helpers import CODE_A, corrupt
from tests.api.ledgers.helpers import workbook

HEADER = ["企业名称", "统一社会信用代码"]


def gaoxin(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"GAOXIN_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "services.cli", "import", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


async def test_cli_imports_a_ledger_and_refuses_a_bad_one(app, client, officer, database_url, tmp_path):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(workbook([HEADER, *[[f"企业{i:03d}", None] for i in range(250)], ["甲公司", CODE_A]]))
    bad.write_bytes(workbook([HEADER, ["乙公司", corrupt(CODE_A)]]))

    refused = gaoxin(database_url, "enterprises", str(bad))
    assert refused.returncode == 1
    assert "row 2, 统一社会信用代码" in refused.stderr and "refused, nothing written" in refused.stdout

    dry = gaoxin(database_url, "enterprises", str(good), "--dry-run")
    assert dry.returncode == 0 and "251 rows: 251 created" in dry.stdout and "dry run" in dry.stdout
    assert (await client.get("/api/v1/enterprises", headers=officer)).json()["items"] == []

    done = gaoxin(database_url, "enterprises", str(good))
    assert done.returncode == 0, done.stderr
    assert "200/251 rows" in done.stderr and "251/251 rows" in done.stderr
    listed = (await client.get("/api/v1/enterprises?limit=200", headers=officer)).json()
    assert len(listed["items"]) == 200 and listed["next_cursor"]


async def test_cli_says_what_is_wrong_with_the_file(app, database_url, tmp_path):
    missing = gaoxin(database_url, "enterprises", str(tmp_path / "nowhere.xlsx"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    text = tmp_path / "ledger.xlsx"
    text.write_text("企业名称\n甲公司\n")
    not_xlsx = gaoxin(database_url, "enterprises", str(text))
    assert not_xlsx.returncode == 1 and ".xlsx" in not_xlsx.stderr
    tasks = tmp_path / "tasks.xlsx"
    tasks.write_bytes(workbook([["任务名称"], ["任务"]]))
    no_plan = gaoxin(database_url, "tasks", str(tasks))
    assert no_plan.returncode == 1 and "plan_id" in no_plan.stderr


async def test_cli_imports_progress_reports(app, client, planner, plan, database_url, tmp_path):
    created = await client.post(
        "/api/v1/tasks", json={"plan_id": plan["id"], "code": "1", "title": "任务"}, headers=planner
    )
    task = created.json()
    ledger = tmp_path / "reports.xlsx"
    ledger.write_bytes(
        workbook(
            [
                ["任务编号", "报告期", "进度", "进展情况", "填报日期"],
                ["1", "2023-05", 30, "开工", "2023-06-02"],
            ]
        )
    )
    done = gaoxin(database_url, "progress_reports", str(ledger), "--plan-id", plan["id"])
    assert done.returncode == 0, done.stderr
    assert "1 rows: 1 created" in done.stdout
    history = (await client.get(f"/api/v1/tasks/{task['id']}/history", headers=planner)).json()["items"]
    assert [(e["kind"], e["date"]) for e in history] == [
        ("transition", "2023-05-01"),
        ("report", "2023-06-02"),
    ]
