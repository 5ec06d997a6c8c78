"""History (DOMAIN.md): moves dated when they took effect; a task and its reports as they stood on a day."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.planning.history import TaskHistory, counts_on, history_entries, status_as_of, task_as_of
from domain.planning.progress import TaskRecord
from domain.planning.reports import file_report
from domain.planning.tasks import TaskStatus, Transition
from domain.shared.errors import IllegalTransition, InvalidValue

from .builders import in_state, report, task

S = TaskStatus
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 2, tzinfo=UTC)


def move(subject, action: str, on: date, previous=None, reason: str | None = "原因", today: date = TODAY):
    return subject.transition(action, reason=reason, on=on, today=today, previous=previous, by="u", at=NOW)


@pytest.mark.parametrize(
    ("on", "accepted"), [(TODAY - timedelta(days=1), True), (TODAY, True), (TODAY + timedelta(days=1), False)]
)
def test_a_move_takes_effect_today_or_earlier_never_in_the_future(on, accepted):
    subject = in_state(S.NOT_STARTED)
    if accepted:
        made = move(subject, "start", on)
        assert (made.on, made.seq, made.from_status, made.to_status, made.task_id) == (
            on,
            1,
            S.NOT_STARTED,
            S.IN_PROGRESS,
            subject.id,
        )
        assert subject.pull_events()[0].data["on"] == on.isoformat()
        return
    with pytest.raises(InvalidValue) as refused:
        move(subject, "start", on)
    assert refused.value.field == "date" and subject.status is S.NOT_STARTED and subject.pull_events() == []


@pytest.mark.parametrize(("offset", "accepted"), [(-1, False), (0, True), (1, True)])
def test_a_move_is_never_dated_before_the_previous_one(offset, accepted):
    subject = in_state(S.NOT_STARTED)
    started = move(subject, "start", date(2023, 5, 1))
    on = date(2023, 5, 1) + timedelta(days=offset)
    if not accepted:
        with pytest.raises(InvalidValue) as refused:
            move(subject, "suspend", on, previous=started)
        assert refused.value.field == "date" and subject.status is S.IN_PROGRESS
        assert "2023-05-01" in refused.value.en
        return
    suspended = move(subject, "suspend", on, previous=started)
    assert (suspended.seq, suspended.on, subject.status) == (2, on, S.SUSPENDED)


def test_moves_keep_who_why_when_recorded_and_the_order_of_one_day():
    subject = in_state(S.NOT_STARTED)
    day = date(2024, 1, 2)
    first = move(subject, "start", day, reason=None)
    second = move(subject, "cancel", day, previous=first, reason=" 规划调整 ")
    assert [(m.seq, m.action, m.reason, m.by, m.at) for m in (first, second)] == [
        (1, "start", None, "u", NOW),
        (2, "cancel", "规划调整", "u", NOW),
    ]
    assert status_as_of([second, first], day) is S.CANCELLED  # the later of one day's moves wins


def moves_of(*steps: tuple[date, int, TaskStatus]) -> list[Transition]:
    return [
        Transition(task_id="t", seq=seq, action="x", from_status=S.NOT_STARTED, to_status=to, on=on, at=NOW)
        for on, seq, to in steps
    ]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2021, 3, 31), S.NOT_STARTED),  # before any move
        (date(2021, 4, 1), S.IN_PROGRESS),  # the day it took effect
        (date(2023, 12, 30), S.IN_PROGRESS),
        (date(2023, 12, 31), S.COMPLETED),
        (date(2026, 1, 5), S.COMPLETED),
        (date(2026, 1, 6), S.IN_PROGRESS),  # reopened
    ],
)
def test_the_status_on_a_day_is_the_one_after_the_last_move_dated_on_or_before_it(on, expected):
    moves = moves_of(
        (date(2021, 4, 1), 1, S.IN_PROGRESS),
        (date(2023, 12, 31), 2, S.COMPLETED),
        (date(2026, 1, 6), 3, S.IN_PROGRESS),
    )
    assert status_as_of(moves, on) is expected


def record(**fields) -> TaskRecord:
    values = {"id": "t", "plan_id": "p", "title": "任务", "due_date": date(2024, 6, 30)} | fields
    return TaskRecord(**values)


# 2024-03-31T16:30Z is 2024-04-01 00:30 in Asia/Shanghai: a moment is dated by its day there.
URGED = datetime(2024, 3, 31, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(("on", "urges"), [(date(2024, 3, 31), 0), (date(2024, 4, 1), 1)])
def test_urges_count_from_their_day_in_asia_shanghai(on, urges):
    now = record(urge_count=1, status=S.IN_PROGRESS)
    history = TaskHistory(moves_of((date(2021, 1, 1), 1, S.IN_PROGRESS)), [URGED], [])
    assert task_as_of(now, history, on).urge_count == urges


def test_the_due_date_stands_as_the_original_until_an_extension_was_decided():
    decided = datetime(2024, 6, 20, 15, 59, tzinfo=UTC)  # 23:59 on 2024-06-20 in Asia/Shanghai
    later = datetime(2024, 9, 1, 1, tzinfo=UTC)
    now = record(due_date=date(2024, 12, 31), original_due_date=date(2024, 6, 30))
    history = TaskHistory((), (), [(later, date(2024, 12, 31)), (decided, date(2024, 9, 30))])
    before, on, after = (
        task_as_of(now, history, d) for d in (date(2024, 6, 19), date(2024, 6, 20), date(2024, 9, 1))
    )
    assert (before.due_date, before.original_due_date) == (date(2024, 6, 30), None)
    assert (on.due_date, on.original_due_date) == (date(2024, 9, 30), date(2024, 6, 30))
    assert (after.due_date, after.original_due_date) == (date(2024, 12, 31), date(2024, 6, 30))


def test_without_history_from_today_on_the_task_itself_is_its_state():
    now = record(status=S.COMPLETED, urge_count=3)
    assert task_as_of(now, None, TODAY) is now
    assert (
        task_as_of(now, TaskHistory(moves_of((date(2021, 1, 1), 1, S.COMPLETED)), [NOW] * 3, []), TODAY)
        is now
    )
    assert task_as_of(now, TaskHistory(), TODAY).status is S.NOT_STARTED  # nothing recorded: not started


RETURNED = datetime(2024, 1, 31, 16, tzinfo=UTC)  # 2024-02-01 00:00 in Asia/Shanghai


@pytest.mark.parametrize(
    ("on", "counts"),
    [
        (date(2023, 12, 31), False),  # its period (2024-01) is after that month
        (date(2024, 1, 1), True),
        (date(2024, 1, 31), True),  # returned the next day: it still counted
        (date(2024, 2, 1), False),  # returned that day
    ],
)
def test_a_report_counts_from_its_month_until_the_day_it_was_returned(on, counts):
    filed = report("t", "2024-01", 40, filed=datetime(2024, 1, 20, tzinfo=UTC))
    filed.returned, filed.returned_at = True, RETURNED
    assert counts_on(filed, on) is counts
    kept = report("t", "2024-01", 40)
    assert counts_on(kept, on) is (on >= date(2024, 1, 1))


FILED = datetime(2024, 5, 20, 2, tzinfo=UTC)  # 2024-05-20 in Asia/Shanghai


def file(leaf, period: str, *, previous=None, history=None, filed=FILED):
    return file_report(
        leaf,
        report(leaf.id, period, 30, filed=filed),
        is_leaf=True,
        today=TODAY,
        previous=previous,
        at=NOW,
        history=history,
    )


@pytest.mark.parametrize("period", ["2024-05", "2024-03", "2023-11"])
def test_a_report_starts_a_task_on_the_first_day_of_its_period(period):
    leaf = in_state(S.NOT_STARTED)
    started = file(leaf, period)
    assert (started.action, started.on, started.at, leaf.status) == (
        "start",
        date.fromisoformat(period + "-01"),
        NOW,
        S.IN_PROGRESS,
    )


def test_a_report_of_a_later_month_than_its_filing_day_is_refused():
    with pytest.raises(InvalidValue) as refused:
        file(in_state(S.NOT_STARTED), "2024-06")
    assert refused.value.field == "period"


def test_a_report_filed_in_the_future_is_refused():
    with pytest.raises(InvalidValue) as refused:
        file(in_state(S.IN_PROGRESS), "2026-03", filed=datetime(2026, 3, 11, 2, tzinfo=UTC))
    assert refused.value.field == "filed_on"


def test_openness_is_judged_on_the_filing_day():
    """Completed on 2024-06-30: a report filed on 2024-05-20 (loaded after the fact) is taken, one filed on
    2024-07-05 is not."""
    leaf = in_state(S.COMPLETED)
    history = TaskHistory(moves_of((date(2023, 1, 1), 1, S.IN_PROGRESS), (date(2024, 6, 30), 2, S.COMPLETED)))
    assert file(leaf, "2024-05", history=history) is None and leaf.status is S.COMPLETED
    with pytest.raises(IllegalTransition) as refused:
        file(leaf, "2024-06", history=history, filed=datetime(2024, 7, 5, 2, tzinfo=UTC))
    assert "2024-07-05" in refused.value.en


def test_a_report_filed_before_the_task_started_cannot_start_it_again():
    leaf = in_state(S.IN_PROGRESS)
    started = moves_of((date(2024, 6, 1), 1, S.IN_PROGRESS))
    with pytest.raises(IllegalTransition) as refused:
        file(leaf, "2024-05", history=TaskHistory(started), previous=started[0])
    assert "2024-06-01" in refused.value.en and leaf.pull_events() == []


def test_a_start_by_report_is_not_dated_before_the_previous_move():
    leaf = task(status=S.NOT_STARTED)
    previous = Transition(
        task_id=leaf.id,
        seq=1,
        action="x",
        from_status=S.NOT_STARTED,
        to_status=S.NOT_STARTED,
        on=date(2024, 4, 15),
        at=NOW,
    )
    assert file(leaf, "2024-03", previous=previous).on == date(2024, 4, 15)


def test_the_history_lists_every_record_by_its_day_then_as_recorded():
    t = in_state(S.NOT_STARTED)
    started = move(t, "start", date(2024, 3, 1))
    filed = report(t.id, "2024-03", Decimal(40), filed=datetime(2024, 3, 25, 1, tzinfo=UTC), filed_by="keji")
    filed.returned, filed.returned_at, filed.return_comment, filed.returned_by = (
        True,
        RETURNED + timedelta(days=60),
        "补充",
        "planner",
    )

    class Urged:
        id, note, by, at = "u1", "请加快", "planner", datetime(2024, 3, 1, 1, tzinfo=UTC)

    entries = history_entries([started], [filed], [Urged()], [])
    assert [(e.kind, e.date) for e in entries] == [
        ("urge", date(2024, 3, 1)),  # recorded 2024-03-01 09:00 there; the move was recorded in 2026
        ("transition", date(2024, 3, 1)),
        ("report", date(2024, 3, 25)),
        ("return", date(2024, 4, 1)),
    ]
    assert entries[1].details == {
        "seq": 1,
        "action": "start",
        "from_status": "not_started",
        "to_status": "in_progress",
        "reason": "原因",
        "by": "u",
        "migrated": False,
    }
    assert entries[3].details["comment"] == "补充" and entries[2].details["percent"] == Decimal(40)
