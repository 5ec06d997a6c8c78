"""The planning context's repositories in memory (the ports of domain/planning/ports.py).

Same orders and pages as infrastructure/repositories/planning.py and history.py: id order unless a port
says otherwise, limit + 1 rows a page, records (copies) where the real ones read records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import fields, replace
from datetime import date, datetime
from typing import Any
from uuid import uuid4

from domain.planning.history import TaskHistory, counts_on
from domain.planning.ports import LIVE_INDICATOR_CODES
from domain.planning.progress import ReportRecord, TaskRecord
from domain.planning.reports import ProgressReport
from domain.planning.rollups import TaskRollup
from domain.planning.tasks import Task, ancestor_ids
from domain.planning.workflow import ExtensionStatus
from domain.planning.year_ends import Stood, TaskYearEnd, YearEndTrees
from domain.shared.clock import day_of
from tests.unit.fakes.base import FakeRepository


def _record(task: Task) -> TaskRecord:
    """A read record of the task, as the real repository builds one from a row: a copy, not the entity."""
    return TaskRecord(*(getattr(task, f.name) for f in fields(TaskRecord)))


class FakePlans(FakeRepository):
    pass


class FakeTasks(FakeRepository):
    def __init__(self, uow: Any) -> None:
        super().__init__(uow)
        self.departments: set[str] = set()  # the known departments (identity's table in the real one)

    async def records_of_plans(self, plan_ids: Collection[str]) -> list[TaskRecord]:
        return [_record(t) for t in self._sorted() if t.plan_id in plan_ids]

    def ids_of_plan(self, plan_id: str) -> list[str]:
        return [t.id for t in self._sorted() if t.plan_id == plan_id]

    def ids_below(self, task_ids: Collection[str]) -> list[str]:
        found = [i for i in task_ids if i in self.items]
        seen = set(found)
        for current in found:  # grows while walked: breadth first, a cycle ends where it closes
            for task in self._sorted():
                if task.parent_id == current and task.id not in seen:
                    seen.add(task.id)
                    found.append(task.id)
        return found

    async def subtree_records(self, task_ids: Collection[str]) -> list[TaskRecord]:
        return [_record(self.items[i]) for i in self.ids_below(task_ids)]

    async def subtree_with_reports(
        self, task_ids: Collection[str], *, as_of: date | None = None
    ) -> tuple[list[TaskRecord], list[ReportRecord]]:
        reports = await self.uow.progress_reports.latest_records(subtrees_of=task_ids, as_of=as_of)
        return await self.subtree_records(task_ids), reports

    async def children_of(self, task_id: str) -> list[Task]:
        return self.where(lambda t: t.parent_id == task_id)

    async def by_code(self, plan_id: str, code: str) -> Task | None:
        found = self.where(lambda t: t.plan_id == plan_id and t.code == code)
        return found[0] if found else None

    async def search(self, filters: dict[str, Any], *, after: str | None, limit: int | None) -> list[Task]:
        def keep(task: Task) -> bool:
            for name in ("plan_id", "parent_id", "lead_department_id", "status"):
                if filters.get(name) is not None and getattr(task, name) != filters[name]:
                    return False
            if filters.get("root") is not None and (task.parent_id is None) != filters["root"]:
                return False
            q = (filters.get("q") or "").lower()
            return not q or q in task.title.lower() or q in (task.code or "").lower()

        if limit is not None:
            return await self.page_where(keep, after=after, limit=limit)
        return [t for t in self.where(keep) if after is None or t.id > after]

    async def search_rolled_up(
        self, filters: dict[str, Any], derived: dict[str, Any], *, on: date, after: str | None, limit: int
    ) -> list[Task] | None:
        found = await self.search(filters, after=None, limit=None)
        rows = await self.uow.task_rollups.computed_for([t.id for t in found], on)
        if len(rows) < len(found):
            return None
        kept = [t for t in found if all(getattr(rows[t.id], k) == v for k, v in derived.items())]
        return [t for t in kept if after is None or t.id > after][: limit + 1]

    async def led_by(self, department_id: str) -> list[Task]:
        return self.where(lambda t: t.lead_department_id == department_id)

    async def unknown_departments(self, ids: Collection[str]) -> set[str]:
        return set(ids) - self.departments

    async def has_requests(self, task_id: str) -> bool:
        uow = self.uow
        named = (uow.task_transitions, uow.extension_requests, uow.urges)
        return any(r.task_id == task_id for repository in named for r in repository.items.values())

    def _sorted(self) -> list[Task]:
        return sorted(self.items.values(), key=lambda t: t.id)


class FakeTransitions(FakeRepository):
    async def last_of(self, task_id: str):
        moves = await self.of_task(task_id)
        return moves[-1] if moves else None

    async def of_task(self, task_id: str) -> list:
        return sorted((m for m in self.items.values() if m.task_id == task_id), key=lambda m: m.seq)


class FakeTaskHistory:
    """Reads the moves, urges and extension requests held by the other fakes, as the real reader reads
    their tables."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def remembered(self) -> list:
        return []

    async def as_of(self, task_ids: Collection[str], on: date) -> dict[str, TaskHistory]:
        uow, wanted = self.uow, set(task_ids)
        answer = {}
        for task_id in sorted(wanted):
            moves = [m for m in await uow.task_transitions.of_task(task_id) if m.on <= on]
            urged = [u.at for u in uow.urges.items.values() if u.task_id == task_id and day_of(u.at) <= on]
            extended = [
                (x.decided_at, x.new_due_date)
                for x in uow.extension_requests.items.values()
                if x.task_id == task_id
                and x.status is ExtensionStatus.APPROVED
                and day_of(x.decided_at) <= on
            ]
            if moves or urged or extended:
                answer[task_id] = TaskHistory(moves[-1:], urged, extended)
        return answer


def _latest_first(report: ProgressReport) -> tuple:
    return (report.period, report.filed_at, report.id)


class FakeProgressReports(FakeRepository):
    async def latest_records(
        self,
        *,
        plan_ids: Collection[str] | None = None,
        subtrees_of: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[ReportRecord]:
        tasks = self.uow.tasks
        if plan_ids is not None:
            task_ids = {t.id for t in tasks.items.values() if t.plan_id in plan_ids}
        else:
            task_ids = set(tasks.ids_below(subtrees_of or []))
        latest: dict[str, ProgressReport] = {}
        for report in sorted(self.items.values(), key=_latest_first):
            counts = not report.returned if as_of is None else counts_on(report, as_of)
            if report.task_id in task_ids and counts:
                latest[report.task_id] = report
        return [
            ReportRecord(
                task_id=r.task_id,
                period=r.period,
                filed_at=r.filed_at,
                percent=r.percent,
                returned=r.returned if as_of is not None else False,
                returned_at=r.returned_at if as_of is not None else None,
                id=r.id,
            )
            for r in latest.values()
        ]

    async def last_filed(self, task_ids: Collection[str]) -> dict[str, ProgressReport]:
        last: dict[str, ProgressReport] = {}
        for report in sorted(self.items.values(), key=lambda r: (r.filed_at, r.id)):
            if report.task_id in task_ids:
                last[report.task_id] = report
        return last

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list[ProgressReport]:
        return await self.page_where(lambda r: r.task_id == task_id, after=after, limit=limit)

    async def all_of_task(self, task_id: str) -> list[ProgressReport]:
        return self.where(lambda r: r.task_id == task_id)

    async def any_of_task(self, task_id: str) -> bool:
        return any(r.task_id == task_id for r in self.items.values())


class FakeAttachments(FakeRepository):
    async def unknown(self, ids: Collection[str]) -> set[str]:
        return set(ids) - set(self.items)


class FakeExtensionRequests(FakeRepository):
    async def all_of_task(self, task_id: str) -> list:
        return self.where(lambda x: x.task_id == task_id)

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list:
        return await self.page_where(lambda x: x.task_id == task_id, after=after, limit=limit)


class FakeUrges(FakeRepository):
    async def all_of_task(self, task_id: str) -> list:
        return self.where(lambda u: u.task_id == task_id)

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list:
        return await self.page_where(lambda u: u.task_id == task_id, after=after, limit=limit)

    async def last_at(self, task_ids: Collection[str]) -> dict[str, datetime]:
        last: dict[str, datetime] = {}
        for made in self.items.values():
            if made.task_id in task_ids and (made.task_id not in last or made.at > last[made.task_id]):
                last[made.task_id] = made.at
        return last


class FakeIndicators(FakeRepository):
    async def of_plan(self, plan_id: str) -> list:
        return self.where(lambda i: i.plan_id == plan_id)

    async def by_code(self, plan_id: str, code: int):
        found = self.where(lambda i: i.plan_id == plan_id and i.code == code)
        return found[0] if found else None

    async def unknown_in_plan(self, plan_id: str, ids: Collection[str]) -> set[str]:
        return set(ids) - {i.id for i in self.items.values() if i.plan_id == plan_id}

    async def in_code_order(self, plan_id: str | None, *, after: list | None, limit: int) -> list:
        rows = sorted(
            (i for i in self.items.values() if plan_id is None or i.plan_id == plan_id),
            key=lambda i: (i.code, i.id),
        )
        if after is not None:
            rows = [i for i in rows if (i.code, i.id) > tuple(after)]
        return self._all(rows[: limit + 1])


class FakeObservations(FakeRepository):
    async def of_year(self, indicator_id: str, year: int):
        found = self.where(lambda o: o.indicator_id == indicator_id and o.year == year)
        return found[0] if found else None

    async def of_indicators(self, indicator_ids: Collection[str], *, until_year: int) -> list:
        return self.where(lambda o: o.indicator_id in indicator_ids and o.year <= until_year)

    async def in_year_order(self, indicator_id: str, *, after: int | None, limit: int) -> list:
        rows = sorted(
            (o for o in self.items.values() if o.indicator_id == indicator_id), key=lambda o: o.year
        )
        return [o for o in rows if after is None or o.year > after][: limit + 1]


class FakeLiveIndicators:
    """The registry's counts of indicators 8–11: zero unless a test sets `counts` (and `not_counted`)."""

    def __init__(self, uow: Any) -> None:
        self.counts: dict[int, int] = {}
        self.not_counted: dict[int, int] = {}

    def remembered(self) -> list:
        return []

    async def tally(self, year: int) -> tuple[dict[int, int], dict[int, int]]:
        counts = dict.fromkeys(sorted(LIVE_INDICATOR_CODES), 0) | self.counts
        return counts, {11: 0} | self.not_counted


class FakeTaskRollups:
    """The stored roll-ups by task id; the real unit writes them at commit, this one when told to."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.rows: dict[str, TaskRollup] = {}
        self.locked: list[str] = []

    def remembered(self) -> list:
        return []

    async def chain_records(self, task_ids: Collection[str]) -> list[TaskRecord]:
        tasks = self.uow.tasks.items
        parent_of = {t.id: t.parent_id for t in tasks.values()}
        found = {i for i in task_ids if i in tasks}
        found.update(a for i in list(found) for a in ancestor_ids(i, parent_of) if a in tasks)
        return [_record(tasks[i]) for i in sorted(found)]

    async def children_with_rollups(
        self, parent_ids: Collection[str], on: date
    ) -> list[tuple[TaskRecord, TaskRollup | None]]:
        kept = await self.computed_for(list(self.uow.tasks.items), on)
        return [(_record(t), kept.get(t.id)) for t in self.uow.tasks._sorted() if t.parent_id in parent_ids]

    async def latest_reports(self, task_ids: Collection[str]) -> list[ReportRecord]:
        return [
            ReportRecord(task_id=r.task_id, period=r.period, filed_at=r.filed_at, percent=r.percent, id=r.id)
            for r in self.uow.progress_reports.items.values()
            if r.task_id in task_ids and not r.returned
        ]

    async def lock(self, task_ids: list[str]) -> None:
        self.locked.extend(sorted(set(task_ids)))

    async def computed_for(self, task_ids: Collection[str], on: date) -> dict[str, TaskRollup]:
        return {i: self.rows[i] for i in task_ids if i in self.rows and self.rows[i].computed_for == on}

    async def of_plan_computed_for(self, plan_id: str, on: date) -> dict[str, TaskRollup]:
        return await self.computed_for(self.uow.tasks.ids_of_plan(plan_id), on)

    async def write(self, rollups: Collection[TaskRollup]) -> None:
        self.rows.update((r.task_id, r) for r in rollups)

    async def forget(self, task_ids: Collection[str]) -> None:
        for task_id in task_ids:
            self.rows.pop(task_id, None)

    async def plans_computed_for(self, on: date) -> list[str]:
        tasks = self.uow.tasks.items
        return sorted({tasks[i].plan_id for i, r in self.rows.items() if r.computed_for == on and i in tasks})

    async def plans_not_computed_for(self, on: date) -> list[str]:
        tasks = self.uow.tasks.items.values()
        return sorted(
            {t.plan_id for t in tasks if t.id not in self.rows or self.rows[t.id].computed_for != on}
        )


class PlanningRepositories:
    """Mixed into FakeUnitOfWork: `make_planning_repositories()` sets one attribute a repository port."""

    def make_planning_repositories(self) -> None:
        self.plans = self._repository(FakePlans)
        self.tasks = self._repository(FakeTasks)
        self.task_transitions = self._repository(FakeTransitions)
        self.task_history = self._repository(FakeTaskHistory)
        self.progress_reports = self._repository(FakeProgressReports)
        self.attachments = self._repository(FakeAttachments)
        self.extension_requests = self._repository(FakeExtensionRequests)
        self.urges = self._repository(FakeUrges)
        self.indicators = self._repository(FakeIndicators)
        self.observations = self._repository(FakeObservations)
        self.live_indicators = self._repository(FakeLiveIndicators)
        self.task_rollups = self._repository(FakeTaskRollups)
        self.task_year_ends = self._repository(FakeTaskYearEnds)
        self.year_end_trees = YearEndTrees()


class FakeTaskYearEnds:
    """The stored year-end rows by (task id, day), kept with their plan."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.rows: dict[tuple[str, date], tuple[str, TaskYearEnd]] = {}
        self.stamps: dict[tuple[str, date], str] = {}
        self.held: list[str] = []
        self.stood_reads = 0

    def remembered(self) -> list:
        return []

    async def of_plan(self, plan_id: str, day: date) -> dict[str, TaskYearEnd]:
        return {r.task_id: r for p, r in self.rows.values() if p == plan_id and r.day == day}

    async def stood_on(self, plan_id: str, day: date) -> Stood | None:
        self.stood_reads += 1
        rows = await self.of_plan(plan_id, day)
        tasks = [_record(t) for t in self.uow.tasks._sorted() if t.plan_id == plan_id]
        if not tasks or any(task.id not in rows for task in tasks):
            return None
        stood = [
            replace(
                task,
                status=rows[task.id].status,
                due_date=rows[task.id].due_date,
                original_due_date=rows[task.id].original_due_date,
                urge_count=rows[task.id].urge_count,
            )
            for task in tasks
        ]
        return stood, rows

    async def days_of_plan(self, plan_id: str) -> dict[date, int]:
        return dict(Counter(r.day for p, r in self.rows.values() if p == plan_id))

    async def stamp(self, plan_id: str, day: date) -> str | None:
        return self.stamps.get((plan_id, day))

    async def hold(self, plan_id: str) -> None:
        self.held.append(plan_id)

    async def replace(self, plan_id: str, day: date, rows: Collection[TaskYearEnd]) -> None:
        self.rows = {k: v for k, v in self.rows.items() if not (v[0] == plan_id and k[1] == day)}
        self.rows.update(((r.task_id, r.day), (plan_id, r)) for r in rows)
        self.stamps[(plan_id, day)] = uuid4().hex

    async def forget(self, task_ids: Collection[str], since: date, plan_ids: Collection[str] = ()) -> None:
        tasks = self.uow.tasks.items
        plans = {*plan_ids, *(tasks[i].plan_id for i in task_ids if i in tasks)}
        self.rows = {k: v for k, v in self.rows.items() if not (v[0] in plans and k[1] >= since)}
        self.stamps = {k: v for k, v in self.stamps.items() if not (k[0] in plans and k[1] >= since)}
