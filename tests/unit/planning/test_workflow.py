from datetime import UTC, date, datetime

import pytest

from domain.planning.supervision import Escalation, SupervisionThresholds, escalation
from domain.planning.tasks import TaskStatus
from domain.planning.workflow import ExtensionRequest, ExtensionStatus, urge
from domain.shared.errors import Conflict, IllegalTransition, InvalidValue

from .builders import in_state

START, DUE = date(2024, 1, 1), date(2024, 6, 30)
AT = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)


def open_task():
    return in_state(TaskStatus.IN_PROGRESS, start_date=START, due_date=DUE)


def ask(subject, new_due_date=date(2024, 9, 30), reason="设备到货延迟"):
    return ExtensionRequest.request(
        subject, new_due_date=new_due_date, reason=reason, requested_by="d1", at=AT
    )


def test_a_request_waits_for_a_planner():
    made = ask(open_task())
    assert (made.status, made.new_due_date, made.reason, made.requested_by) == (
        ExtensionStatus.PENDING,
        date(2024, 9, 30),
        "设备到货延迟",
        "d1",
    )


@pytest.mark.parametrize("new_due_date", [START, date(2023, 12, 1), DUE, date(2024, 6, 1)])
def test_the_new_due_date_must_be_after_the_start_and_the_current_due_date(new_due_date):
    with pytest.raises(InvalidValue) as refused:
        ask(open_task(), new_due_date=new_due_date)
    assert refused.value.field == "new_due_date"


def test_the_day_after_the_current_due_date_is_an_extension():
    assert ask(open_task(), new_due_date=date(2024, 7, 1)).new_due_date == date(2024, 7, 1)


def test_a_task_without_dates_takes_any_new_due_date():
    assert (
        ask(in_state(TaskStatus.NOT_STARTED), new_due_date=date(2024, 7, 1)).status is ExtensionStatus.PENDING
    )


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_request_needs_a_reason(reason):
    with pytest.raises(InvalidValue) as refused:
        ask(open_task(), reason=reason)
    assert refused.value.field == "reason"


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.CANCELLED])
def test_closed_tasks_take_no_request(status):
    with pytest.raises(IllegalTransition):
        ask(in_state(status, start_date=START, due_date=DUE))


def test_approval_moves_the_due_date_and_keeps_the_original():
    subject = open_task()
    request = ask(subject)
    request.decide(subject, approved=True, by="planner", note="同意", at=AT)
    assert (subject.due_date, subject.original_due_date) == (date(2024, 9, 30), DUE)
    assert (request.status, request.decided_by, request.note, request.decided_at) == (
        ExtensionStatus.APPROVED,
        "planner",
        "同意",
        AT,
    )
    [event] = subject.pull_events()
    assert event.type == "task.extension_decided"
    assert event.data["approved"] is True
    assert (event.data["new_due_date"], event.data["previous_due_date"]) == ("2024-09-30", "2024-06-30")


def test_a_second_extension_keeps_the_first_original_due_date():
    subject = open_task()
    ask(subject).decide(subject, approved=True, by="planner", note=None, at=AT)
    ask(subject, new_due_date=date(2024, 12, 31)).decide(
        subject, approved=True, by="planner", note=None, at=AT
    )
    assert (subject.due_date, subject.original_due_date) == (date(2024, 12, 31), DUE)


def test_rejection_leaves_the_due_date():
    subject = open_task()
    request = ask(subject)
    request.decide(subject, approved=False, by="planner", note="理由不充分", at=AT)
    assert (subject.due_date, subject.original_due_date, request.status) == (
        DUE,
        None,
        ExtensionStatus.REJECTED,
    )
    assert subject.pull_events()[0].data["approved"] is False


@pytest.mark.parametrize(("first", "second"), [(True, False), (False, True), (True, True), (False, False)])
def test_a_request_is_decided_once(first, second):
    subject = open_task()
    request = ask(subject)
    request.decide(subject, approved=first, by="planner", note=None, at=AT)
    due = subject.due_date
    with pytest.raises(Conflict):
        request.decide(subject, approved=second, by="planner", note=None, at=AT)
    assert subject.due_date == due


def test_an_approval_overtaken_by_a_later_due_date_is_refused():
    subject = open_task()
    stale, later = ask(subject), ask(subject, new_due_date=date(2024, 12, 31))
    later.decide(subject, approved=True, by="planner", note=None, at=AT)
    with pytest.raises(Conflict):
        stale.decide(subject, approved=True, by="planner", note=None, at=AT)
    assert (subject.due_date, stale.status) == (date(2024, 12, 31), ExtensionStatus.PENDING)


def test_an_urge_is_counted_recorded_and_turns_reminded_into_urged():
    subject = open_task()
    overdue_day = date(2024, 7, 10)
    assert escalation(subject, overdue_day, SupervisionThresholds()) is Escalation.REMINDED
    made = urge(subject, note=" 请尽快推进 ", by="planner", at=AT)
    assert (made.task_id, made.note, made.by, made.at, subject.urge_count) == (
        subject.id,
        "请尽快推进",
        "planner",
        AT,
        1,
    )
    [event] = subject.pull_events()
    assert (event.type, event.data["urge_id"], event.data["urge_count"]) == ("task.urged", made.id, 1)
    assert escalation(subject, overdue_day, SupervisionThresholds()) is Escalation.URGED


@pytest.mark.parametrize("status", [TaskStatus.NOT_STARTED, TaskStatus.SUSPENDED])
def test_any_open_task_can_be_urged(status):
    subject = in_state(status)
    urge(subject, note=None, by="planner", at=AT)
    assert subject.urge_count == 1


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.CANCELLED])
def test_closed_tasks_cannot_be_urged(status):
    subject = in_state(status)
    with pytest.raises(IllegalTransition):
        urge(subject, note=None, by="planner", at=AT)
    assert subject.urge_count == 0
