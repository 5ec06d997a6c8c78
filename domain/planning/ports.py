"""Ports of the planning context: the repositories its handlers reach, and what it asks of its neighbours."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any, Protocol

from domain.planning.attachments import Attachment
from domain.planning.history import TaskHistory
from domain.planning.indicators import Indicator, Observation
from domain.planning.plan import Plan
from domain.planning.progress import ReportRecord, TaskRecord
from domain.planning.reports import ProgressReport
from domain.planning.rollups import TaskRollupStore
from domain.planning.tasks import Task, Transition
from domain.planning.workflow import ExtensionRequest, Urge
from domain.planning.year_ends import TaskYearEndStore, YearEndTrees
from domain.shared.uow import Repository, UnitOfWork

# 8 = valid `hnte`, 9 = `eaglet`, 10 = `gazelle` or `unicorn`, 11 = listed: counted on 31 December.
LIVE_INDICATOR_CODES = frozenset({8, 9, 10, 11})


class LiveIndicatorCounter(Protocol):
    """活指标: the cultivation registry's count for a live indicator (codes 8–11) on 31 December of `year`."""

    def count(self, indicator_code: int, year: int) -> int | None: ...


class NoLiveCounts:
    """A counter with no registry behind it: every count is unknown."""

    def count(self, indicator_code: int, year: int) -> int | None:
        return None


def live_counts(counter: LiveIndicatorCounter, year: int) -> dict[int, int]:
    """The registry counts of indicators 8–11 in `year`, leaving out those the counter does not know."""
    counts = {code: counter.count(code, year) for code in sorted(LIVE_INDICATOR_CODES)}
    return {code: count for code, count in counts.items() if count is not None}


# A selection of task ids made by the task repository and read by the history reader: on the database a
# query (so that a plan's thousands of ids need not be sent back and forth), in memory a list.
TaskIdSelection = Collection[str] | object


class PlanRepositoryPort(Repository[Plan], Protocol):
    """规划: by id, and pages in id order."""

    async def list_page(self, *, after: str | None, limit: int) -> list[Plan]: ...


class TaskRepositoryPort(Repository[Task], Protocol):
    """任务: the tree's records, subtrees, children, stored filters, and the references a task names."""

    async def records_of_plans(self, plan_ids: Collection[str]) -> list[TaskRecord]: ...

    def ids_of_plan(self, plan_id: str) -> TaskIdSelection: ...

    def ids_below(self, task_ids: Collection[str]) -> TaskIdSelection:
        """The tasks and every task below them."""

    async def subtree_records(self, task_ids: Collection[str]) -> list[TaskRecord]: ...

    async def subtree_with_reports(
        self, task_ids: Collection[str], *, as_of: date | None = None
    ) -> tuple[list[TaskRecord], list[ReportRecord]]:
        """The subtrees' records and their latest reports counting on `as_of` (None: today's), one read."""

    async def children_of(self, task_id: str) -> list[Task]: ...

    async def by_code(self, plan_id: str, code: str) -> Task | None: ...

    async def search(self, filters: dict[str, Any], *, after: str | None, limit: int | None) -> list[Task]:
        """Tasks matching the stored filters in id order: limit + 1 of them, or all after `after`."""

    async def search_rolled_up(
        self, filters: dict[str, Any], derived: dict[str, Any], *, on: date, after: str | None, limit: int
    ) -> list[Task] | None:
        """As `search`, the derived filters matched against the roll-ups stored for `on` (limit + 1 tasks);
        None when a task the stored filters match has no roll-up of that day."""

    async def led_by(self, department_id: str) -> list[Task]: ...

    async def unknown_departments(self, ids: Collection[str]) -> set[str]: ...

    async def has_requests(self, task_id: str) -> bool:
        """Whether moves, extension requests or urges name the task."""


class TransitionRepositoryPort(Repository[Transition], Protocol):
    """状态变更: a task's moves, appended in order."""

    async def last_of(self, task_id: str) -> Transition | None: ...

    async def of_task(self, task_id: str) -> list[Transition]: ...


class TaskHistoryPort(Protocol):
    """What a task's state on a past day reads (history.task_as_of)."""

    async def as_of(self, task_ids: TaskIdSelection, on: date) -> dict[str, TaskHistory]:
        """For each task with anything dated ≤ `on`: its history up to that day; the others have none."""


class ProgressReportRepositoryPort(Repository[ProgressReport], Protocol):
    """进展报告: each task's latest on a day (as read records), the last filed, a task's own."""

    async def latest_records(
        self,
        *,
        plan_ids: Collection[str] | None = None,
        subtrees_of: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[ReportRecord]:
        """Each task's latest report counting on `as_of` (None: today's), of the plans or the subtrees."""

    async def last_filed(self, task_ids: Collection[str]) -> dict[str, ProgressReport]: ...

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list[ProgressReport]: ...

    async def all_of_task(self, task_id: str) -> list[ProgressReport]: ...

    async def any_of_task(self, task_id: str) -> bool: ...


class AttachmentRepositoryPort(Repository[Attachment], Protocol):
    """佐证材料."""

    async def unknown(self, ids: Collection[str]) -> set[str]:
        """Ids among `ids` with no attachment."""


class ExtensionRequestRepositoryPort(Repository[ExtensionRequest], Protocol):
    """延期申请 of a task."""

    async def all_of_task(self, task_id: str) -> list[ExtensionRequest]: ...

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list[ExtensionRequest]: ...


class UrgeRepositoryPort(Repository[Urge], Protocol):
    """催办 of a task, and when each task was last urged."""

    async def all_of_task(self, task_id: str) -> list[Urge]: ...

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list[Urge]: ...

    async def last_at(self, task_ids: Collection[str]) -> dict[str, datetime]: ...


class IndicatorRepositoryPort(Repository[Indicator], Protocol):
    """指标 of a plan, by code (Table 1's order)."""

    async def of_plan(self, plan_id: str) -> list[Indicator]: ...

    async def by_code(self, plan_id: str, code: int) -> Indicator | None: ...

    async def unknown_in_plan(self, plan_id: str, ids: Collection[str]) -> set[str]: ...

    async def in_code_order(self, plan_id: str | None, *, after: list | None, limit: int) -> list[Indicator]:
        """A page in Table 1 order (code, then id), keyset on both."""


class ObservationRepositoryPort(Repository[Observation], Protocol):
    """指标实际值: one a year of an indicator."""

    async def of_year(self, indicator_id: str, year: int) -> Observation | None: ...

    async def of_indicators(
        self, indicator_ids: Collection[str], *, until_year: int
    ) -> list[Observation]: ...

    async def in_year_order(
        self, indicator_id: str, *, after: int | None, limit: int
    ) -> list[Observation]: ...


class LiveIndicatorTally(Protocol):
    """The cultivation registry's counts of indicators 8–11 on 31 December of a year."""

    async def tally(self, year: int) -> tuple[dict[int, int], dict[int, int]]:
        """Indicator code → count, and beside them code → what a count leaves out for want of a date."""


class PlanningUnitOfWork(UnitOfWork, Protocol):
    """The unit of work the planning handlers run in (infrastructure/unit_of_work.py names the same)."""

    plans: PlanRepositoryPort
    tasks: TaskRepositoryPort
    task_transitions: TransitionRepositoryPort
    task_history: TaskHistoryPort
    progress_reports: ProgressReportRepositoryPort
    attachments: AttachmentRepositoryPort
    extension_requests: ExtensionRequestRepositoryPort
    urges: UrgeRepositoryPort
    indicators: IndicatorRepositoryPort
    observations: ObservationRepositoryPort
    live_indicators: LiveIndicatorTally
    task_rollups: TaskRollupStore
    task_year_ends: TaskYearEndStore
    year_end_trees: YearEndTrees  # the process's, shared by its units of work on one database
