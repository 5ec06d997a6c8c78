from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.planning.tasks import Task, TaskStatus, ancestor_ids, check_parent
from domain.shared.errors import IllegalTransition, InvalidValue, NotDeletable

from .builders import in_state, task

ON = date(2024, 5, 6)
AT = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
S = TaskStatus
ALLOWED = {
    (S.NOT_STARTED, "start"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "complete"): S.COMPLETED,
    (S.IN_PROGRESS, "suspend"): S.SUSPENDED,
    (S.SUSPENDED, "resume"): S.IN_PROGRESS,
    (S.NOT_STARTED, "cancel"): S.CANCELLED,
    (S.IN_PROGRESS, "cancel"): S.CANCELLED,
    (S.SUSPENDED, "cancel"): S.CANCELLED,
    (S.COMPLETED, "reopen"): S.IN_PROGRESS,
}
ACTIONS = ["start", "complete", "suspend", "resume", "cancel", "reopen"]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED))
def test_allowed_moves_reach_their_state_and_record_it(status, action):
    subject = in_state(status)
    subject.transition(action, reason="规划调整", on=ON, today=ON, previous=None, at=AT)
    assert subject.status is ALLOWED[(status, action)]
    [event] = subject.pull_events()
    assert event.type == "task.status_changed"
    assert event.subject_id == subject.id
    assert event.data == {
        "from": status.value,
        "to": ALLOWED[(status, action)].value,
        "action": action,
        "reason": "规划调整",
        "on": "2024-05-06",
    }


@pytest.mark.parametrize(
    ("status", "action"), [(s, a) for s in TaskStatus for a in ACTIONS if (s, a) not in ALLOWED]
)
def test_every_other_move_is_refused_and_changes_nothing(status, action):
    subject = in_state(status)
    with pytest.raises(IllegalTransition) as refused:
        subject.transition(action, reason="规划调整", on=ON, today=ON, previous=None, at=AT)
    assert action in refused.value.en and status.value in refused.value.en
    assert subject.status is status
    assert subject.pull_events() == []


@pytest.mark.parametrize(("status", "action"), [(S.IN_PROGRESS, "cancel"), (S.COMPLETED, "reopen")])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_cancel_and_reopen_need_a_reason(status, action, reason):
    subject = in_state(status)
    with pytest.raises(InvalidValue) as refused:
        subject.transition(action, reason=reason, on=ON, today=ON, previous=None, at=AT)
    assert refused.value.field == "reason"
    assert subject.status is status


def test_an_illegal_cancel_without_reason_is_refused_as_illegal_not_as_missing_reason():
    with pytest.raises(IllegalTransition):
        in_state(S.CANCELLED).transition("cancel", on=ON, today=ON, previous=None, at=AT)


def test_other_moves_need_no_reason():
    subject = in_state(S.NOT_STARTED)
    subject.transition("start", on=ON, today=ON, previous=None, at=AT)
    assert subject.pull_events()[0].data["reason"] is None


def test_an_unknown_action_is_an_invalid_value():
    with pytest.raises(InvalidValue) as refused:
        in_state(S.IN_PROGRESS).transition("finish", on=ON, today=ON, previous=None, at=AT)
    assert refused.value.field == "action"


@pytest.mark.parametrize("open_status", [S.NOT_STARTED, S.IN_PROGRESS, S.SUSPENDED])
def test_a_parent_cannot_complete_while_a_child_is_open(open_status):
    parent = in_state(S.IN_PROGRESS)
    children = [in_state(S.COMPLETED, parent_id=parent.id), in_state(open_status, parent_id=parent.id)]
    with pytest.raises(IllegalTransition):
        parent.transition("complete", children=children, on=ON, today=ON, previous=None, at=AT)
    assert parent.status is S.IN_PROGRESS


def test_a_parent_completes_once_its_children_are_completed_or_cancelled():
    parent = in_state(S.IN_PROGRESS)
    children = [in_state(S.COMPLETED, parent_id=parent.id), in_state(S.CANCELLED, parent_id=parent.id)]
    parent.transition("complete", children=children, on=ON, today=ON, previous=None, at=AT)
    assert parent.status is S.COMPLETED


def test_create_records_task_created():
    made = Task.create(plan_id="plan", title="做强做大数字经济产业", code="4.1", parent_id="t4")
    [event] = made.pull_events()
    assert (event.type, event.subject_type, event.subject_id) == ("task.created", "task", made.id)
    assert event.data == {
        "plan_id": "plan",
        "parent_id": "t4",
        "code": "4.1",
        "title": "做强做大数字经济产业",
    }


def test_defaults_of_a_new_task():
    made = task()
    assert (made.status, made.weight, made.urge_count) == (S.NOT_STARTED, Decimal(1), 0)
    assert made.pull_events() == []  # only Task.create records task.created


@pytest.mark.parametrize(
    ("has_reports", "has_children", "deletable"),
    [(False, False, True), (True, False, False), (False, True, False), (True, True, False)],
)
def test_a_task_with_reports_or_children_cannot_be_deleted(has_reports, has_children, deletable):
    if deletable:
        task().check_deletable(has_reports=has_reports, has_children=has_children)
    else:
        with pytest.raises(NotDeletable):
            task().check_deletable(has_reports=has_reports, has_children=has_children)


def test_the_due_date_may_equal_but_not_precede_the_start_date():
    task(start_date=date(2024, 1, 1), due_date=date(2024, 1, 1))
    with pytest.raises(InvalidValue) as refused:
        task(start_date=date(2024, 1, 1), due_date=date(2023, 12, 31))
    assert refused.value.field == "due_date"


@pytest.mark.parametrize("weight", [0, -1, "0", Decimal("-0.5"), "abc", None, True])
def test_weight_must_be_a_positive_number(weight):
    with pytest.raises(InvalidValue) as refused:
        task(weight=weight)
    assert refused.value.field == "weight"


@pytest.mark.parametrize(("given", "kept"), [(3, Decimal(3)), ("0.5", Decimal("0.5")), (0.1, Decimal("0.1"))])
def test_weight_is_kept_as_an_exact_decimal(given, kept):
    assert task(weight=given).weight == kept


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"status": "done"}, "status"),
        ({"lead_department_id": "d1", "co_department_ids": ["d2", "d1"]}, "co_department_ids"),
    ],
)
def test_invalid_fields_are_named(fields, field):
    with pytest.raises(InvalidValue) as refused:
        task(**fields)
    assert refused.value.field == field


def test_a_task_cannot_be_its_own_parent():
    with pytest.raises(InvalidValue) as refused:
        task(id="t1", parent_id="t1")
    assert refused.value.field == "parent_id"


def test_repeated_departments_and_indicators_are_kept_once():
    made = task(co_department_ids=["d2", "d3", "d2"], indicator_ids=["i1", "i1"])
    assert (made.co_department_ids, made.indicator_ids) == (["d2", "d3"], ["i1"])


def test_check_parent_accepts_a_task_of_the_same_plan_or_none():
    child, parent = task(id="c"), task(id="p")
    check_parent(child, parent, ["root"])
    check_parent(child, None, [])


def test_check_parent_refuses_a_parent_from_another_plan():
    with pytest.raises(InvalidValue) as refused:
        check_parent(task(id="c"), task(id="p", plan_id="other"), [])
    assert refused.value.field == "parent_id"


def test_check_parent_refuses_the_task_itself_and_its_descendants():
    subject = task(id="a")
    with pytest.raises(InvalidValue):
        check_parent(subject, subject, [])
    grandchild = task(id="c", parent_id="b")
    with pytest.raises(InvalidValue) as refused:
        check_parent(subject, grandchild, ancestor_ids("c", {"c": "b", "b": "a", "a": None}))
    assert refused.value.field == "parent_id"


def test_ancestor_ids_go_up_nearest_first_and_stop_at_a_cycle():
    assert ancestor_ids("c", {"c": "b", "b": "a", "a": None}) == ["b", "a"]
    assert ancestor_ids("a", {"a": None}) == []
    assert ancestor_ids(None, {}) == []
    assert ancestor_ids("x", {"x": "y", "y": "z", "z": "y"}) == ["y", "z"]
