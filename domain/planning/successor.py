"""The successor plan (十五五 after 十四五): what the next plan takes from the one before it.

- Years: the successor starts the year after the old plan ends (no year left to no plan, none planned
  twice) and runs over more than one year (end > start).
- Indicators: code, area, name, unit, nature and direction are copied; the baseline is the old target
  year with the old plan's figure of that year (none observed: empty, and the note says so); the target
  waits for planners (the indicator assesses `no_data` until it is set).
- Tasks (with carry-over): those open on the old plan's last day as history tells it (status then), known
  only once that day is over. Each is copied with its code, title, description, departments, weight and
  indicators (the successor's indicators of the same code), linked to its origin by `carried_from`, and
  starts afresh: `not_started`, no reports, urges or extensions of its own. Its parent is its nearest
  carried ancestor: a carried child whose parent was closed moves up to the nearest open ancestor, or
  becomes a key task of the new plan when none is open.
- Dates: a carried task keeps a start or due date that already lies within the new plan's years;
  otherwise it starts on the new plan's first day and is due on its last day, until planners say better.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from domain.planning.indicators import Direction, Indicator, Nature, Observation
from domain.planning.plan import Plan
from domain.planning.status import TaskStatus
from domain.planning.tasks import Task
from domain.shared.errors import InvalidValue


class OldTask(Protocol):
    """What carrying reads of an old task, as it stood on the old plan's last day."""

    id: str
    parent_id: str | None
    code: str | None
    title: str
    description: str | None
    lead_department_id: str | None
    co_department_ids: list[str]
    start_date: date | None
    due_date: date | None
    weight: Decimal
    status: TaskStatus
    indicator_ids: list[str]

    @property
    def is_open(self) -> bool: ...


def first_day(plan: Plan) -> date:
    return date(plan.start_year, 1, 1)


def last_day(plan: Plan) -> date:
    """The plan's last day, 31 December of its end year: the day its open tasks are read on."""
    return date(plan.end_year, 12, 31)


def successor_plan(old: Plan, *, title: str, start_year: int, end_year: int) -> Plan:
    """The next plan after `old`: it starts the year after `old` ends and ends after it starts (else 422)."""
    plan = Plan(title=title, start_year=start_year, end_year=end_year)
    if plan.start_year != old.end_year + 1:
        raise InvalidValue(
            f"a successor plan starts the year after the plan it follows ends: {old.end_year + 1}",
            f"后续规划须自原规划终止年份的次年({old.end_year + 1}年)起始",
            field="start_year",
        )
    if plan.end_year <= plan.start_year:
        raise InvalidValue(
            "end_year must be after start_year", "后续规划终止年份须晚于起始年份", field="end_year"
        )
    return plan


def check_can_carry(old: Plan, *, today: date) -> None:
    """Which tasks were open at the old plan's end is known only once its last day is over (else 422)."""
    if today <= last_day(old):
        raise InvalidValue(
            f"tasks can be carried over once the plan has ended (after {last_day(old).isoformat()})",
            f"原规划期满({last_day(old).isoformat()})后方可结转未完成任务",
            field="carry_over",
        )


def baseline_note(year: int) -> str:
    """The note an indicator carries when the old plan observed nothing in its baseline year."""
    return f"上一规划未录入{year}年实际值，基期值暂缺"


def successor_indicators(
    plan: Plan, old_indicators: Iterable[Indicator], observations: Iterable[Observation]
) -> dict[str, Indicator]:
    """The old plan's indicators for `plan`, by the old indicator's id, in code order: each based on its
    old target year's figure, with no target yet."""
    observed = {(o.indicator_id, o.year): o.value for o in observations}
    indicators = {}
    for old in sorted(old_indicators, key=lambda i: i.code):
        baseline = observed.get((old.id, old.target_year))
        indicators[old.id] = Indicator(
            plan_id=plan.id,
            code=old.code,
            area=old.area,
            name=old.name,
            unit=old.unit,
            baseline_year=old.target_year,
            baseline_value=baseline,
            target_year=plan.end_year,
            target_value=None,
            nature=Nature(old.nature),
            direction=Direction(old.direction),
            note=None if baseline is not None else baseline_note(old.target_year),
        )
    return indicators


def carried_dates(task: OldTask, plan: Plan) -> tuple[date, date]:
    """A carried task's start and due dates: its own where within `plan`'s years, else the plan's ends."""
    first, last = first_day(plan), last_day(plan)
    start, due = task.start_date, task.due_date
    # A task's own dates are in order (Task.validate), and a default start is the plan's first day: the
    # due date never falls before the start.
    return (
        start if start is not None and first <= start <= last else first,
        due if due is not None and first <= due <= last else last,
    )


def carried_tasks(
    plan: Plan, tasks_on_last_day: Sequence[OldTask], *, indicator_ids: Mapping[str, str]
) -> list[Task]:
    """The tasks open on the old plan's last day, copied into `plan` (parents before their children).

    `tasks_on_last_day` are all the old plan's tasks as they stood that day; `indicator_ids` maps each old
    indicator's id to its successor's.
    """
    by_id = {task.id: task for task in tasks_on_last_day}
    children: dict[str | None, list[OldTask]] = {}
    for task in tasks_on_last_day:
        parent = task.parent_id if task.parent_id in by_id else None
        children.setdefault(parent, []).append(task)
    carried: list[Task] = []
    # Down the old tree from its roots; each task goes under the nearest carried ancestor's copy. A visited
    # set guards against a parent cycle in bad data (such tasks are never reached from a root).
    stack: list[tuple[OldTask, str | None]] = [(root, None) for root in reversed(children.get(None, []))]
    visited: set[str] = set()
    while stack:
        old, new_parent = stack.pop()
        if old.id in visited:
            continue
        visited.add(old.id)
        if old.is_open:
            start, due = carried_dates(old, plan)
            copy = Task.create(
                plan_id=plan.id,
                parent_id=new_parent,
                code=old.code,
                title=old.title,
                description=old.description,
                lead_department_id=old.lead_department_id,
                co_department_ids=list(old.co_department_ids),
                start_date=start,
                due_date=due,
                weight=old.weight,
                indicator_ids=[indicator_ids[i] for i in old.indicator_ids if i in indicator_ids],
                carried_from=old.id,
            )
            carried.append(copy)
            below = copy.id
        else:
            below = new_parent
        stack.extend((child, below) for child in reversed(children.get(old.id, [])))
    return carried
