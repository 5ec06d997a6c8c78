"""The year-end rules: which days are stored, and how far back each write reaches (at, just under and just
over each boundary)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.planning.progress import TaskTree
from domain.planning.reports import ProgressReport
from domain.planning.status import TaskStatus, Transition
from domain.planning.tasks import Task
from domain.planning.workflow import ExtensionRequest, Urge
from domain.planning.year_ends import EVERY_DAY, YearEndTrees, closed_year_ends, reached_by, reaches_stored


def test_a_year_end_is_stored_once_it_is_past():
    assert closed_year_ends(2021, 2025, date(2025, 12, 31)) == [date(y, 12, 31) for y in range(2021, 2025)]
    assert closed_year_ends(2021, 2025, date(2026, 1, 1))[-1] == date(2025, 12, 31)
    assert closed_year_ends(2021, 2025, date(2021, 12, 31)) == []
    assert closed_year_ends(2021, 2025, date(2030, 6, 1)) == [date(y, 12, 31) for y in range(2021, 2026)]


@pytest.mark.parametrize(
    ("earliest", "today", "reaches"),
    [
        (date(2025, 12, 31), date(2026, 12, 6), True),  # at the last stored day
        (date(2025, 12, 30), date(2026, 12, 6), True),  # under it
        (date(2026, 1, 1), date(2026, 12, 6), False),  # just over: no day of this year is stored
        (date(2026, 12, 1), date(2026, 12, 30), False),  # a report of this month, on 30 December
        (date(2026, 12, 1), date(2026, 12, 31), True),  # on 31 December a sweep at midnight may store today
        (date(2026, 12, 31), date(2027, 1, 1), True),  # the day just stored
        (date(2027, 1, 1), date(2027, 1, 1), False),
        (EVERY_DAY, date(2026, 12, 6), True),
        (None, date(2026, 12, 6), False),
    ],
)
def test_a_reach_touches_stored_rows_only_up_to_the_last_day_stored(earliest, today, reaches):
    assert reaches_stored(earliest, today) is reaches


def report(period: str) -> ProgressReport:
    at = datetime(2026, 12, 6, 3, tzinfo=UTC)
    return ProgressReport(task_id="t", period=period, percent=Decimal(50), summary="进展", filed_at=at)


def test_a_report_reaches_back_to_the_first_day_of_its_month_or_of_the_month_it_had():
    assert reached_by(report("2025-12"), None) == date(2025, 12, 1)
    assert reached_by(report("2026-12"), {"returned": False}) == date(2026, 12, 1)
    assert reached_by(report("2026-12"), {"period": "2025-11"}) == date(2025, 11, 1)


def test_a_dated_record_reaches_back_to_its_day_in_the_zone():
    move = Transition(
        task_id="t",
        seq=2,
        action="complete",
        from_status=TaskStatus.IN_PROGRESS,
        to_status=TaskStatus.COMPLETED,
        on=date(2025, 12, 31),
        at=datetime(2026, 12, 6, tzinfo=UTC),
    )
    assert reached_by(move, None) == date(2025, 12, 31)
    # 16:00 UTC on 31 December is already 1 January in Asia/Shanghai, 15:59 is not
    assert reached_by(Urge(task_id="t", at=datetime(2025, 12, 31, 16, tzinfo=UTC)), None) == date(2026, 1, 1)
    assert reached_by(Urge(task_id="t", at=datetime(2025, 12, 31, 15, 59, tzinfo=UTC)), None) == date(
        2025, 12, 31
    )
    asked = ExtensionRequest(task_id="t", new_due_date=date(2026, 6, 30), reason="延期")
    assert reached_by(asked, None) is None  # undecided: the replay reads approved decisions only
    asked.decided_at = datetime(2026, 12, 6, 2, tzinfo=UTC)
    assert reached_by(asked, {"status": "pending", "decided_at": None}) == date(2026, 12, 6)


def test_a_task_reaches_every_day_unless_only_dated_fields_change():
    task = Task(plan_id="p", title="任务")
    assert reached_by(task, None) == EVERY_DAY  # made or deleted
    assert reached_by(task, {"status": "not_started", "urge_count": 0, "version": 3}) is None  # dated: moves
    fields = ("weight", "parent_id", "start_date", "due_date", "original_due_date", "plan_id", "code")
    # the title and description too: a kept tree holds them (YearEndTrees)
    for field in (*fields, "title", "description", "lead_department_id", "indicator_ids"):
        assert reached_by(task, {field: None}) == EVERY_DAY, field
    assert reached_by(object(), None) is None


def test_the_kept_trees_are_found_by_their_stamp_and_the_least_recently_used_goes_first():
    trees, day = YearEndTrees(size=2), date(2025, 12, 31)
    a, b, c = (TaskTree(roots=[], nodes={}) for _ in range(3))
    trees.put("p", day, "s1", a)
    trees.put("p", day, "s2", b)
    assert trees.get("p", day, "s1") is a  # now the most recently used
    assert trees.get("p", day, "s3") is None and trees.get("q", day, "s1") is None
    trees.put("p", day, "s3", c)
    assert [trees.get("p", day, s) for s in ("s1", "s2", "s3")] == [a, None, c]
