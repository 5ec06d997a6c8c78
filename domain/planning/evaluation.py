"""Evaluation (评估) of a plan year — the mid-term evaluation (中期评估) is 2023's — as of a date."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from domain.planning.assessment import Assessment, assess
from domain.planning.indicators import Indicator, Observation
from domain.planning.plan import Plan
from domain.planning.progress import TaskNode, TaskTree
from domain.planning.supervision import (
    Divergence,
    Escalation,
    WarningLight,
    divergences,
)
from domain.planning.tasks import TaskStatus


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """An indicator beside its assessment for the year evaluated."""

    indicator: Indicator
    assessment: Assessment


@dataclass(frozen=True, slots=True)
class Evaluation:
    """规划评估: indicators, key tasks, counts of lights and statuses over all tasks, divergences."""

    year: int
    as_of: date
    indicators: list[IndicatorResult]
    tasks: list[TaskNode]  # the key tasks (roots of the tree), each with progress, warning, escalation
    # {"warning": {"red", "yellow", "green", "done"}, "status": {...}, "escalation": {...}}
    counts: dict[str, dict[str, int]]
    divergences: list[Divergence]


def as_of(year: int, today: date) -> date:
    """D = min(today, 31 December of Y)."""
    return min(today, date(year, 12, 31))


def evaluate(
    plan: Plan,
    year: int,
    *,
    on: date,
    tree: TaskTree,
    indicators: Iterable[Indicator],
    observations: Iterable[Observation],
    registry_counts: Mapping[int, int] | None = None,
    registry_not_counted: Mapping[int, int] | None = None,
) -> Evaluation:
    """Evaluate `year` of `plan` on the day `on` — `as_of(year, today)` for the year's evaluation, the
    dashboard's day for the dashboard — from the plan's tree on that day (progress.build_tree of the tasks and
    reports as they stood, history.task_as_of and history.counts_on; or a closed year's tree kept by the
    process, year_ends.YearEndTrees: the tree is only read) and the observations ≤ Y.

    `registry_counts` maps live indicator codes (8–11) to the registry's count (see `ports.live_counts`),
    `registry_not_counted` to what it leaves out (11: listed enterprises without a known listing date).
    Counts run over all tasks of the plan, each task counted under the light the tree shows for it.
    """
    plan.check_year(year)
    by_indicator: dict[str, list[Observation]] = {}
    for observation in observations:
        by_indicator.setdefault(observation.indicator_id, []).append(observation)
    registry, not_counted = registry_counts or {}, registry_not_counted or {}
    results = [
        IndicatorResult(
            indicator,
            assess(
                indicator,
                by_indicator.get(indicator.id, ()),
                year,
                plan=plan,
                registry_value=registry.get(indicator.code),
                registry_not_counted=not_counted.get(indicator.code),
            ),
        )
        for indicator in sorted(indicators, key=lambda i: i.code)
    ]
    # Counted by member (a str enum: its value finds it too), not by `.value`, a property read per node.
    warning = Counter(node.warning for node in tree)
    status = Counter(node.task.status for node in tree)
    escalations = Counter(node.escalation for node in tree)
    return Evaluation(
        year=year,
        as_of=on,
        indicators=results,
        tasks=tree.roots,
        counts={
            "warning": {light.value: warning[light] for light in WarningLight},
            "status": {state.value: status[state] for state in TaskStatus},
            "escalation": {level.value: escalations[level] for level in Escalation},
        },
        divergences=divergences(
            ((node.task, node.progress) for node in tree),
            {r.indicator.id: r.assessment.status for r in results},
        ),
    )
