"""The year-end rows a unit of work's writes reach back to, deleted at its commit (planning/year_ends.py).

The before-flush step hands every object about to be written or deleted to `YearEndKeeper.note`, which asks
the domain how far back each reaches (`reached_by`, given the old values of the fields changed). At commit,
when the earliest day reached may have stored rows (`reaches_stored`), the rows of the plans concerned from
that day on are deleted in the same transaction; the next daily sweep stores them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import inspect

from domain.planning.tasks import Task
from domain.planning.year_ends import REPLAYED, TaskYearEndStore, reached_by, reaches_stored


def _before(obj: object) -> dict[str, Any]:
    """The old value of each field of a loaded object that this flush changes."""
    changed = {}
    for attribute in inspect(obj).attrs:
        history = attribute.history
        if history.has_changes():
            changed[attribute.key] = history.deleted[0] if history.deleted else None
    return changed


class YearEndKeeper:
    """The tasks and plans whose past a unit's writes reach, and the earliest day reached."""

    def __init__(self) -> None:
        self.task_ids: set[str] = set()
        self.plan_ids: set[str] = set()
        self.since: date | None = None

    def note(self, made_or_gone: Iterable[object], changed: Iterable[object]) -> None:
        """Note the objects about to be inserted or deleted, and those about to be updated."""
        noted = [*((o, None) for o in made_or_gone if isinstance(o, REPLAYED))]
        noted += [(o, _before(o)) for o in changed if isinstance(o, REPLAYED)]
        for obj, before in noted:
            day = reached_by(obj, before)
            if day is None:
                continue
            self.since = day if self.since is None else min(self.since, day)
            if isinstance(obj, Task):
                self.plan_ids.add(obj.plan_id)
                if before and before.get("plan_id"):
                    self.plan_ids.add(before["plan_id"])
            else:
                self.task_ids.add(obj.task_id)

    async def forget(self, store: TaskYearEndStore, today: date) -> None:
        """Delete the rows the noted writes reach (after the last flush, before the commit)."""
        since, self.since = self.since, None
        task_ids, plan_ids = self.task_ids, self.plan_ids
        self.task_ids, self.plan_ids = set(), set()
        if since is not None and reaches_stored(since, today):
            await store.forget(task_ids, since, plan_ids)
