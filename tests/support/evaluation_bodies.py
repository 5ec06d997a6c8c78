"""Evaluation bodies of the grown shape (GET /plans/{id}/evaluation?year=Y) for the report's tests.

`seeded_final()` is the seeded plan's final evaluation (2025): its 24 indicators and seven key tasks from
infrastructure/seed/data/plan.yaml, the chains of chains.yaml, the sample's departments, and figures drawn
from a fixed seed. The 5,000-task body of the benchmark plan is tools.bench.report.stress_body().
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import yaml

from infrastructure.sample.people import DEPARTMENTS
from infrastructure.seed import DATA
from infrastructure.seed.planning import load as load_plan

STATUSES = ("not_started", "in_progress", "suspended", "completed", "cancelled")
LIGHTS = ("red", "yellow", "green", "done")
ESCALATIONS = ("none", "reminded", "urged", "notified", "interviewed")
STAGES = ("lead", "negotiating", "signed", "under_construction", "in_production", "dropped")
TIERS = ("none", "tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform")
LIVE = (8, 9, 10, 11)


def decimal_text(value: Decimal) -> str:
    """As the API prints a decimal: digits, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text


def indicator(row: dict[str, Any], rng: random.Random, year: int) -> dict[str, Any]:
    """An indicator of Table 1 with observed values 2021..year and its assessment for `year`."""
    baseline = Decimal(row["baseline_value"]) if row["baseline_value"] is not None else None
    target = Decimal(row["target_value"]) if row["target_value"] is not None else None
    start = baseline if baseline is not None else (target or Decimal(1)) * Decimal("0.6")
    observations = []
    if row["code"] != 16:  # 新型研发机构数量: nothing observed yet, the assessment says no_data
        first = 2023 if baseline is None else 2021
        for observed in range(first, year + 1):
            step = (target - start) / 5 if target is not None else start / 10
            value = start + step * (observed - 2020) * Decimal(str(rng.uniform(0.7, 1.1)))
            places = Decimal("1") if row["unit"] in ("个", "家", "件") else Decimal("0.01")
            observations.append({"year": observed, "value": decimal_text(value.quantize(places))})
    actual = Decimal(observations[-1]["value"]) if observations else None
    expected = target if year == 2025 else None
    ratio = None
    if actual is not None and target is not None and baseline is not None and target != baseline:
        ratio = round(float((actual - baseline) / (target - baseline)), 4)
    status = (
        "no_data"
        if ratio is None
        else "on_track"
        if ratio >= 1
        else "at_risk"
        if ratio >= 0.8
        else "off_track"
    )
    return {
        "indicator_id": f"ind-{row['code']:02d}",
        "code": row["code"],
        "area": row["area"],
        "name": row["name"],
        "unit": row["unit"],
        "nature": row["nature"],
        "direction": row["direction"],
        "baseline_year": 2020,
        "baseline_value": row["baseline_value"],
        "target_year": 2025,
        "target_value": row["target_value"],
        "note": row["note"],
        "year": year,
        "expected_value": None if expected is None else decimal_text(expected),
        "actual_value": None if actual is None else decimal_text(actual),
        "completion_ratio": ratio,
        "status": status,
        "projected_value": None
        if actual is None
        else decimal_text((actual * Decimal("1.0")).quantize(Decimal("0.1"))),
        "required_annual_growth": None,
        "registry_value": 150 + row["code"] if row["code"] in LIVE else None,
        "observations": observations,
    }


def task(node: dict[str, Any], rng: random.Random, leads: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """A task of the seeded tree as the evaluation shows it, its children (the sections) one level down."""
    chapter = node["code"].split(".")[0]
    lead_id, lead_name = leads.get(chapter, (None, None))
    status = rng.choices(STATUSES, weights=(1, 12, 1, 4, 1))[0]
    progress = 100.0 if status == "completed" else round(rng.uniform(5, 95), 2)
    warning = (
        "done" if status in ("completed", "cancelled") else rng.choice(("red", "yellow", "green", "green"))
    )
    return {
        "id": f"task-{node['code']}",
        "code": node["code"],
        "title": node["title"],
        "progress": progress,
        "warning": warning,
        "status": status,
        "escalation": "none" if warning in ("green", "done") else rng.choice(ESCALATIONS),
        "overdue": warning == "red",
        "due_date": "2025-12-31",
        "lead_department_id": lead_id,
        "lead_department_name": lead_name,
    }


def seeded_final(year: int = 2025) -> dict[str, Any]:
    """The seeded plan's evaluation of `year` (final for 2025), as the endpoint's JSON would parse."""
    rng = random.Random(20251231)
    seed = load_plan()
    leads = {
        chapter: (f"dept-{code}", name) for code, name, chapters, _ in DEPARTMENTS for chapter in chapters
    }
    indicators = [indicator(row, rng, year) for row in seed["indicators"]]
    every, key_tasks = [], []
    for root in seed["tasks"]:
        body = task(root, rng, leads)
        every.append(body)
        body["sections"] = []
        for child in root.get("children") or []:
            section = task(child, rng, leads)
            body["sections"].append(section)
            every.append(section)
            every.extend(task(leaf, rng, leads) for leaf in child.get("children") or [])
        key_tasks.append(body)
    every[-1] |= {"lead_department_id": None, "lead_department_name": None, "warning": "red"}
    behind: dict[str | None, dict[str, Any]] = {}
    for t in every:
        if t["warning"] in ("red", "yellow"):
            group = behind.setdefault(
                t["lead_department_id"],
                {
                    "lead_department_id": t["lead_department_id"],
                    "lead_department_name": t["lead_department_name"],
                }
                | {"tasks": []},
            )
            group["tasks"].append(
                {k: t[k] for k in ("id", "code", "title", "progress", "warning", "status")}
                | {"escalation": t["escalation"], "due_date": t["due_date"]}
            )
    counts = {
        "warning": {light: sum(t["warning"] == light for t in every) for light in LIGHTS},
        "status": {status: sum(t["status"] == status for t in every) for status in STATUSES},
        "escalation": {e: sum(t["escalation"] == e for t in every) for e in ESCALATIONS},
    }
    by_code = {i["code"]: i for i in indicators}
    body = {
        "plan": {"id": "plan-2021", **seed["plan"]},
        "year": year,
        "kind": {2025: "final", 2023: "mid_term"}.get(year, "annual"),
        "as_of": f"{year}-12-31",
        "indicators": indicators,
        "tasks": key_tasks,
        "counts": counts,
        "behind_schedule": list(behind.values()),
        "extensions": [
            {
                "task_id": "task-6.3.1",
                "code": "6.3.1",
                "title": "发挥国有资本撬动作用",
                "request_id": "ext-1",
                "previous_due_date": "2024-12-31",
                "new_due_date": "2025-06-30",
                "decided_on": "2024-11-20",
                "note": "引导基金设立需省级审批,顺延半年",
            },
            {
                "task_id": "task-9.3.2",
                "code": "9.3.2",
                "title": "加快绿色矿山建设",
                "request_id": "ext-2",
                "previous_due_date": "2025-06-30",
                "new_due_date": "2025-12-31",
                "decided_on": "2025-05-18",
                "note": None,
            },
        ],
        "cultivation": cultivation(by_code),
        "chains": chains(rng),
        "divergences": [
            {
                "task_id": "task-5.3",
                "indicator_id": "ind-08",
                "task_code": "5.3",
                "task_title": "实施高新技术企业培育计划",
                "indicator_code": 8,
                "indicator_name": by_code[8]["name"],
                "progress": 92.5,
                "status": "off_track",
            }
        ],
    }
    return json.loads(json.dumps(body, ensure_ascii=False))


def cultivation(by_code: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return {
        "on": "2025-12-31",
        "by_tier": dict(zip(TIERS, (214, 96, 131, 38, 9, 1, 2), strict=True)),
        "targets": [
            {
                "code": code,
                "name": by_code[code]["name"],
                "unit": by_code[code]["unit"],
                "target": by_code[code]["target_value"],
                "registry": by_code[code]["registry_value"],
                "reported": by_code[code]["actual_value"],
            }
            for code in LIVE
        ],
    }


def _leaf_names(nodes: list[dict[str, Any]]) -> list[str]:
    names = []
    for node in nodes:
        names.extend(_leaf_names(node["children"]) if node.get("children") else [node["name"]])
    return names


def chains(rng: random.Random) -> dict[str, Any]:
    data = yaml.safe_load((DATA / "chains.yaml").read_text(encoding="utf-8"))
    items = []
    for chain in data["chains"]:
        leaves = _leaf_names(chain["nodes"])
        gaps = rng.sample(leaves, k=min(len(leaves), rng.randint(0, 3)))
        coverage = round((len(leaves) - len(gaps)) / len(leaves), 4)
        items.append(
            {
                "chain_id": f"chain-{chain['code']}",
                "name": chain["name"],
                "group": chain["group"],
                "coverage": coverage,
            }
            | {"gaps": gaps}
        )
    by_year = [
        {
            "year": y,
            "entered": {s: rng.randint(0, 12) if s != "dropped" else rng.randint(0, 3) for s in STAGES},
        }
        for y in range(2021, 2026)
    ]
    return {
        "taken_on": "2026-12-06",
        "items": items,
        "pipeline": {"by_stage": dict(zip(STAGES, (14, 9, 7, 5, 11, 4), strict=True)), "by_year": by_year},
    }
