"""The evaluation report of the 5,000-task benchmark plan, timed: the renderer alone, from its JSON body.

    .venv/bin/python -m tools.bench.report                # 5 runs; the figures of docs/REPORTS.md
    .venv/bin/python -m tools.bench.report --runs 1 --out var/bench/report.docx

`stress_body()` is the final evaluation (2025) of a plan of tools/bench/generate.py's stress scale — 10 key
tasks › 100 sections › 4,890 work items, 40 departments, 300 extensions, 50 chains, 50,000 enterprises — in
the shape GET /plans/{id}/evaluation answers, drawn from a fixed seed. Thousands of its tasks are behind
schedule, so the document's largest table has thousands of rows. Not part of `make test` or `make bench`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from infrastructure.seed.planning import load as load_plan

STATUSES = ("not_started", "in_progress", "suspended", "completed", "cancelled")
WEIGHTS = (5, 70, 5, 15, 5)  # tools/bench/generate.py's work items after five years
ESCALATIONS = ("none", "reminded", "urged", "notified", "interviewed")
STAGES = ("lead", "negotiating", "signed", "under_construction", "in_production", "dropped")
TIERS = ("none", "tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform")
DEPARTMENTS = [(f"dept-{n:03d}", f"基准部门{n:03d}") for n in range(1, 41)]


def _task(rng: random.Random, code: str, level: str) -> dict[str, Any]:
    status = rng.choices(STATUSES, weights=WEIGHTS)[0]
    warning = "done" if status in ("completed", "cancelled") else rng.choice(("red", "yellow", "green"))
    department = rng.choice(DEPARTMENTS) if rng.random() > 0.02 else (None, None)
    return {
        "id": f"{rng.getrandbits(128):032x}",
        "code": code,
        "title": f"基准{level}{code}：推进重点项目建设与产业培育工作",
        "progress": 100.0 if status == "completed" else round(rng.uniform(0, 99), 2),
        "warning": warning,
        "status": status,
        "escalation": "none" if warning in ("green", "done") else rng.choice(ESCALATIONS),
        "overdue": warning == "red" and rng.random() < 0.5,
        "due_date": f"{rng.choice((2024, 2025, 2026))}-{rng.randint(1, 12):02d}-28",
        "lead_department_id": department[0],
        "lead_department_name": department[1],
    }


def _indicators(rng: random.Random) -> list[dict[str, Any]]:
    found = []
    for row in load_plan()["indicators"]:
        target = float(row["target_value"])
        base = float(row["baseline_value"]) if row["baseline_value"] else target * 0.6
        values = [
            round(base + (target - base) * (y - 2020) / 5 * rng.uniform(0.8, 1.1), 2)
            for y in range(2021, 2026)
        ]
        found.append(
            {
                **{k: row[k] for k in ("code", "area", "name", "unit", "nature", "direction", "note")},
                "indicator_id": f"ind-{row['code']}",
                "baseline_year": 2020,
                "baseline_value": row["baseline_value"],
                "target_year": 2025,
                "target_value": row["target_value"],
                "year": 2025,
                "expected_value": row["target_value"],
                "actual_value": str(values[-1]),
                "completion_ratio": round(rng.uniform(0.6, 1.2), 4),
                "status": rng.choice(("on_track", "at_risk", "off_track")),
                "projected_value": str(round(values[-1] * 1.01, 4)),
                "required_annual_growth": None,
                "registry_value": rng.randint(100, 300) if row["code"] in (8, 9, 10, 11) else None,
                "observations": [
                    {"year": y, "value": str(v)} for y, v in zip(range(2021, 2026), values, strict=True)
                ],
            }
        )
    return found


def stress_body(seed: int = 20211231) -> dict[str, Any]:
    """The benchmark plan's final evaluation, as the endpoint's JSON would parse."""
    rng = random.Random(f"{seed}:report")
    every, roots = [], []
    for r in range(1, 11):
        root = _task(rng, str(r), "重点任务") | {"sections": []}
        roots.append(root)
        every.append(root)
        for s in range(1, 11):
            section = _task(rng, f"{r}.{s}", "分项任务")
            root["sections"].append(section)
            every.append(section)
    every += [_task(rng, f"{1 + n % 10}.{1 + n // 10 % 10}.{n // 100 + 1}", "具体工作") for n in range(4890)]
    groups: dict[str | None, dict[str, Any]] = {}
    for task in every:
        if task["warning"] in ("red", "yellow"):
            group = groups.setdefault(
                task["lead_department_id"],
                {k: task[k] for k in ("lead_department_id", "lead_department_name")} | {"tasks": []},
            )
            group["tasks"].append(
                {k: task[k] for k in ("id", "code", "title", "progress", "warning", "status")}
            )
            group["tasks"][-1] |= {"escalation": task["escalation"], "due_date": task["due_date"]}
    indicators = _indicators(rng)
    body = {
        "plan": {"id": "bench-plan", "title": "基准测试规划(bench)", "start_year": 2021, "end_year": 2025}
        | {"issuer": "基准测试", "issued": "2021-12"},
        "year": 2025,
        "kind": "final",
        "as_of": "2025-12-31",
        "indicators": indicators,
        "tasks": roots,
        "counts": {
            "warning": {w: sum(t["warning"] == w for t in every) for w in ("red", "yellow", "green", "done")},
            "status": {s: sum(t["status"] == s for t in every) for s in STATUSES},
            "escalation": {e: sum(t["escalation"] == e for t in every) for e in ESCALATIONS},
        },
        "behind_schedule": sorted(groups.values(), key=lambda g: g["lead_department_name"] or "\uffff"),
        "extensions": [
            {
                "task_id": task["id"],
                "code": task["code"],
                "title": task["title"],
                "request_id": f"ext-{n}",
                "previous_due_date": "2025-06-30",
                "new_due_date": "2025-12-31",
                "decided_on": "2025-05-20",
                "note": "因项目审批顺延" if n % 3 else None,
            }
            for n, task in enumerate(rng.sample(every, 300))
        ],
        "cultivation": {
            "on": "2025-12-31",
            "by_tier": dict(zip(TIERS, (41_350, 5_120, 2_730, 520, 230, 20, 30), strict=True)),
            "targets": [
                {"code": i["code"], "name": i["name"], "unit": i["unit"], "target": i["target_value"]}
                | {"registry": i["registry_value"], "reported": i["actual_value"]}
                for i in indicators
                if i["code"] in (8, 9, 10, 11)
            ],
        },
        "chains": {
            "taken_on": "2026-12-06",
            "items": [
                {"chain_id": f"chain-{n}", "name": f"基准产业链{n:02d}", "group": "基准", "coverage": c / 10}
                | {"gaps": [f"环节{g}" for g in range(1, 11 - c)]}
                for n in range(1, 51)
                for c in [rng.randint(3, 10)]
            ],
            "pipeline": {
                "by_stage": {s: rng.randint(100, 1500) for s in STAGES},
                "by_year": [
                    {"year": y, "entered": {s: rng.randint(50, 400) for s in STAGES}}
                    for y in range(2021, 2026)
                ],
            },
        },
        "divergences": [
            {
                "task_id": t["id"],
                "indicator_id": "ind-8",
                "task_code": t["code"],
                "task_title": t["title"],
                "indicator_code": 8,
                "indicator_name": "高新技术企业数量",
                "progress": t["progress"],
                "status": "off_track",
            }
            for t in every[:200]
            if t["progress"] >= 80 and t["status"] != "completed"
        ],
    }
    return json.loads(json.dumps(body, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="write the last document there")
    args = parser.parse_args()
    from openpyxl import Workbook

    from infrastructure.reports.document import evaluation_document
    from infrastructure.reports.workbook import add_evaluation_charts

    body = stress_body()
    behind = sum(len(g["tasks"]) for g in body["behind_schedule"])
    size = len(json.dumps(body, ensure_ascii=False).encode())
    print(f"body: {size:,} bytes of JSON, {behind:,} tasks behind schedule")
    walls, cpus, workbooks = [], [], []
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        document = evaluation_document(body, generated_on=date(2026, 12, 6))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        wall = time.perf_counter()
        workbook = Workbook(write_only=True)
        add_evaluation_charts(workbook, body)
        workbook.save(BytesIO())
        workbooks.append(time.perf_counter() - wall)
    # The first run also loads the font and matplotlib's caches, as a server's first report does.
    print(f"document: {len(document):,} bytes; seconds per run: " + ", ".join(f"{t:.2f}" for t in walls))
    print(
        f"document: first {walls[0]:.2f} s, median {statistics.median(walls):.2f} s, worst {max(walls):.2f} s"
    )
    print(
        f"document: CPU seconds, median {statistics.median(cpus):.2f} s (the machine's other load excluded)"
    )
    print(f"workbook charts (added and saved): median {statistics.median(workbooks):.3f} s")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(document)


if __name__ == "__main__":
    main()
