"""The park-brain dashboard (园区大脑驾驶舱): one answer with the state of the whole plan on one day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.chains.handlers.views import ChainStats, chain_stats
from domain.cultivation.handlers.registry import tier_statistics
from domain.integration.ports import ParkUnitOfWork
from domain.planning.evaluation import Evaluation
from domain.planning.handlers.plans import evaluate_plan
from domain.planning.plan import Plan


@dataclass(frozen=True)
class Dashboard:
    """What the screen shows on `as_of`: the plan's tasks and indicators, the tier pyramid, the chains."""

    as_of: date
    plan: Plan | None
    year: int | None
    evaluation: Evaluation | None
    tiers: dict[str, Any]
    chains: list[ChainStats]
    pipeline: dict[str, int]

    @property
    def escalations(self) -> dict[str, int]:
        """How many tasks stand at each escalation on `as_of` (every task of the plan, as its tree shows)."""
        return dict(self.evaluation.counts["escalation"]) if self.evaluation else {}


def plan_year(plan: Plan, on: date) -> int:
    """The year of `on`, held within the plan's years (after 2025 the 2021–2025 plan shows its last year)."""
    return min(max(on.year, plan.start_year), plan.end_year)


async def dashboard(*, on: date, today: date, uow: ParkUnitOfWork) -> Dashboard:
    """Gather the dashboard for the day `on`, every part on that day: the tasks as they stood (lights,
    counts, escalations, key tasks from one tree), the indicators of its year, the pyramid, and the targets
    that entered each stage in its year up to that day. Chains' coverage is today's: links keep no dates."""
    plan = await uow.dashboard.current_plan(on.year)
    evaluation, year = None, None
    if plan is not None:
        year = plan_year(plan, on)
        evaluation = await evaluate_plan(plan.id, year, today=today, on=on, uow=uow)
    chains = await chain_stats(await uow.dashboard.all_chains(), year=on.year, until=on, uow=uow)
    pipeline: Counter[str] = Counter()
    for stats in chains:
        pipeline.update(stats.entered)
    tiers = await tier_statistics(on, today=today, uow=uow)
    return Dashboard(on, plan, year, evaluation, tiers, chains, dict(pipeline))
