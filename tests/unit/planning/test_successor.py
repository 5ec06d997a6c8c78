"""The successor plan (DOMAIN.md): its years, its indicators' baselines, and which tasks carry over, where."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.planning.assessment import AssessmentStatus, assess
from domain.planning.history import TaskHistory, task_as_of
from domain.planning.indicators import Direction, Nature
from domain.planning.plan import Plan
from domain.planning.progress import TaskRecord
from domain.planning.successor import (
    carried_tasks,
    check_can_carry,
    successor_indicators,
    successor_plan,
)
from domain.planning.tasks import TaskStatus, Transition
from domain.shared.errors import InvalidValue

from .builders import PLAN, indicator, observation

S = TaskStatus
NEXT = Plan(id="next", title="十五五规划", start_year=2026, end_year=2030)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (2025, 2030, "start_year"),
        (2027, 2031, "start_year"),
        (2020, 2024, "start_year"),
        (2026, 2026, "end_year"),
    ],
)
def test_a_successor_starts_the_year_after_the_old_plan_and_lasts_beyond_its_first_year(start, end, field):
    with pytest.raises(InvalidValue) as refused:
        successor_plan(PLAN, title="十五五规划", start_year=start, end_year=end)
    assert refused.value.field == field


def test_the_successor_of_2021_2025_may_be_2026_2030():
    plan = successor_plan(PLAN, title=" 十五五规划 ", start_year=2026, end_year=2030)
    assert (plan.title, plan.start_year, plan.end_year) == ("十五五规划", 2026, 2030)
    assert plan.id != PLAN.id


@pytest.mark.parametrize(("today", "allowed"), [(date(2025, 12, 31), False), (date(2026, 1, 1), True)])
def test_tasks_carry_over_only_once_the_old_plans_last_day_is_over(today, allowed):
    if allowed:
        check_can_carry(PLAN, today=today)
        return
    with pytest.raises(InvalidValue) as refused:
        check_can_carry(PLAN, today=today)
    assert refused.value.field == "carry_over"


def test_an_indicator_is_based_on_the_old_target_years_figure_and_waits_for_its_target():
    gdp = indicator(baseline="95.3", target="147", code=2)
    energy = indicator(baseline="0.5", target="0.4", code=23, direction=Direction.DOWN, nature=Nature.BINDING)
    observed = [
        observation(gdp, 2024, "150"),
        observation(gdp, 2025, "158.2"),
        observation(energy, 2024, "0.41"),
    ]

    made = successor_indicators(NEXT, [energy, gdp], observed)

    assert list(made) == [gdp.id, energy.id]  # by the old indicator, in code order
    new_gdp, new_energy = made[gdp.id], made[energy.id]
    assert (new_gdp.plan_id, new_gdp.code, new_gdp.area, new_gdp.name, new_gdp.unit) == (
        "next",
        2,
        gdp.area,
        gdp.name,
        gdp.unit,
    )
    assert (new_gdp.baseline_year, new_gdp.baseline_value, new_gdp.note) == (2025, Decimal("158.2"), None)
    assert (new_gdp.target_year, new_gdp.target_value) == (2030, None)
    assert new_gdp.id != gdp.id
    # Only the old target year's figure is a baseline: 2024's is not taken in its place.
    assert (new_energy.baseline_year, new_energy.baseline_value) == (2025, None)
    assert new_energy.note is not None and "2025" in new_energy.note
    assert (new_energy.nature, new_energy.direction) == (Nature.BINDING, Direction.DOWN)


def test_an_indicator_without_a_target_assesses_no_data_even_when_observed():
    [new_gdp] = successor_indicators(
        NEXT, [gdp := indicator(baseline="95.3", target="147")], [observation(gdp, 2025, "158")]
    ).values()
    figure = observation(new_gdp, 2026, "170")

    result = assess(new_gdp, [figure], 2026, plan=NEXT)

    assert result.status is AssessmentStatus.NO_DATA
    assert (result.actual_value, result.expected_value, result.completion_ratio) == (Decimal(170), None, None)
    assert result.required_annual_growth is None


AT = datetime(2026, 1, 20, tzinfo=UTC)


def record(ident: str, parent: str | None = None, **fields: object) -> TaskRecord:
    values: dict[str, object] = {
        "plan_id": "plan",
        "title": f"任务{ident}",
        "code": ident,
        "start_date": date(2021, 1, 1),
        "due_date": date(2025, 12, 31),
    }
    values.update(fields)
    return TaskRecord(id=ident, parent_id=parent, **values)  # type: ignore[arg-type]


def closed_on(task: TaskRecord, to: TaskStatus, on: date) -> TaskHistory:
    return TaskHistory(
        moves=[
            Transition(
                task_id=task.id, seq=1, action="x", from_status=S.NOT_STARTED, to_status=to, on=on, at=AT
            )
        ]
    )


def on_last_day(tasks: list[TaskRecord], histories: dict[str, TaskHistory]) -> list[TaskRecord]:
    return [task_as_of(t, histories.get(t.id, TaskHistory()), date(2025, 12, 31)) for t in tasks]


def test_the_tasks_open_on_the_old_plans_last_day_carry_over_and_those_closed_by_then_do_not():
    done_in_time = record("1", status=S.COMPLETED)
    done_later = record("2", status=S.COMPLETED)  # completed in January 2026: still open on 31 December
    cancelled = record("3", status=S.CANCELLED)
    running = record("4", status=S.IN_PROGRESS)
    histories = {
        "1": closed_on(done_in_time, S.COMPLETED, date(2025, 12, 31)),
        "2": closed_on(done_later, S.COMPLETED, date(2026, 1, 10)),
        "3": closed_on(cancelled, S.CANCELLED, date(2024, 5, 1)),
        "4": closed_on(running, S.IN_PROGRESS, date(2023, 3, 1)),
    }

    carried = carried_tasks(
        NEXT, on_last_day([done_in_time, done_later, cancelled, running], histories), indicator_ids={}
    )

    assert sorted(t.carried_from for t in carried) == ["2", "4"]
    # Each starts afresh in the new plan: its own history begins there.
    assert all(t.status is S.NOT_STARTED and t.plan_id == "next" for t in carried)
    assert all(t.id not in {"2", "4"} for t in carried)


def test_a_carried_task_keeps_its_fields_and_takes_the_successors_indicators_of_its_indicators():
    old = record(
        "5.3",
        title="建设科技企业孵化器",
        description="新增孵化面积",
        lead_department_id="kcj",
        co_department_ids=["fgj"],
        weight=Decimal(2),
        indicator_ids=["old-7", "gone"],
    )
    [copy] = carried_tasks(NEXT, [old], indicator_ids={"old-7": "new-7"})
    assert (copy.code, copy.title, copy.description, copy.lead_department_id, copy.co_department_ids) == (
        "5.3",
        "建设科技企业孵化器",
        "新增孵化面积",
        "kcj",
        ["fgj"],
    )
    assert (copy.weight, copy.indicator_ids, copy.carried_from) == (Decimal(2), ["new-7"], "5.3")
    [created] = copy.pull_events()
    assert (created.type, created.data["plan_id"], created.data["code"]) == ("task.created", "next", "5.3")


def test_the_structure_is_kept_and_a_child_of_a_closed_parent_moves_up_to_its_nearest_carried_ancestor():
    tasks = [
        record("4"),
        record("4.1", "4", status=S.COMPLETED),  # closed, with an open child (reopened after)
        record("4.1.1", "4.1"),
        record("4.2", "4"),
        record("5", status=S.CANCELLED),
        record("5.1", "5"),
        record("5.1.1", "5.1"),
    ]
    carried = carried_tasks(NEXT, tasks, indicator_ids={})

    by_origin = {t.carried_from: t for t in carried}
    assert sorted(by_origin) == ["4", "4.1.1", "4.2", "5.1", "5.1.1"]
    parent = {origin: t.parent_id for origin, t in by_origin.items()}
    assert parent["4"] is None
    assert parent["4.2"] == by_origin["4"].id
    assert parent["4.1.1"] == by_origin["4"].id  # its parent 4.1 closed: under 4, the nearest open
    assert parent["5.1"] is None  # no open ancestor: a key task of the new plan
    assert parent["5.1.1"] == by_origin["5.1"].id
    # Parents come before their children (the order they are stored in).
    position = {t.id: n for n, t in enumerate(carried)}
    assert all(position[t.parent_id] < position[t.id] for t in carried if t.parent_id is not None)


@pytest.mark.parametrize(
    ("start", "due", "expected"),
    [
        (date(2021, 1, 1), date(2025, 6, 30), (date(2026, 1, 1), date(2030, 12, 31))),
        (None, None, (date(2026, 1, 1), date(2030, 12, 31))),
        (date(2023, 4, 1), date(2026, 6, 30), (date(2026, 1, 1), date(2026, 6, 30))),  # extended into 2026
        (date(2026, 3, 1), date(2031, 6, 30), (date(2026, 3, 1), date(2030, 12, 31))),
    ],
)
def test_a_carried_task_is_dated_within_the_new_plan(start, due, expected):
    [copy] = carried_tasks(NEXT, [record("6", start_date=start, due_date=due)], indicator_ids={})
    assert (copy.start_date, copy.due_date) == expected
    assert copy.original_due_date is None and copy.urge_count == 0
