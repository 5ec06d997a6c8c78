"""The evaluation report's own rules, without a database: the kind of evaluation, the tasks behind schedule
by lead department, the extensions granted up to a day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.integration.evaluation_report import (
    GrantedExtension,
    behind_schedule,
    granted,
    kind_of,
    tree_order_of,
)
from domain.planning.plan import Plan
from domain.planning.progress import TaskNode
from domain.planning.supervision import Escalation, WarningLight
from tests.unit.planning.builders import PLAN, task


def node(code: str, light: WarningLight, *, lead: str | None = None, children=(), **fields) -> TaskNode:
    return TaskNode(
        task=task(id=f"t{code}", code=code, lead_department_id=lead, **fields),
        children=list(children),
        progress=Decimal(0),
        warning=light,
        overdue=light is WarningLight.RED,
        escalation=Escalation.NONE,
    )


@pytest.mark.parametrize(
    ("year", "kind"),
    [(2021, "annual"), (2022, "annual"), (2023, "mid_term"), (2024, "annual"), (2025, "final")],
)
def test_the_kind_of_evaluation_follows_the_year(year, kind):
    assert kind_of(PLAN, year) == kind


def test_a_six_year_plan_has_its_middle_in_its_third_year():
    assert kind_of(Plan(title="x", start_year=2026, end_year=2031), 2028) == "mid_term"


def test_tasks_behind_schedule_are_grouped_by_department_name_without_a_lead_last():
    tree = [
        node(
            "1",
            WarningLight.RED,
            lead="b",
            children=[
                node("1.1", WarningLight.GREEN, lead="a"),
                node("1.2", WarningLight.YELLOW, lead="a"),
                node("1.3", WarningLight.RED),
                node("1.4", WarningLight.DONE, lead="a"),
            ],
        ),
        node("2", WarningLight.YELLOW, lead="a"),
    ]
    nodes = list(tree_order_of(tree))
    assert [n.task.code for n in nodes] == ["1", "1.1", "1.2", "1.3", "1.4", "2"]
    groups = behind_schedule(nodes, {"a": "经济发展局", "b": "科技创新局"})
    assert [(g.lead_department_id, [n.task.code for n in g.tasks]) for g in groups] == [
        ("b", ["1"]),  # 科技创新局 sorts before 经济发展局
        ("a", ["1.2", "2"]),
        (None, ["1.3"]),
    ]
    assert behind_schedule([node("9", WarningLight.GREEN)], {}) == []


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)  # 10:00 in Asia/Shanghai


def test_extensions_granted_name_the_due_date_they_replaced_and_stop_at_the_day():
    extended = node("1", WarningLight.YELLOW, due_date=date(2025, 6, 30), original_due_date=date(2024, 6, 30))
    nodes = {"t1": extended}
    extensions = [
        GrantedExtension("r2", "t1", date(2025, 6, 30), at(date(2024, 12, 1)), None),
        GrantedExtension("r1", "t1", date(2024, 12, 31), at(date(2024, 5, 1)), "顺延"),
        GrantedExtension(
            "r9", "elsewhere", date(2024, 12, 31), at(date(2024, 5, 1)), None
        ),  # not in the tree
    ]
    every = granted(extensions, nodes, until=date(2025, 12, 31))
    assert [(x.request_id, x.previous_due_date, x.new_due_date, x.decided_on) for x in every] == [
        ("r1", date(2024, 6, 30), date(2024, 12, 31), date(2024, 5, 1)),
        ("r2", date(2024, 12, 31), date(2025, 6, 30), date(2024, 12, 1)),
    ]
    assert [x.request_id for x in granted(extensions, nodes, until=date(2024, 11, 30))] == ["r1"]
    # decided at 23:30 UTC on 30 November: 1 December in Asia/Shanghai, after a day ending 30 November
    late = [GrantedExtension("r3", "t1", date(2025, 6, 30), datetime(2024, 11, 30, 23, 30, tzinfo=UTC), None)]
    assert granted(late, nodes, until=date(2024, 11, 30)) == []
