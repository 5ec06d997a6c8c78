"""A small planning world in memory for the handler ring: the 2021–2025 plan, two departments, the people
who act on it, a fixed day — and expectations standing in for If-Match."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.identity.policy import Principal
from domain.planning.plan import Plan
from domain.planning.tasks import Task
from tests.unit.fakes import FakeUnitOfWork

# Mid-plan, as the API tests' planning day.
TODAY = date(2024, 6, 15)
NOW = datetime(2024, 6, 15, 9, 30, tzinfo=UTC)
LEAD, OTHER = "dept-tech", "dept-economy"

PLANNER = Principal(kind="user", id="u-planner", name="planner", roles=frozenset({"planner"}))
CLERK = Principal(
    kind="user", id="u-clerk", name="clerk", roles=frozenset({"department"}), department_id=LEAD
)
OUTSIDER = Principal(
    kind="user", id="u-outsider", name="outsider", roles=frozenset({"department"}), department_id=OTHER
)
VIEWER = Principal(kind="user", id="u-viewer", name="viewer", roles=frozenset({"viewer"}))


def world() -> FakeUnitOfWork:
    """A unit of work holding the plan `plan` (2021–2025) and the two departments."""
    uow = FakeUnitOfWork()
    uow.plans.items["plan"] = Plan(id="plan", title="“十四五”规划", start_year=2021, end_year=2025)
    uow.tasks.departments |= {LEAD, OTHER}
    return uow


def stored_task(uow: FakeUnitOfWork, task_id: str, **fields: Any) -> Task:
    """A task already in storage (no `task.created` pending), led by LEAD unless told otherwise."""
    values: dict[str, Any] = {"plan_id": "plan", "title": f"任务 {task_id}", "lead_department_id": LEAD}
    values.update(fields)
    task = Task(id=task_id, **values)
    uow.tasks.items[task.id] = task
    return task


class Stale(Exception):
    """What an expectation raises when the caller expected another version (the edge makes it a 412)."""


class Expecting:
    """An If-Match stand-in: remembers what the handler showed it; refuses when built `stale`."""

    def __init__(self, *, stale: bool = False) -> None:
        self.stale = stale
        self.shown: list[Any] = []

    def __call__(self, current: Any) -> None:
        self.shown.append(current)
        if self.stale:
            raise Stale
