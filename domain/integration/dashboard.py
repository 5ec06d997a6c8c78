"""The park-brain dashboard (园区大脑驾驶舱): one answer with the state of the whole plan."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.chains.handlers.views import ChainStats, chain_stats
from domain.cultivation.handlers.registry import tier_statistics
from domain.planning.evaluation import Evaluation
from domain.planning.handlers.plans import evaluate_plan, plan_tree
from domain.planning.plan import Plan


@dataclass(frozen=True)
class Dashboard:
    """What the screen shows: the plan's tasks and indicators, the tier pyramid, the chains."""

    plan: Plan | None
    year: int | None
    evaluation: Evaluation | None
    escalations: dict[str, int]
    tiers: dict[str, Any]
    chains: list[ChainStats]
    pipeline: dict[str, int]


def plan_year(plan: Plan, today: date) -> int:
    """This year, held within the plan's years (after 2025 the 2021–2025 plan shows its last year)."""
    return min(max(today.year, plan.start_year), plan.end_year)


async def dashboard(*, today: date, uow) -> Dashboard:
    """Gather the dashboard for `today`: the current plan's evaluation, escalations, tiers, chains."""
    plan = await uow.dashboard.current_plan(today.year)
    evaluation, escalations, year = None, {}, None
    if plan is not None:
        year = plan_year(plan, today)
        evaluation = await evaluate_plan(plan.id, year, today=today, uow=uow)
        _, tree = await plan_tree(plan.id, on=today, uow=uow)
        escalations = dict(Counter(str(node.escalation) for node in tree.nodes.values()))
    chains = await chain_stats(await uow.dashboard.all_chains(), year=today.year, uow=uow)
    pipeline = Counter()
    for stats in chains:
        pipeline.update(stats.entered)
    return Dashboard(
        plan,
        year,
        evaluation,
        escalations,
        await tier_statistics(today, today=today, uow=uow),
        chains,
        dict(pipeline),
    )
