"""A task's history: its moves (状态变更), and what the state on a past day reads (DOMAIN.md, History)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import Select, select, true

from domain.planning.history import TaskHistory
from domain.planning.status import TaskStatus
from domain.planning.tasks import Transition
from domain.planning.workflow import ExtensionStatus
from domain.shared.clock import start_of
from infrastructure.db.tables import planning as t
from infrastructure.repositories.base import Reader, Repository


class MoveRecord(NamedTuple):
    """What the state on a date reads of a move (history.Move), read by column."""

    on: date
    seq: int
    to_status: TaskStatus


class TransitionRepository(Repository):
    entity = Transition

    async def last_of(self, task_id: str) -> Transition | None:
        """The task's latest move (None before any): the next one may not be dated before it."""
        statement = select(Transition).where(Transition.task_id == task_id).order_by(Transition.seq.desc())
        return await self._one(statement.limit(1))

    async def of_task(self, task_id: str) -> list[Transition]:
        """Every move of the task, in the order they were made."""
        statement = select(Transition).where(Transition.task_id == task_id).order_by(Transition.seq)
        return await self._all(statement)

    async def of_tasks(self, task_ids: Collection[str]) -> dict[str, list[Transition]]:
        """Every move of the tasks, by task, each task's in order."""
        moves: dict[str, list[Transition]] = defaultdict(list)
        statement = select(Transition).where(Transition.task_id.in_(list(task_ids)))
        for move in await self._all(statement.order_by(Transition.task_id, Transition.seq)):
            moves[move.task_id].append(move)
        return dict(moves)

    async def of_plan(self, plan_id: str) -> dict[str, list[Transition]]:
        """Every move of the plan's tasks, by task (the ledger's actual dates)."""
        ids = select(t.tasks.c.id).where(t.tasks.c.plan_id == plan_id)
        moves: dict[str, list[Transition]] = defaultdict(list)
        statement = select(Transition).where(Transition.task_id.in_(ids))
        for move in await self._all(statement.order_by(Transition.task_id, Transition.seq)):
            moves[move.task_id].append(move)
        return dict(moves)


class TaskHistoryReader(Reader):
    """The records a task's state on a past day D reads, for many tasks in three queries."""

    async def as_of(self, task_ids: Collection[str] | Select, on: date) -> dict[str, TaskHistory]:
        """For each task with anything dated ≤ `on`: its last move dated ≤ `on` (one probe a task on
        `ix_task_transitions_as_of`), its urges and its approved extensions dated ≤ `on`. A task absent
        from the answer has none of them: `TaskHistory()` is its history on that day.
        """
        ids = (
            task_ids
            if isinstance(task_ids, Select)
            else select(t.tasks.c.id).where(t.tasks.c.id.in_(list(task_ids)))
        )
        ids = ids.subquery("ids")
        before = start_of(on + timedelta(days=1))  # dated ≤ on: earlier than the next day's first moment
        tt, u, x = t.task_transitions, t.urges, t.extension_requests

        def last(*columns):
            """A task's last move dated ≤ `on`: its `columns`."""
            return (
                select(*columns)
                .where(tt.c.task_id == ids.c.id, tt.c["on"] <= on)
                .order_by(tt.c["on"].desc(), tt.c.seq.desc())
                .limit(1)
            )

        moves: dict[str, list[MoveRecord]] = defaultdict(list)
        if self.session.bind.dialect.name == "postgresql":
            # LATERAL reads the move in the same probe: index-only on ix_task_transitions_as_of.
            top = last(tt.c.task_id, tt.c["on"], tt.c.seq, tt.c.to_status).lateral("last")
            statement = select(*top.c).select_from(ids).join(top, true())
        else:
            statement = select(tt.c.task_id, tt.c["on"], tt.c.seq, tt.c.to_status).where(
                tt.c.id.in_(select(last(tt.c.id).scalar_subquery()).select_from(ids))
            )
        for row in await self.session.execute(statement):
            moves[row[0]].append(MoveRecord(row[1], row[2], row[3]))
        urged = defaultdict(list)
        statement = select(u.c.task_id, u.c.at).where(u.c.task_id.in_(select(ids.c.id)), u.c.at < before)
        for row in await self.session.execute(statement):
            urged[row[0]].append(row[1])
        extended = defaultdict(list)
        statement = select(x.c.task_id, x.c.decided_at, x.c.new_due_date).where(
            x.c.task_id.in_(select(ids.c.id)),
            x.c.status == ExtensionStatus.APPROVED,
            x.c.decided_at < before,
        )
        for row in await self.session.execute(statement):
            extended[row[0]].append((row[1], row[2]))
        return {
            task_id: TaskHistory(moves.get(task_id, ()), urged.get(task_id, ()), extended.get(task_id, ()))
            for task_id in {*moves, *urged, *extended}
        }
