"""The stored year-end roll-ups (`task_year_ends`, domain/planning/year_ends.py)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import fields
from datetime import date
from decimal import Decimal
from functools import lru_cache
from uuid import uuid4

import orjson
from sqlalchemy import ColumnElement, Table, Text, and_, cast, delete, func, select, type_coerce

from domain.planning.progress import TaskRecord
from domain.planning.status import TaskStatus
from domain.planning.supervision import Escalation, WarningLight
from domain.planning.year_ends import Stood, TaskYearEnd
from infrastructure.db.tables import planning as t
from infrastructure.db.types import read_decimal
from infrastructure.repositories.base import Reader

_Y = t.task_year_ends
_STAMPS = t.task_year_end_stamps
_COLUMNS = (
    _Y.c.task_id,
    _Y.c.day,
    _Y.c.status,
    _Y.c.due_date,
    _Y.c.original_due_date,
    _Y.c.urge_count,
    _Y.c.progress,
    _Y.c.warning,
    _Y.c.overdue,
    _Y.c.escalation,
)


_NODE_COLUMNS = (_Y.c.progress, _Y.c.warning, _Y.c.overdue, _Y.c.escalation)
_STOOD = {"status", "due_date", "original_due_date", "urge_count"}  # the task's fields the row holds
_TASK = t.tasks


@lru_cache(maxsize=16384)
def _ids(text: str) -> tuple[str, ...]:
    return tuple(orjson.loads(text))


def _id_list(text: str) -> list[str]:
    return list(_ids(text))  # a list of its own for each record


# The two id lists and the weight are read as text and decoded here, each text once per process: a plan's
# 5,000 tasks repeat a few hundred of them, and the driver's JSON and NUMERIC conversions of each row cost
# more than the look-up (about a tenth of the evaluation's read of the year).
_DECODED = {"co_department_ids": _id_list, "indicator_ids": _id_list, "weight": read_decimal}


def _stood_column(name: str):
    """A task record's column: those a year's end replays from its row (a LEFT JOIN: NULL where none)."""
    if name in _STOOD:
        return type_coerce(_Y.c[name], _TASK.c[name].type)
    if name in _DECODED:
        return cast(_TASK.c[name], Text)
    return _TASK.c[name]


_STOOD_COLUMNS = [_stood_column(f.name) for f in fields(TaskRecord)]
_DECODERS = [(i, _DECODED[f.name]) for i, f in enumerate(fields(TaskRecord)) if f.name in _DECODED]


# By value (a status already read as TaskStatus is found too: it is its value): a dict look-up costs a tenth
# of calling the enum, for each of a plan's thousands of rows.
_STATUS = {s.value: s for s in TaskStatus}
_WARNING = {w.value: w for w in WarningLight}
_ESCALATION = {e.value: e for e in Escalation}


def _year_end(row) -> TaskYearEnd:
    task_id, day, status, due, original, urges, progress, warning, overdue, escalation = row
    return TaskYearEnd(
        task_id,
        day,
        _STATUS[status],
        due,
        original,
        urges,
        Decimal(progress),
        _WARNING[warning],
        overdue,
        _ESCALATION[escalation],
    )


def _row(plan_id: str, year_end: TaskYearEnd) -> dict:
    return {
        "task_id": year_end.task_id,
        "day": year_end.day,
        "plan_id": plan_id,
        "status": year_end.status.value,
        "due_date": year_end.due_date,
        "original_due_date": year_end.original_due_date,
        "urge_count": year_end.urge_count,
        "progress": str(year_end.progress),  # exact, as task_rollups
        "warning": year_end.warning.value,
        "overdue": year_end.overdue,
        "escalation": year_end.escalation.value,
    }


class TaskYearEndRepository(Reader):
    """`task_year_ends`: a plan's rows of a day written whole by the sweep, deleted by writes reaching back;
    `task_year_end_stamps`: each such day's stamp, written and deleted with its rows.

    On PostgreSQL the plan's row is the lock between the two: the sweep holds it (FOR NO KEY UPDATE, which
    a new task's foreign key check does not wait for) from before it replays the day until it commits, and a
    write reaching back holds it (FOR SHARE) before it deletes. Either the write waits and then deletes what
    the sweep stored, or the sweep waits and then replays the write. SQLite runs one writer at a time.
    """

    def _postgresql(self) -> bool:
        return self.session.bind.dialect.name == "postgresql"

    async def of_plan(self, plan_id: str, day: date) -> dict[str, TaskYearEnd]:
        rows = await self.session.execute(select(*_COLUMNS).where(_Y.c.plan_id == plan_id, _Y.c.day == day))
        return {row[0]: _year_end(row) for row in rows}

    async def stood_on(self, plan_id: str, day: date) -> Stood | None:
        statement = (
            select(*_STOOD_COLUMNS, *_NODE_COLUMNS)
            .select_from(_TASK)
            .outerjoin(_Y, and_(_Y.c.task_id == _TASK.c.id, _Y.c.day == day))
            .where(_TASK.c.plan_id == plan_id)
        )
        width, records, rows = len(_STOOD_COLUMNS), [], {}
        for row in await self.session.execute(statement):
            progress, warning, overdue, escalation = row[width:]
            if progress is None:
                return None  # a task without its row: not stored whole
            values = list(row[:width])
            for i, decode in _DECODERS:
                if values[i] is not None:
                    values[i] = decode(values[i])
            record = TaskRecord(*values)
            records.append(record)
            due, original = record.due_date, record.original_due_date  # the stood fields: the row's
            stood = (record.id, day, record.status, due, original, record.urge_count)
            rows[record.id] = _year_end((*stood, progress, warning, overdue, escalation))
        return (records, rows) if records else None

    async def stamp(self, plan_id: str, day: date) -> str | None:
        statement = select(_STAMPS.c.stamp).where(_STAMPS.c.plan_id == plan_id, _STAMPS.c.day == day)
        return await self.session.scalar(statement)

    async def days_of_plan(self, plan_id: str) -> dict[date, int]:
        statement = select(_Y.c.day, func.count()).where(_Y.c.plan_id == plan_id).group_by(_Y.c.day)
        return {day: count for day, count in await self.session.execute(statement)}

    async def hold(self, plan_id: str) -> None:
        if self._postgresql():
            plans = t.plans
            await self.session.execute(
                select(plans.c.id).where(plans.c.id == plan_id).with_for_update(key_share=True)
            )

    async def replace(self, plan_id: str, day: date, rows: Collection[TaskYearEnd]) -> None:
        await self._delete(lambda table: [table.c.plan_id == plan_id, table.c.day == day])
        rows = list(rows)
        for start in range(0, len(rows), 1000):  # bounded statements for a plan of thousands of tasks
            await self.session.execute(_Y.insert(), [_row(plan_id, r) for r in rows[start : start + 1000]])
        await self.session.execute(_STAMPS.insert().values(plan_id=plan_id, day=day, stamp=uuid4().hex))

    async def _delete(self, days: Callable[[Table], list[ColumnElement[bool]]]) -> None:
        """Delete the rows and the stamps of the days chosen (`days` names them on either table)."""
        for table in (_Y, _STAMPS):
            await self.session.execute(delete(table).where(*days(table)))

    async def forget(self, task_ids: Collection[str], since: date, plan_ids: Collection[str] = ()) -> None:
        plans, tasks = t.plans, t.tasks
        of_tasks = select(tasks.c.plan_id).where(tasks.c.id.in_(list(task_ids)))
        found = set(plan_ids) | set(await self.session.scalars(of_tasks) if task_ids else ())
        if not found:
            return
        if self._postgresql():
            held = select(plans.c.id).where(plans.c.id.in_(sorted(found))).order_by(plans.c.id)
            await self.session.execute(held.with_for_update(read=True))
        await self._delete(lambda table: [table.c.plan_id.in_(sorted(found)), table.c.day >= since])
