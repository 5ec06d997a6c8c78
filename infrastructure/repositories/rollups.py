"""The stored task roll-ups (`task_rollups`, domain/planning/rollups.py) and the reads their upkeep makes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, bindparam, delete, false, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.planning.progress import ReportRecord, TaskRecord
from domain.planning.rollups import TaskRollup
from domain.planning.supervision import Escalation, WarningLight
from infrastructure.db.tables import planning as t
from infrastructure.repositories.base import Reader

_RECORD_COLUMNS = [t.tasks.c[f.name] for f in fields(TaskRecord)]
_ROLLUP_COLUMNS = [t.task_rollups.c[f.name] for f in fields(TaskRollup)]
_NEVER = date(1, 1, 1)  # a held row not yet written: computed for no day a read asks


def _rollup(row) -> TaskRollup:
    task_id, progress, warning, overdue, escalation, computed_for = row
    return TaskRollup(
        task_id, Decimal(progress), WarningLight(warning), overdue, Escalation(escalation), computed_for
    )


def _row(rollup: TaskRollup) -> dict:
    return {
        "task_id": rollup.task_id,
        "progress": str(rollup.progress),  # exact: Decimal(str(d)) == d
        "warning": rollup.warning.value,
        "overdue": rollup.overdue,
        "escalation": rollup.escalation.value,
        "computed_for": rollup.computed_for,
    }


def _chain():
    """The tasks named by :ids and every task above them (a recursive CTE up `parent_id`), as records.

    UNION, not UNION ALL: a parent cycle in bad data ends the recursion.
    """
    tk, above = t.tasks, t.tasks.alias("above")
    ids = bindparam("ids", expanding=True)
    start = select(tk.c.id, tk.c.parent_id).where(tk.c.id.in_(ids)).cte("chain", recursive=True)
    chain = start.union(select(above.c.id, above.c.parent_id).join(start, above.c.id == start.c.parent_id))
    return select(*_RECORD_COLUMNS).where(tk.c.id.in_(select(chain.c.id)))


def _children():
    """The children of :ids as records, each beside its roll-up computed for :on (or nulls)."""
    tk, ru = t.tasks, t.task_rollups
    return (
        select(*_RECORD_COLUMNS, *_ROLLUP_COLUMNS)
        .outerjoin(ru, and_(ru.c.task_id == tk.c.id, ru.c.computed_for == bindparam("on")))
        .where(tk.c.parent_id.in_(bindparam("ids", expanding=True)))
        .order_by(tk.c.id)
    )


def _kept_reports():
    """The reports of :ids not returned (today's latest of each is among them)."""
    r = t.progress_reports
    return select(r.c.task_id, r.c.period, r.c.filed_at, r.c.percent, r.c.id).where(
        r.c.task_id.in_(bindparam("ids", expanding=True)), r.c.returned == false()
    )


# Built once: a write's roll-up step runs them on every report, and a statement made anew each time costs
# its cache key again.
CHAIN, CHILDREN, KEPT_REPORTS = _chain(), _children(), _kept_reports()


class TaskRollupRepository(Reader):
    """`task_rollups`: one row a task, replaced whole; read only where computed for the day asked."""

    def _insert(self):
        return pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert

    async def chain_records(self, task_ids: Collection[str]) -> list[TaskRecord]:
        if not task_ids:
            return []
        return [TaskRecord(*row) for row in await self.session.execute(CHAIN, {"ids": list(task_ids)})]

    async def children_with_rollups(
        self, parent_ids: Collection[str], on: date
    ) -> list[tuple[TaskRecord, TaskRollup | None]]:
        if not parent_ids:
            return []
        rows = await self.session.execute(CHILDREN, {"ids": list(parent_ids), "on": on})
        width = len(_RECORD_COLUMNS)
        return [
            (TaskRecord(*row[:width]), None if row[width] is None else _rollup(row[width:])) for row in rows
        ]

    async def latest_reports(self, task_ids: Collection[str]) -> list[ReportRecord]:
        if not task_ids:
            return []
        rows = await self.session.execute(KEPT_REPORTS, {"ids": list(task_ids)})
        return [
            ReportRecord(task_id=task_id, period=period, filed_at=filed_at, percent=percent, id=report_id)
            for task_id, period, filed_at, percent, report_id in rows
        ]

    async def lock(self, task_ids: list[str]) -> None:
        """Hold the rows (made, not yet computed, where missing) in task-id order: one order for every
        writer, so that two writers under one parent wait for each other and never deadlock."""
        if not task_ids or self.session.bind.dialect.name != "postgresql":
            return  # SQLite: the write transaction (BEGIN IMMEDIATE) already holds the whole database
        ru = t.task_rollups
        statement = pg_insert(ru)
        # A no-op update of an existing row takes its lock (and waits for a writer holding it).
        statement = statement.on_conflict_do_update(
            index_elements=[ru.c.task_id], set_={"task_id": statement.excluded.task_id}
        )
        held = TaskRollup("", Decimal(0), WarningLight.DONE, False, Escalation.NONE, _NEVER)
        await self.session.execute(statement, [_row(held) | {"task_id": i} for i in sorted(set(task_ids))])

    async def computed_for(self, task_ids: Collection[str], on: date) -> dict[str, TaskRollup]:
        if not task_ids:
            return {}
        ru = t.task_rollups
        rows = await self.session.execute(
            select(*_ROLLUP_COLUMNS).where(ru.c.task_id.in_(list(task_ids)), ru.c.computed_for == on)
        )
        return {row[0]: _rollup(row) for row in rows}

    async def of_plan_computed_for(self, plan_id: str, on: date) -> dict[str, TaskRollup]:
        ru, tk = t.task_rollups, t.tasks
        rows = await self.session.execute(
            select(*_ROLLUP_COLUMNS)
            .join(tk, tk.c.id == ru.c.task_id)
            .where(tk.c.plan_id == plan_id, ru.c.computed_for == on)
        )
        return {row[0]: _rollup(row) for row in rows}

    async def write(self, rollups: Collection[TaskRollup]) -> None:
        if not rollups:
            return
        ru = t.task_rollups
        statement = self._insert()(ru)
        statement = statement.on_conflict_do_update(
            index_elements=[ru.c.task_id],
            set_={
                name: statement.excluded[name]
                for name in ("progress", "warning", "overdue", "escalation", "computed_for")
            },
        )
        for start in range(0, len(rollups), 1000):  # bounded statements for a plan of thousands of tasks
            await self.session.execute(statement, [_row(r) for r in list(rollups)[start : start + 1000]])

    async def plans_not_computed_for(self, on: date) -> list[str]:
        ru, tk = t.task_rollups, t.tasks
        stale = (
            select(tk.c.plan_id)
            .outerjoin(ru, ru.c.task_id == tk.c.id)
            .where(or_(ru.c.task_id.is_(None), ru.c.computed_for != on))
            .distinct()
            .order_by(tk.c.plan_id)
        )
        return list(await self.session.scalars(stale))

    async def forget(self, task_ids: Collection[str]) -> None:
        if task_ids:
            ru = t.task_rollups
            await self.session.execute(delete(ru).where(ru.c.task_id.in_(list(task_ids))))

    async def plans_computed_for(self, on: date) -> list[str]:
        ru, tk = t.task_rollups, t.tasks
        found = (
            select(tk.c.plan_id)
            .join(ru, ru.c.task_id == tk.c.id)
            .where(ru.c.computed_for == on)
            .distinct()
            .order_by(tk.c.plan_id)
        )
        return list(await self.session.scalars(found))
