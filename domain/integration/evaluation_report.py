"""评估报告: the evaluation of a plan year grown with what its report shows — the kind of evaluation, each
indicator's path, the key tasks with their sections, the tasks behind schedule by lead department, the
extensions granted, the tier pyramid against the plan's targets, the chains, and the divergences by name.

A read across contexts, as the dashboard's: planning's evaluation is the spine, cultivation's registry and
the chains add their parts. Chains keep no history of their links and stages, so their coverage, gaps and the
pipeline by stage are taken on the day the report is made (`taken_on`); only the stages targets entered each
year come from the targets' own dated history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from domain.chains.gaps import compute_gaps
from domain.chains.handlers.views import coverage_facts
from domain.chains.nodes import tree_order
from domain.cultivation.handlers.registry import tier_statistics
from domain.cultivation.stats import LIVE_INDICATORS
from domain.integration.ports import ParkUnitOfWork
from domain.planning.evaluation import Evaluation, IndicatorResult, as_of
from domain.planning.handlers.common import get_plan
from domain.planning.handlers.plans import evaluate_plan
from domain.planning.indicators import Observation
from domain.planning.plan import Plan
from domain.planning.progress import TaskNode
from domain.planning.supervision import WarningLight
from domain.shared.clock import day_of

BEHIND = (WarningLight.RED, WarningLight.YELLOW)  # 滞后: the lights of a task behind its schedule


@dataclass(frozen=True, slots=True)
class GrantedExtension:
    """An approved extension request of a task, as the reader hands it over."""

    request_id: str
    task_id: str
    new_due_date: date
    decided_at: datetime
    note: str | None


class EvaluationReportReads(Protocol):
    """What the report reads beyond the contexts' own repositories."""

    async def granted_extensions(self, plan_id: str) -> list[GrantedExtension]:
        """Every approved extension request of the plan's tasks."""
        ...

    async def department_names(self) -> dict[str, str]:
        """Each department's name by id."""
        ...


class EvaluationReportUnitOfWork(ParkUnitOfWork, Protocol):
    """What the report reads: the park's reads (the evaluation and the tier pyramid by their own contexts'
    handlers on the same unit of work) and its own two look-ups."""

    evaluation_report: EvaluationReportReads


@dataclass(frozen=True, slots=True)
class DepartmentGroup:
    """The tasks behind schedule (red or yellow) of one lead department (None: tasks without a lead)."""

    lead_department_id: str | None
    tasks: list[TaskNode]


@dataclass(frozen=True, slots=True)
class Extension:
    """An extension granted: the task's due date moved from `previous_due_date` to `new_due_date`."""

    node: TaskNode
    request_id: str
    previous_due_date: date | None
    new_due_date: date
    decided_on: date
    note: str | None


@dataclass(frozen=True, slots=True)
class Cultivation:
    """The tier pyramid on the evaluation's day, and indicators 8–11: the plan's target, the registry's count
    (`registry_value`) and the reported value (`actual_value`) of each."""

    on: date
    by_tier: dict[str, int]
    targets: list[IndicatorResult]


@dataclass(frozen=True, slots=True)
class ChainLine:
    """One chain taken on the day the report is made: coverage and the names of its gap nodes."""

    chain_id: str
    name: str
    group: str | None
    coverage: float
    gaps: list[str]


@dataclass(frozen=True, slots=True)
class Chains:
    """The chains on `taken_on`; the pipeline: targets by their stage that day, and the stages they entered in
    each year of the plan up to the evaluated year (to the evaluation's day)."""

    taken_on: date
    items: list[ChainLine]
    by_stage: dict[str, int]
    by_year: list[tuple[int, dict[str, int]]]


@dataclass(frozen=True, slots=True)
class NamedDivergence:
    """A divergence with the task's node and the indicator's result, so the report can name both."""

    node: TaskNode
    result: IndicatorResult


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """Everything the evaluation report shows of `evaluation.year`, each number computed once, here."""

    plan: Plan
    kind: str
    evaluation: Evaluation
    observations: dict[str, list[Observation]]  # by indicator id, years ≤ the evaluated one, in year order
    departments: dict[str, str]
    behind_schedule: list[DepartmentGroup]
    extensions: list[Extension]
    cultivation: Cultivation
    chains: Chains
    divergences: list[NamedDivergence]


def kind_of(plan: Plan, year: int) -> str:
    """`final` for the plan's last year (终期), `mid_term` for its middle one (中期: 2023 of 2021–2025), else
    `annual` (年度)."""
    if year == plan.end_year:
        return "final"
    if year == plan.start_year + (plan.end_year - plan.start_year) // 2:
        return "mid_term"
    return "annual"


def tree_order_of(roots: Sequence[TaskNode]) -> Iterator[TaskNode]:
    """Every node below and including the roots, parents first, siblings in the tree's order."""
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def behind_schedule(nodes: Sequence[TaskNode], departments: dict[str, str]) -> list[DepartmentGroup]:
    """Tasks whose light is red or yellow, grouped by lead department (by the department's name; tasks
    without a lead last), each group in tree order."""
    groups: dict[str | None, list[TaskNode]] = defaultdict(list)
    for node in nodes:
        if node.warning in BEHIND:
            groups[node.task.lead_department_id].append(node)

    def order(key: str | None) -> tuple[bool, str, str]:
        return (key is None, departments.get(key or "", ""), key or "")

    return [DepartmentGroup(key, groups[key]) for key in sorted(groups, key=order)]


def granted(
    extensions: Sequence[GrantedExtension], nodes: dict[str, TaskNode], *, until: date
) -> list[Extension]:
    """The extensions decided on or before `until` for tasks of the tree, in the order they were decided; each
    with the due date it replaced (the task's first due date, then the previous extension's)."""
    extensions = sorted(extensions, key=lambda x: (x.decided_at, x.request_id))
    previous: dict[str, date | None] = {}
    result = []
    for extension in extensions:
        node = nodes.get(extension.task_id)
        if node is None:
            continue
        task = node.task
        before = previous.get(extension.task_id, task.original_due_date or task.due_date)
        previous[extension.task_id] = extension.new_due_date
        decided_on = day_of(extension.decided_at)
        if decided_on <= until:
            result.append(
                Extension(
                    node, extension.request_id, before, extension.new_due_date, decided_on, extension.note
                )
            )
    return result


async def chains_today(
    plan: Plan, year: int, *, as_of: date, today: date, uow: EvaluationReportUnitOfWork
) -> Chains:
    """Every chain's coverage and gaps today, and the investment pipeline (see `Chains`)."""
    chains = await uow.dashboard.all_chains()
    ids = [chain.id for chain in chains]
    nodes, links, active = await coverage_facts(ids, uow=uow)
    items = []
    for chain in chains:
        ordered = tree_order(nodes[chain.id])
        report = compute_gaps(ordered, links[chain.id], active)
        names = {node.id: node.name for node in ordered}
        items.append(
            ChainLine(chain.id, chain.name, chain.group, report.coverage, [names[g] for g in report.gap_ids])
        )
    years = range(plan.start_year, year + 1)
    counts = await uow.targets.pipeline_counts(None, years, until=as_of)  # every chain's
    return Chains(today, items, counts.by_stage, [(y, counts.by_year[y]) for y in years])


async def evaluation_report(
    plan_id: str, year: int, *, today: date, uow: EvaluationReportUnitOfWork
) -> EvaluationReport:
    """评估报告 of `year` as of min(today, 31 Dec): GET /plans/{id}/evaluation's evaluation, and the rest of
    what the report shows (404 for an unknown plan, 422 for a year outside it, as the evaluation)."""
    plan = await get_plan(plan_id, uow=uow)
    plan.check_year(year)
    # The plan's part and the chains' read nothing of each other: the chains' statements can run while the
    # plan's thousands of tasks are worked on.
    evaluation, chains = await uow.side_by_side(
        lambda unit: evaluate_plan(plan.id, year, today=today, uow=unit),
        lambda unit: chains_today(plan, year, as_of=as_of(year, today), today=today, uow=unit),
    )
    nodes = list(tree_order_of(evaluation.tasks))
    by_id = {node.task.id: node for node in nodes}
    indicator_ids = [r.indicator.id for r in evaluation.indicators]
    observations: dict[str, list[Observation]] = defaultdict(list)
    for observation in sorted(
        await uow.observations.of_indicators(indicator_ids, until_year=year), key=lambda o: o.year
    ):
        observations[observation.indicator_id].append(observation)
    departments = await uow.evaluation_report.department_names()
    extensions = granted(
        await uow.evaluation_report.granted_extensions(plan.id), by_id, until=evaluation.as_of
    )
    tiers = await tier_statistics(evaluation.as_of, today=today, uow=uow)
    results = {r.indicator.id: r for r in evaluation.indicators}
    live = [r for r in evaluation.indicators if r.indicator.code in LIVE_INDICATORS]
    return EvaluationReport(
        plan=plan,
        kind=kind_of(plan, year),
        evaluation=evaluation,
        observations=dict(observations),
        departments=departments,
        behind_schedule=behind_schedule(nodes, departments),
        extensions=extensions,
        cultivation=Cultivation(evaluation.as_of, tiers["by_tier"], live),
        chains=chains,
        divergences=[
            NamedDivergence(by_id[d.task_id], results[d.indicator_id])
            for d in evaluation.divergences
            if d.task_id in by_id and d.indicator_id in results
        ],
    )
