"""How large the largest legitimate workbook unpacks: 100,000 rows (the import's row limit) of each ledger
the service exports, written by the export's own writer, with the seeded plan's texts and filled-in
figures. Its figures set the default of GAOXIN_IMPORT_MAX_UNPACKED_BYTES (docs/SECURITY.md).

    .venv/bin/python -m tools.bench.ledger_size [--rows 100000] [--import]

With --import it also times the import of the 100,000-row enterprise ledger (new enterprises, the
heaviest rows to write) through the API, in-process on a fresh SQLite database: reading and writing.
"""

from __future__ import annotations

import argparse
import io
import itertools
import time
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml

from domain.cultivation.credit_code import check_character
from domain.integration import ledgers
from domain.integration.handlers.exports import table
from domain.integration.ledgers.specs import ENTERPRISES, METRICS, TASKS
from infrastructure.excel.writer import write_workbook

PLAN = Path(__file__).resolve().parent.parent / "infrastructure" / "seed" / "data" / "plan.yaml"
DEPARTMENTS = ["科技创新局", "经济发展局", "招商服务局", "财政金融局", "自然资源局", "营商环境建设局"]
REPORT = (
    "本月按计划推进各项重点工作,完成项目前期手续办理和现场踏勘,组织相关企业召开对接会两次,形成阶段性成果报告。",
    "受原材料价格波动和审批周期影响,部分子项进度略有滞后,需协调相关部门加快办理。",
    "下月将加快推进设备采购和安装调试,确保按期完成年度目标任务,并做好资金拨付和绩效评价。",
)


def _plan_tasks() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(nodes) -> None:
        for node in nodes or []:
            found.append((node["title"], node.get("description") or ""))
            walk(node.get("children"))

    walk(yaml.safe_load(PLAN.read_text(encoding="utf-8"))["tasks"])
    return found


def _code(n: int) -> str:
    first17 = f"91210300MA0U{n:05d}"
    return first17 + check_character(first17)


def tasks(rows: int):
    texts = itertools.cycle(_plan_tasks())
    for n in range(rows):
        title, description = next(texts)
        yield {
            "code": f"{n // 1000 + 1}.{n // 100 % 10 + 1}.{n % 100 + 1}",
            "title": title,
            "description": description,
            "parent_code": f"{n // 1000 + 1}.{n // 100 % 10 + 1}",
            "lead_department": DEPARTMENTS[n % 6],
            "co_departments": [DEPARTMENTS[(n + 1) % 6], DEPARTMENTS[(n + 2) % 6]],
            "start_date": date(2021, 1, 1) + timedelta(days=n % 700),
            "due_date": date(2025, 12, 31),
            "weight": Decimal(1 + n % 3),
            "indicator_codes": [str(1 + n % 24), str(1 + (n + 5) % 24)],
            "status": "in_progress",
            "progress": Decimal("45.50"),
            "warning": "yellow",
            "overdue": n % 7 == 0,
            "escalation": "reminded",
            "urge_count": n % 4,
            "original_due_date": date(2025, 6, 30),
            "report_period": "2025-06",
            "report_percent": Decimal("45.5"),
            "report_summary": REPORT[0],
            "report_problems": REPORT[1],
            "report_next_steps": REPORT[2],
            "report_filed_by": f"dept_user_{n % 50}",
            "extensions": "2025-05-20 申请延至 2025-12-31(待审批):受审批周期影响,申请延期半年。"
            if n % 10 == 0
            else None,
            "id": f"{n:032x}",
        }


def metrics(rows: int):
    for n in range(rows):
        figures = {c.field: Decimal(123456 + n) / 100 for c in METRICS.columns if c.type.value == "decimal"}
        counts = {c.field: 10 + n % 90 for c in METRICS.columns if c.type.value == "int"}
        flags = {c.field: n % 2 == 0 for c in METRICS.columns if c.type.value == "bool"}
        named = {"name": f"鞍山高新区示范科技有限公司{n:06d}", "credit_code": _code(n)}
        yield {**figures, **counts, **flags, **named, "year": 2021 + n % 5}


def enterprises(rows: int):
    for n in range(rows):
        yield {
            "name": f"鞍山高新区示范科技有限公司{n:06d}",
            "credit_code": _code(n),
            "registered_on": date(2015, 1, 1) + timedelta(days=n % 3000),
            "cluster": "高新科创城",
            "listed": n % 50 == 0,
            "stock_code": "600000" if n % 50 == 0 else None,
            "listed_on": date(2020, 1, 1) if n % 50 == 0 else None,
            "status": "active",
            "aliases": [f"示范科技{n:06d}"],
            "tier": "tech_sme",
        }


def measure(name: str, spec, records) -> dict:
    began = time.perf_counter()
    content = write_workbook([table(spec.title, spec.columns, records, language="zh")])
    seconds = time.perf_counter() - began
    archive = zipfile.ZipFile(io.BytesIO(content))
    parts = {info.filename: info.file_size for info in archive.infolist()}
    return {
        "ledger": name,
        "columns": len(spec.columns),
        "file MiB": round(len(content) / 2**20, 1),
        "unpacked MiB": round(sum(parts.values()) / 2**20, 1),
        "largest part": max(parts, key=parts.get),
        "written in s": round(seconds, 1),
    }


async def time_import(rows: int) -> float:
    """Seconds for POST /imports/enterprises of `rows` new enterprises (a fresh database under /tmp)."""
    import tempfile

    from infrastructure.db.migrate import upgrade_async
    from infrastructure.settings import Settings
    from tools.bench.inprocess import signed_in

    content = write_workbook(
        [table(ENTERPRISES.title, ENTERPRISES.columns, enterprises(rows), language="zh")]
    )
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/import.db"
        await upgrade_async(url)
        async with signed_in(Settings(database_url=url), "bench-officer", ["officer"]) as (_app, client):
            began = time.perf_counter()
            files = {"file": ("ledger.xlsx", content, "application/octet-stream")}
            response = await client.post("/api/v1/imports/enterprises", files=files)
            seconds = time.perf_counter() - began
        assert response.status_code == 200, response.text[:500]
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=ledgers.MAX_ROWS)
    parser.add_argument("--import", dest="imports", action="store_true", help="also time the import")
    arguments = parser.parse_args()
    rows = arguments.rows
    results = [
        measure("tasks (督办台账)", TASKS, tasks(rows)),
        measure("metrics (年度经营数据)", METRICS, metrics(rows)),
        measure("enterprises (企业名录)", ENTERPRISES, enterprises(rows)),
    ]
    print(f"{rows} rows each")
    print(" | ".join(results[0]))
    for result in results:
        print(" | ".join(str(v) for v in result.values()))
    if arguments.imports:
        import asyncio

        print(f"import of {rows} new enterprises: {asyncio.run(time_import(rows)):.1f} s")


if __name__ == "__main__":
    main()
