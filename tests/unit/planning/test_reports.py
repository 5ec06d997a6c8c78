from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.planning.reports import file_report, return_report
from domain.planning.tasks import TaskStatus
from domain.shared.errors import Conflict, IllegalTransition, InvalidValue

from .builders import in_state
from .builders import report as build_report

ON = date(2024, 3, 20)
FILED = datetime(2024, 3, 20, 2, 0, tzinfo=UTC)  # 10:00 on ON in Asia/Shanghai
AT = datetime(2024, 3, 21, 9, 30, tzinfo=UTC)


def report(task_id, period, percent, **fields):
    return build_report(task_id, period, percent, filed=fields.pop("filed", FILED), **fields)


def file(leaf, filed, *, is_leaf=True, today=ON, previous=None, history=None):
    return file_report(
        leaf, filed, is_leaf=is_leaf, today=today, previous=previous, at=FILED, history=history
    )


@pytest.mark.parametrize("percent", [0, 100, Decimal("37.5"), "99.99"])
def test_percent_from_0_to_100_is_accepted(percent):
    assert report("t", "2024-03", percent).percent == Decimal(percent)


@pytest.mark.parametrize("percent", [-1, Decimal("-0.01"), Decimal("100.01"), 101, "abc"])
def test_percent_outside_0_to_100_is_refused(percent):
    with pytest.raises(InvalidValue) as refused:
        report("t", "2024-03", percent)
    assert refused.value.field == "percent"


def test_summary_is_required_and_the_period_checked():
    with pytest.raises(InvalidValue) as refused:
        report("t", "2024-03", 10, summary="  ")
    assert refused.value.field == "summary"
    with pytest.raises(InvalidValue) as refused:
        report("t", "2024-3", 10)
    assert refused.value.field == "period"


def test_a_report_on_a_not_started_leaf_starts_it():
    leaf = in_state(TaskStatus.NOT_STARTED)
    filed = report(leaf.id, "2024-03", 30, filed_by="u1")
    file(leaf, filed, is_leaf=True)
    assert leaf.status is TaskStatus.IN_PROGRESS
    started, reported = leaf.pull_events()
    assert (started.type, started.data["action"], started.data["to"]) == (
        "task.status_changed",
        "start",
        "in_progress",
    )
    assert reported.type == "task.progress_reported"
    assert reported.data["report_id"] == filed.id
    assert (reported.data["period"], reported.data["percent"], reported.data["filed_by"]) == (
        "2024-03",
        "30",
        "u1",
    )


@pytest.mark.parametrize("status", [TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED])
def test_a_report_on_an_open_leaf_keeps_its_status(status):
    leaf = in_state(status)
    file(leaf, report(leaf.id, "2024-03", 30), is_leaf=True)
    assert leaf.status is status
    assert [e.type for e in leaf.pull_events()] == ["task.progress_reported"]


def test_a_parent_takes_no_report_its_progress_is_derived():
    parent = in_state(TaskStatus.IN_PROGRESS)
    with pytest.raises(Conflict) as refused:
        file(parent, report(parent.id, "2024-03", 30), is_leaf=False)
    assert "derived" in refused.value.en
    assert parent.pull_events() == []


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.CANCELLED])
def test_a_closed_task_takes_no_report(status):
    leaf = in_state(status)
    with pytest.raises(IllegalTransition):
        file(leaf, report(leaf.id, "2024-03", 30), is_leaf=True)
    assert leaf.pull_events() == []


@pytest.mark.parametrize(("period", "accepted"), [("2024-03", True), ("2024-02", True), ("2024-04", False)])
def test_a_report_may_not_speak_for_a_future_month(period, accepted):
    leaf = in_state(TaskStatus.IN_PROGRESS)
    if accepted:
        file(leaf, report(leaf.id, period, 30), is_leaf=True)
    else:
        with pytest.raises(InvalidValue) as refused:
            file(leaf, report(leaf.id, period, 30), is_leaf=True)
        assert refused.value.field == "period"


def test_a_report_of_another_task_is_refused():
    leaf = in_state(TaskStatus.IN_PROGRESS)
    with pytest.raises(InvalidValue):
        file(leaf, report("someone-else", "2024-03", 30), is_leaf=True)


def test_returning_a_report_keeps_who_when_and_why():
    leaf = in_state(TaskStatus.IN_PROGRESS)
    filed = report(leaf.id, "2024-03", 30)
    return_report(leaf, filed, comment=" 佐证材料不全 ", by="planner", at=AT)
    assert (filed.returned, filed.return_comment, filed.returned_by, filed.returned_at) == (
        True,
        "佐证材料不全",
        "planner",
        AT,
    )
    [event] = leaf.pull_events()
    assert event.type == "task.report_returned"
    assert event.data["report_id"] == filed.id and event.data["comment"] == "佐证材料不全"


@pytest.mark.parametrize("comment", ["", "  ", None])
def test_returning_needs_a_comment(comment):
    leaf = in_state(TaskStatus.IN_PROGRESS)
    filed = report(leaf.id, "2024-03", 30)
    with pytest.raises(InvalidValue) as refused:
        return_report(leaf, filed, comment=comment, by="planner", at=AT)
    assert refused.value.field == "comment"
    assert filed.returned is False


def test_a_returned_report_cannot_be_returned_again():
    leaf = in_state(TaskStatus.IN_PROGRESS)
    filed = report(leaf.id, "2024-03", 30)
    return_report(leaf, filed, comment="请补充", by="planner", at=AT)
    with pytest.raises(Conflict):
        return_report(leaf, filed, comment="再次退回", by="planner", at=AT)
    assert filed.return_comment == "请补充"
