"""The goals `make bench` judges, as data: each issue's table in one place, and the verdict on a run.

A goal names a scenario, what is read from its levels (`measure`), a limit, and where it applies (backend,
worker count, concurrency). `verdicts(results)` turns a run's results.json into rows: met or MISSED and by
what factor of the limit. "CPU" is what the issue's figures measured: the serving processes and our
PostgreSQL backends together, per request (`cpu_ms`); `server_cpu_ms` is the serving processes alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tools.bench.scenarios import IMPORT_ROWS

POSTGRESQL, SQLITE = ("postgresql",), ("sqlite",)
BOTH = ("sqlite", "postgresql")


# Figures read from the configuration (GET one ÷ the ceiling) or the backend (`gaoxin verify`), not a level.
NOT_SCENARIOS = ("ceiling_ratio", "ceiling_cpu_ratio", "verify")


@dataclass(frozen=True)
class Goal:
    issue: int
    text: str
    scenario: str  # a scenario key, or one of NOT_SCENARIOS
    measure: str  # p95_ms | max_s | cpu_ms | server_cpu_ms | rss_mb | ratio | exit_code
    limit: float
    backends: tuple[str, ...] = BOTH
    workers: int | None = 1  # None: every configuration
    concurrency: int | None = 1  # None: every level
    higher_is_better: bool = False
    required: bool = False  # the issue's "required whatever else"


GOALS: list[Goal] = [
    # issue 18: the hot path and the read model (its table, then "Done when")
    Goal(18, "GET one, CPU per request ≤ 1.0 ms", "get_enterprise", "cpu_ms", 1.0, POSTGRESQL,
         concurrency=None, required=True),
    Goal(18, "GET one at 16 clients ≥ 0.35 × ceiling (throughput)", "ceiling_ratio", "ratio", 0.35,
         POSTGRESQL, higher_is_better=True, concurrency=16),
    Goal(18, "GET one at 16 clients ≥ 0.2 × ceiling (throughput)", "ceiling_ratio", "ratio", 0.2, SQLITE,
         higher_is_better=True, concurrency=16),
    Goal(18, "tasks page status=in_progress p95 ≤ 25 ms", "list_tasks_in_progress", "p95_ms", 25,
         required=True),
    Goal(18, "tasks page status=in_progress CPU ≤ 5 ms", "list_tasks_in_progress", "cpu_ms", 5),
    Goal(18, "plan tree p95 ≤ 60 ms", "plan_tree", "p95_ms", 60),
    Goal(18, "plan tree at 4 clients on 2 workers p95 ≤ 200 ms", "plan_tree", "p95_ms", 200, workers=2,
         concurrency=4),
    Goal(18, "final evaluation p95 ≤ 100 ms", "plan_evaluation", "p95_ms", 100),
    Goal(18, "final evaluation p95 ≤ 200 ms", "plan_evaluation", "p95_ms", 200, required=True),
    Goal(18, "enterprises page CPU ≤ 2 ms", "list_enterprises", "cpu_ms", 2),
    Goal(18, "gaoxin verify after the whole workload exits 0", "verify", "exit_code", 0, workers=None,
         required=True),
    # issue 19: the Word report
    Goal(19, "evaluation report (.docx) < 5 s", "evaluation_docx", "max_s", 5),
    # issue 8: the first benchmark's goals, still held
    Goal(8, "GET one at 16 clients ≥ 0.5 × ceiling (throughput)", "ceiling_ratio", "ratio", 0.5,
         higher_is_better=True, workers=None, concurrency=16),
    Goal(8, "GET one at 16 clients ≥ 0.5 × ceiling (requests per CPU second, + pg)", "ceiling_cpu_ratio",
         "ratio", 0.5, higher_is_better=True, workers=None, concurrency=16),
    Goal(8, "list page of 50 p95 ≤ 25 ms", "list_enterprises", "p95_ms", 25, workers=None, concurrency=None),
    Goal(8, "list page of 50 p95 ≤ 25 ms", "list_tasks", "p95_ms", 25, workers=None, concurrency=None),
    Goal(8, "plan tree p95 ≤ 200 ms", "plan_tree", "p95_ms", 200, workers=None, concurrency=None),
    Goal(8, "screening ≤ 3 s (slowest rule set)", "screening", "max_s", 3),
    Goal(8, "10,000-row import ≤ 10 s", "import_enterprises", "max_s", 10, workers=None),
    Goal(8, "worker peak RSS ≤ 300 MB (screening)", "screening", "rss_mb", 300),
    Goal(8, "worker peak RSS ≤ 300 MB (import)", "import_enterprises", "rss_mb", 300, workers=None),
    Goal(8, "worker peak RSS ≤ 300 MB (export)", "export_enterprises", "rss_mb", 300, workers=None),
]  # fmt: skip


UNITS = {"cpu_ms": "ms CPU", "server_cpu_ms": "ms CPU", "p95_ms": "ms", "max_s": "s", "rss_mb": "MB"}


def cpu_ms(level: dict, *, with_database: bool = True) -> float | None:
    """CPU milliseconds a request: the serving processes, and (`with_database`) our PostgreSQL backends."""
    cpu, n = level.get("cpu") or {}, level.get("requests")
    if not n or cpu.get("server_cores") is None or not cpu.get("wall_s"):
        return None
    cores = cpu["server_cores"] + ((cpu.get("postgres_cores") or 0) if with_database else 0)
    return round(cores * cpu["wall_s"] / n * 1000, 3)


def read(level: dict, measure: str) -> float | None:
    """The figure `measure` of one measured level."""
    if measure == "cpu_ms":
        return cpu_ms(level)
    if measure == "server_cpu_ms":
        return cpu_ms(level, with_database=False)
    if measure == "p95_ms":
        return level.get("p95_ms")
    if measure == "max_s":
        return None if level.get("max_ms") is None else round(level["max_ms"] / 1000, 3)
    if measure == "rss_mb":  # MB of 10⁶ bytes, the stricter reading
        rss = level.get("rss")
        return round(max(rss["vmhwm_mib"], rss["sampled_max_rss_mib"]) * 1.048576, 1) if rss else None
    raise ValueError(f"unknown measure {measure!r}")


def verdict(goal: Goal, value: float | None) -> str:
    if value is None:
        return "not measured"
    if goal.measure == "exit_code":
        return "met" if value == goal.limit else f"MISSED (exit {value:g})"
    met = value >= goal.limit if goal.higher_is_better else value <= goal.limit
    factor = value / goal.limit if goal.limit else 0.0
    # Missed by: how many times too slow, or (higher is better) how many times too few.
    by = (goal.limit / value if value else float("inf")) if goal.higher_is_better else factor
    return f"met ({factor:.2f} × goal)" if met else f"MISSED by {by:.2f}× ({factor:.2f} × goal)"


def _figures(goal: Goal, backend: dict, config: dict) -> Iterator[tuple[str, float | None]]:
    """(what was measured, figure) for every level of the run the goal applies to."""
    if goal.scenario == "verify":
        run = backend.get("verify") or {}
        if "exit_code" in run:
            yield f"exit {run['exit_code']} in {run.get('seconds')} s", run["exit_code"]
        else:
            yield run.get("skipped", "not run"), None
        return
    if goal.scenario in ("ceiling_ratio", "ceiling_cpu_ratio"):  # ours ÷ the ceiling, each round
        key = "get_one_ratio" if goal.scenario == "ceiling_ratio" else "get_one_cpu_ratio"
        scenarios = config.get("scenarios", {})
        wrong = sum(
            unexpected(level)
            for name in ("get_enterprise", "get_enterprise_again")
            for level in scenarios.get(name, {}).get("levels", [])
        )
        for n, ratio in enumerate(config.get(key, []), 1):
            if wrong:  # a rate of wrong answers is no throughput
                yield f"round {n}: GET one gave {wrong} unexpected answers: see the log", None
            else:
                yield f"round {n}: {ratio}", ratio
        return
    run = config.get("scenarios", {}).get(goal.scenario, {})
    if "skipped" in run:
        yield run["skipped"], None
        return
    for level in run.get("levels", []):
        if "skipped" in level or (goal.concurrency and level.get("concurrency") != goal.concurrency):
            continue
        if goal.scenario == "screening" and goal.measure == "max_s":
            for row in level.get("by_request", []):  # each rule set on its own
                yield f"{row['label']}: {row['max_ms'] / 1000:.2f} s", round(row["max_ms"] / 1000, 3)
            continue
        if wrong := unexpected(level):  # a figure of failing requests says nothing of the goal
            yield f"c={level.get('concurrency')}: {wrong} unexpected answers: see the log", None
            continue
        value = read(level, goal.measure)
        if goal.scenario == "import_enterprises" and goal.measure == "max_s":
            created = (_json_or_none(level.get("first_body")) or {}).get("created")
            if created != IMPORT_ROWS:  # a refused or partial import is no figure for the goal
                yield f"not a full import ({created} created): see the log", None
                continue
        yield f"c={level.get('concurrency')}: {value} {UNITS[goal.measure]}", value


def unexpected(level: dict) -> int:
    """How many requests of a level got an answer the scenario does not expect, or none at all."""
    answered = level.get("requests", 0)
    return answered - level.get("ok", answered) + sum(level.get("errors", {}).values())


def _json_or_none(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every goal against every configuration it applies to, in the order of GOALS."""
    rows = []
    for goal in GOALS:
        for backend in results.get("backends", []):
            if backend["backend"] not in goal.backends:
                continue
            configs = backend.get("configs", [])
            if goal.scenario == "verify":
                configs = configs[-1:]  # once per backend, after every configuration's workload
            for config in configs:
                if goal.workers is not None and config.get("workers") != goal.workers:
                    continue
                figures = list(_figures(goal, backend, config)) or [("not measured", None)]
                for figure, value in figures:
                    rows.append(
                        {
                            "issue": goal.issue,
                            "goal": goal.text + (" (required)" if goal.required else ""),
                            "config": backend["backend"] if goal.scenario == "verify" else config["label"],
                            "figure": figure,
                            "verdict": verdict(goal, value),
                        }
                    )
    return rows


def markdown(results: dict[str, Any]) -> str:
    lines = ["| issue | goal | config | figure | verdict |", "|---|---|---|---|---|"]
    for row in verdicts(results):
        cells = (row["issue"], row["goal"], row["config"], row["figure"], row["verdict"])
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"
