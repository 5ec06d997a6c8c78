"""The successor plan's handler without a database: what it writes, what it carries, what it leaves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.planning.handlers.successor import create_successor
from domain.planning.indicators import Indicator, Observation
from domain.planning.tasks import TaskStatus, Transition
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.handlers.planning.world import stored_task, world

AFTER_THE_END = date(2026, 3, 1)
SUCCESSOR = {"title": "“十五五”规划", "start_year": 2026, "end_year": 2030}


def moved(task_id: str, seq: int, action: str, before: TaskStatus, after: TaskStatus, on: date) -> Transition:
    at = datetime(on.year, on.month, on.day, 9, tzinfo=UTC)
    return Transition(
        task_id=task_id, seq=seq, action=action, from_status=before, to_status=after, on=on, at=at
    )


def ended_plan():
    """The 2021–2025 plan after its end: two indicators (one observed in 2025), and four tasks — a key task
    open at the end, a closed one with an open child, and one completed only in 2026."""
    uow = world()
    for code, observed in ((1, {2024: "90", 2025: "101.5"}), (2, {2024: "7"})):
        indicator = Indicator(
            id=f"ind-{code}",
            plan_id="plan",
            code=code,
            area="经济发展",
            name=f"指标{code}",
            unit="亿元",
            baseline_value=Decimal(50),
            target_value=Decimal(100),
        )
        uow.indicators.items[indicator.id] = indicator
        for year, value in observed.items():
            row = Observation(indicator_id=indicator.id, year=year, value=Decimal(value))
            uow.observations.items[row.id] = row
    open_key = stored_task(uow, "t-open", code="4", status=TaskStatus.IN_PROGRESS, indicator_ids=["ind-1"])
    closed = stored_task(uow, "t-closed", code="5", status=TaskStatus.COMPLETED)
    stored_task(uow, "t-child", code="5.1", parent_id=closed.id, status=TaskStatus.IN_PROGRESS)
    stored_task(uow, "t-late", code="6", status=TaskStatus.COMPLETED)
    begun, done = TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS
    for move in (
        moved(open_key.id, 1, "start", begun, done, date(2022, 4, 1)),
        moved("t-closed", 1, "start", begun, done, date(2021, 6, 1)),
        moved("t-closed", 2, "complete", done, TaskStatus.COMPLETED, date(2024, 9, 30)),
        moved("t-child", 1, "start", begun, done, date(2023, 2, 1)),
        moved("t-late", 1, "start", begun, done, date(2023, 5, 1)),
        moved("t-late", 2, "complete", done, TaskStatus.COMPLETED, date(2026, 1, 20)),
    ):
        uow.task_transitions.items[f"{move.task_id}-{move.seq}"] = move
    return uow


async def test_the_successor_starts_from_the_old_plans_last_figures_with_targets_left_open():
    uow = ended_plan()
    plan = await create_successor("plan", SUCCESSOR, today=AFTER_THE_END, uow=uow)
    assert (plan.title, plan.start_year, plan.end_year) == ("“十五五”规划", 2026, 2030)
    new = sorted((i for i in uow.indicators.items.values() if i.plan_id == plan.id), key=lambda i: i.code)
    assert [(i.code, i.baseline_year, i.baseline_value, i.target_value) for i in new] == [
        (1, 2025, Decimal("101.5"), None),
        (2, 2025, None, None),  # nothing observed for 2025: no other year stands in
    ]
    assert new[1].note and new[0].target_year == 2030
    assert uow.commits == 1 and not any(t.plan_id == plan.id for t in uow.tasks.items.values())


async def test_carry_over_copies_what_was_open_on_the_last_day_linked_to_its_origin():
    uow = ended_plan()
    plan = await create_successor("plan", SUCCESSOR | {"carry_over": True}, today=AFTER_THE_END, uow=uow)
    carried = {t.carried_from: t for t in uow.tasks.items.values() if t.plan_id == plan.id}
    # t-late was completed in January 2026, so it still stood open on 31 December 2025
    assert set(carried) == {"t-open", "t-child", "t-late"}
    assert all(t.status is TaskStatus.NOT_STARTED for t in carried.values())
    assert carried["t-child"].parent_id is None  # its parent was closed: it becomes a key task
    assert (carried["t-open"].start_date, carried["t-open"].due_date) == (
        date(2026, 1, 1),
        date(2030, 12, 31),
    )
    new_indicator = next(i for i in uow.indicators.items.values() if i.plan_id == plan.id and i.code == 1)
    assert carried["t-open"].indicator_ids == [new_indicator.id]
    assert uow.tasks.items["t-open"].status is TaskStatus.IN_PROGRESS  # the original left as it stood
    assert sorted(uow.published_types()) == ["task.created"] * 3


async def test_carrying_before_the_old_plan_has_ended_is_refused_and_nothing_is_written():
    uow = ended_plan()
    with pytest.raises(InvalidValue):
        await create_successor("plan", SUCCESSOR | {"carry_over": True}, today=date(2025, 12, 31), uow=uow)
    assert uow.commits == 0


@pytest.mark.parametrize(("start_year", "end_year"), [(2025, 2030), (2027, 2030), (2026, 2026), (2026, 2025)])
async def test_years_that_leave_a_gap_overlap_or_end_before_they_start_are_refused(start_year, end_year):
    uow = ended_plan()
    data = SUCCESSOR | {"start_year": start_year, "end_year": end_year}
    with pytest.raises(InvalidValue):
        await create_successor("plan", data, today=AFTER_THE_END, uow=uow)
    assert uow.commits == 0 and len(uow.plans.items) == 1


async def test_the_successor_of_an_unknown_plan_is_not_found():
    with pytest.raises(NotFound):
        await create_successor("nope", SUCCESSOR, today=AFTER_THE_END, uow=world())
