"""Repositories of the planning context: a plan's tree in two queries, never one query per task."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, false, func, null, or_, select, true
from sqlalchemy.sql.elements import BindParameter

from domain.identity.accounts import Department
from domain.planning.attachments import Attachment
from domain.planning.history import last_period
from domain.planning.indicators import Indicator, Observation
from domain.planning.plan import Plan
from domain.planning.progress import ReportRecord, TaskRecord
from domain.planning.reports import ProgressReport
from domain.planning.tasks import Task
from domain.planning.workflow import ExtensionRequest, Urge
from domain.shared.clock import start_of
from infrastructure.db.tables import planning as t
from infrastructure.repositories.base import Repository


async def _ids_among(session, column, ids: Collection[str], *where) -> set[str]:
    if not ids:
        return set()
    return set(await session.scalars(select(column).where(column.in_(list(ids)), *where)))


# The task columns a TaskRecord holds, in its fields' order (so a row builds it positionally), read with
# Core: no ORM objects.
_RECORD_COLUMNS = [t.tasks.c[f.name] for f in fields(TaskRecord)]


def _subtree_ids(task_ids: Collection[str] | BindParameter):
    """The ids of the tasks and of every task below them (a recursive CTE down `ix_tasks_parent_id`).

    By parent only: a plan condition in the step lets SQLite without statistics walk `ix_tasks_plan_id`
    (every task of the plan a step). A child in another plan than its parent is the caller's to notice.
    UNION, not UNION ALL: a parent cycle in bad data ends the recursion instead of looping.
    """
    tk = t.tasks
    below = tk.alias("below")
    ids = task_ids if isinstance(task_ids, BindParameter) else list(task_ids)
    start = select(tk.c.id).where(tk.c.id.in_(ids)).cte("subtree", recursive=True)
    return start.union(select(below.c.id).join(start, below.c.parent_id == start.c.id))


class PlanRepository(Repository):
    entity = Plan

    async def by_title(self, title: str) -> Plan | None:
        return await self._one(select(Plan).where(Plan.title == title).order_by(Plan.id).limit(1))


class TaskRepository(Repository):
    entity = Task

    async def of_plans(self, plan_ids: Collection[str]) -> list[Task]:
        """Every task of the plans, in one query (the tree is built in memory)."""
        return await self._all(select(Task).where(Task.plan_id.in_(list(plan_ids))))

    async def records_of_plans(self, plan_ids: Collection[str]) -> list[TaskRecord]:
        """Every task of the plans as read records (a tree to show, not to change)."""
        return await self._records(t.tasks.c.plan_id.in_(list(plan_ids)))

    def ids_below(self, task_ids: Collection[str]) -> Select:
        """A query of the ids of the tasks and of every task below them (to narrow another query)."""
        return select(_subtree_ids(task_ids).c.id)

    def ids_of_plan(self, plan_id: str) -> Select:
        """A query of the plan's task ids (to narrow another query to the plan)."""
        return select(t.tasks.c.id).where(t.tasks.c.plan_id == plan_id)

    async def subtree_records(self, task_ids: Collection[str]) -> list[TaskRecord]:
        """The tasks and every task below them, as read records: all that their nodes depend on."""
        if not task_ids:
            return []
        subtree = _subtree_ids(task_ids)
        return await self._records(t.tasks.c.id.in_(select(subtree.c.id)))

    async def subtree_with_reports(
        self, task_ids: Collection[str], *, as_of: date | None = None
    ) -> tuple[list[TaskRecord], list[ReportRecord]]:
        """`subtree_records` and `ProgressReportRepository.latest_records(subtrees_of=…)` in one statement:
        each task of the subtrees beside its latest report counting on `as_of` (a read of one task's node
        in one round trip)."""
        if not task_ids:
            return [], []
        parameters: dict[str, Any] = {"task_ids": list(task_ids)}
        if as_of is not None:
            parameters |= {
                "last_period": last_period(as_of),
                "returned_after": start_of(as_of + timedelta(days=1)),
            }
        statement = _subtree_with_reports(as_of is None)
        width, tasks, reports = len(_RECORD_COLUMNS), [], []
        for row in await self.session.execute(statement, parameters):
            task = TaskRecord(*row[:width])
            tasks.append(task)
            period, filed_at, percent, returned, returned_at = row[width:]
            if period is not None:
                reports.append(
                    ReportRecord(
                        task_id=task.id,
                        period=period,
                        filed_at=filed_at,
                        percent=percent,
                        returned=returned,
                        returned_at=returned_at,
                    )
                )
        return tasks, reports

    async def _records(self, where) -> list[TaskRecord]:
        rows = await self.session.execute(select(*_RECORD_COLUMNS).where(where))
        return [TaskRecord(*row) for row in rows]

    async def children_of(self, task_id: str) -> list[Task]:
        return await self._all(select(Task).where(Task.parent_id == task_id))

    async def by_code(self, plan_id: str, code: str) -> Task | None:
        return await self._one(select(Task).where(Task.plan_id == plan_id, Task.code == code))

    async def codes_of(self, plan_id: str) -> dict[str, Task]:
        tasks = await self._all(select(Task).where(Task.plan_id == plan_id, Task.code.is_not(None)))
        return {task.code: task for task in tasks}

    def _search(self, filters: dict[str, Any]) -> Select:
        statement = select(Task)
        for name in ("plan_id", "parent_id", "lead_department_id", "status"):
            if filters.get(name) is not None:
                statement = statement.where(getattr(Task, name) == filters[name])
        if filters.get("root") is not None:
            statement = statement.where(
                Task.parent_id.is_(None) if filters["root"] else Task.parent_id.is_not(None)
            )
        if filters.get("q"):
            q = filters["q"]
            statement = statement.where(
                or_(Task.title.icontains(q, autoescape=True), Task.code.icontains(q, autoescape=True))
            )
        return statement

    async def search(self, filters: dict[str, Any], *, after: str | None, limit: int | None) -> list[Task]:
        """Tasks matching the stored fields in id order: limit + 1 of them, or all after `after`."""
        statement = self._search(filters)
        if limit is not None:
            return await self.page(statement, after=after, limit=limit)
        if after is not None:
            statement = statement.where(Task.id > after)
        return await self._all(statement.order_by(Task.id))

    async def search_rolled_up(
        self, filters: dict[str, Any], derived: dict[str, Any], *, on: date, after: str | None, limit: int
    ) -> list[Task] | None:
        """As `search`, the derived filters (light, overdue, escalation) matched against the roll-ups stored
        for `on`: a page, or None when a task the stored filters match has no roll-up of that day."""
        ru = t.task_rollups
        statement = self._search(filters)
        candidates = statement.with_only_columns(Task.id).subquery()
        unrolled = (
            select(candidates.c.id)
            .outerjoin(ru, and_(ru.c.task_id == candidates.c.id, ru.c.computed_for == on))
            .where(ru.c.task_id.is_(None))
            .limit(1)
        )
        if await self.session.scalar(unrolled) is not None:
            return None
        statement = statement.join(ru, ru.c.task_id == Task.id).where(ru.c.computed_for == on)
        for name, value in derived.items():
            statement = statement.where(ru.c[name] == getattr(value, "value", value))
        return await self.page(statement, after=after, limit=limit)

    async def led_by(self, department_id: str) -> list[Task]:
        return await self._all(select(Task).where(Task.lead_department_id == department_id))

    async def unknown_departments(self, ids: Collection[str]) -> set[str]:
        return set(ids) - await _ids_among(self.session, Department.id, ids)

    async def has_requests(self, task_id: str) -> bool:
        """Whether moves, extension requests or urges name the task (all belong to the supervision ledger)."""
        for table in (t.task_transitions, t.extension_requests, t.urges):
            if await self._one(select(table.c.id).where(table.c.task_id == task_id).limit(1)):
                return True
        return False


def _ranked_reports(order: tuple, where: list) -> Select:
    """The id of each task's first report in `order` among those matching `where` (a window, one query)."""
    r = t.progress_reports
    rank = func.row_number().over(partition_by=r.c.task_id, order_by=order).label("rank")
    ranked = (
        select(r.c.id.label("report_id"), rank)
        .join(t.tasks, t.tasks.c.id == r.c.task_id)
        .where(*where)
        .subquery()
    )
    return (
        select(ProgressReport).join(ranked, ProgressReport.id == ranked.c.report_id).where(ranked.c.rank == 1)
    )


def _latest_report(task_id, as_of: date | None, *columns) -> Select:
    """The `columns` of the task's latest report counting on `as_of` (today's, the latest not returned,
    when None): greatest period, then filed last."""
    if as_of is None:
        return _latest_counting(task_id, None, *columns)
    return _latest_counting(task_id, (last_period(as_of), start_of(as_of + timedelta(days=1))), *columns)


def _latest_counting(task_id, bounds: tuple[Any, Any] | None, *columns) -> Select:
    """`_latest_report` with the day's bounds given (the last period counting, the first instant a return no
    longer hides the report) as values or as bound parameters; None for today."""
    r = t.progress_reports
    found = select(*columns).where(r.c.task_id == task_id)
    if bounds is None:
        found = found.where(r.c.returned == false())
    else:
        period, returned_after = bounds
        found = found.where(
            r.c.period <= period, or_(r.c.returned == false(), r.c.returned_at >= returned_after)
        )
    return found.order_by(r.c.period.desc(), r.c.filed_at.desc(), r.c.id.desc()).limit(1)


@cache
def _subtree_with_reports(today: bool) -> Select:
    """The statement of `TaskRepository.subtree_with_reports`, built once for today and once for a past
    day: its cache key is computed once, and the compiled form and prepared statement are found by it."""
    tk, r = t.tasks, t.progress_reports
    bounds = None
    if not today:
        bounds = (
            bindparam("last_period", type_=r.c.period.type),
            bindparam("returned_after", type_=r.c.returned_at.type),
        )
    latest = _latest_counting(tk.c.id, bounds, r.c.id).correlate(tk).scalar_subquery()
    # As latest_records: today's latest is one not returned (the columns its index holds).
    returned = (false(), null()) if today else (r.c.returned, r.c.returned_at)
    report = (r.c.period, r.c.filed_at, r.c.percent, *returned)
    subtree = _subtree_ids(bindparam("task_ids", expanding=True))
    return (
        select(*_RECORD_COLUMNS, *report)
        .select_from(tk.outerjoin(r, r.c.id == latest))
        .where(tk.c.id.in_(select(subtree.c.id)))
    )


class ProgressReportRepository(Repository):
    entity = ProgressReport

    async def latest_per_task(self, plan_ids: Collection[str]) -> list[ProgressReport]:
        """Each task's latest non-returned report (greatest period, then filed-at): today's, as entities."""
        r = t.progress_reports
        where = [t.tasks.c.plan_id.in_(list(plan_ids)), r.c.returned.is_(False)]
        statement = _ranked_reports((r.c.period.desc(), r.c.filed_at.desc(), r.c.id.desc()), where)
        return await self._all(statement)

    async def latest_records(
        self,
        *,
        plan_ids: Collection[str] | None = None,
        subtrees_of: Collection[str] | None = None,
        as_of: date | None = None,
    ) -> list[ReportRecord]:
        """As `latest_per_task`, as read records: the tasks of `plan_ids`, or the subtrees of `subtrees_of`.

        `as_of` a past day D: each task's latest report counting on D (history.counts_on: a period ≤ D's
        month, not returned on or before D); None: today's, the latest not returned. One index probe a task
        (`ix_progress_reports_latest`, `ix_progress_reports_as_of`) instead of ranking every report.
        """
        r, tk = t.progress_reports, t.tasks
        if plan_ids is not None:
            task_ids = select(tk.c.id).where(tk.c.plan_id.in_(list(plan_ids)))
        else:
            task_ids = select(_subtree_ids(subtrees_of or []).c.id)
        task_ids = task_ids.subquery("task_ids")

        def latest(*columns):
            """A task's latest report counting on the day: its `columns`."""
            return _latest_report(task_ids.c.id, as_of, *columns)

        if as_of is None:  # none returned: the columns the index holds (PostgreSQL reads it alone)
            returned = (false().label("returned"), null().label("returned_at"))
        else:
            returned = (r.c.returned, r.c.returned_at)
        columns = (r.c.task_id, r.c.period, r.c.filed_at, r.c.percent, *returned, r.c.id)
        if self.session.bind.dialect.name == "postgresql":
            # LATERAL reads the columns in the same probe (index-only with the INCLUDEd percent).
            top = latest(*columns).lateral("latest")
            statement = select(*top.c).select_from(task_ids).join(top, true())
        else:
            ids = select(latest(r.c.id).scalar_subquery()).select_from(task_ids)
            statement = select(*columns).where(r.c.id.in_(ids))
        rows = await self.session.execute(statement)
        return [
            ReportRecord(
                task_id=row[0],
                period=row[1],
                filed_at=row[2],
                percent=row[3],
                returned=row[4],
                returned_at=row[5],
            )
            for row in rows
        ]

    async def last_filed(self, task_ids: Collection[str]) -> dict[str, ProgressReport]:
        """Each task's most recently filed report, returned or not (a returned one asks for a new filing)."""
        r = t.progress_reports
        statement = _ranked_reports((r.c.filed_at.desc(), r.c.id.desc()), [r.c.task_id.in_(list(task_ids))])
        return {report.task_id: report for report in await self._all(statement)}

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list[ProgressReport]:
        return await self.page(
            select(ProgressReport).where(ProgressReport.task_id == task_id), after=after, limit=limit
        )

    async def of_plan(self, plan_id: str) -> list[ProgressReport]:
        """Every report of the plan's tasks, in the order filed (the ledger's)."""
        statement = select(ProgressReport).join(Task, Task.id == ProgressReport.task_id)
        statement = statement.where(Task.plan_id == plan_id)
        return list(await self._all(statement.order_by(ProgressReport.filed_at, ProgressReport.id)))

    async def all_of_task(self, task_id: str) -> list[ProgressReport]:
        statement = select(ProgressReport).where(ProgressReport.task_id == task_id)
        return await self._all(statement.order_by(ProgressReport.id))

    async def any_of_task(self, task_id: str) -> bool:
        r = t.progress_reports
        return await self._one(select(r.c.id).where(r.c.task_id == task_id).limit(1)) is not None


class AttachmentRepository(Repository):
    entity = Attachment

    async def unknown(self, ids: Collection[str]) -> set[str]:
        """Ids among `ids` with no attachment (reads ids only, never the files)."""
        return set(ids) - await _ids_among(self.session, t.attachments.c.id, ids)


class ExtensionRequestRepository(Repository):
    entity = ExtensionRequest

    async def all_of_task(self, task_id: str) -> list[ExtensionRequest]:
        statement = select(ExtensionRequest).where(ExtensionRequest.task_id == task_id)
        return await self._all(statement.order_by(ExtensionRequest.id))

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list[ExtensionRequest]:
        statement = select(ExtensionRequest).where(ExtensionRequest.task_id == task_id)
        return await self.page(statement, after=after, limit=limit)


class UrgeRepository(Repository):
    entity = Urge

    async def all_of_task(self, task_id: str) -> list[Urge]:
        return await self._all(select(Urge).where(Urge.task_id == task_id).order_by(Urge.id))

    async def of_task(self, task_id: str, *, after: str | None, limit: int) -> list[Urge]:
        return await self.page(select(Urge).where(Urge.task_id == task_id), after=after, limit=limit)

    async def last_at(self, task_ids: Collection[str]) -> dict[str, datetime]:
        u = t.urges
        rows = await self.session.execute(
            select(u.c.task_id, func.max(u.c.at).label("at"))
            .where(u.c.task_id.in_(list(task_ids)))
            .group_by(u.c.task_id)
        )
        return {row.task_id: row.at for row in rows}


class IndicatorRepository(Repository):
    entity = Indicator

    async def of_plan(self, plan_id: str) -> list[Indicator]:
        return await self._all(select(Indicator).where(Indicator.plan_id == plan_id))

    async def by_code(self, plan_id: str, code: int) -> Indicator | None:
        return await self._one(select(Indicator).where(Indicator.plan_id == plan_id, Indicator.code == code))

    async def unknown_in_plan(self, plan_id: str, ids: Collection[str]) -> set[str]:
        return set(ids) - await _ids_among(
            self.session, t.indicators.c.id, ids, t.indicators.c.plan_id == plan_id
        )

    async def in_code_order(self, plan_id: str | None, *, after: list | None, limit: int) -> list[Indicator]:
        """A page in Table 1 order (code, then id), keyset on both."""
        statement = select(Indicator)
        if plan_id is not None:
            statement = statement.where(Indicator.plan_id == plan_id)
        if after is not None:
            code, ident = after
            statement = statement.where(
                or_(Indicator.code > code, and_(Indicator.code == code, Indicator.id > ident))
            )
        statement = statement.order_by(Indicator.code, Indicator.id).limit(limit + 1)
        return await self._all(statement)


class ObservationRepository(Repository):
    entity = Observation

    async def of_year(self, indicator_id: str, year: int) -> Observation | None:
        return await self._one(
            select(Observation).where(Observation.indicator_id == indicator_id, Observation.year == year)
        )

    async def of_indicators(self, indicator_ids: Collection[str], *, until_year: int) -> list[Observation]:
        statement = select(Observation).where(
            Observation.indicator_id.in_(list(indicator_ids)), Observation.year <= until_year
        )
        return await self._all(statement)

    async def in_year_order(self, indicator_id: str, *, after: int | None, limit: int) -> list[Observation]:
        statement = select(Observation).where(Observation.indicator_id == indicator_id)
        if after is not None:
            statement = statement.where(Observation.year > after)
        return await self._all(statement.order_by(Observation.year).limit(limit + 1))
