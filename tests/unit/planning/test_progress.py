from dataclasses import MISSING, fields
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.planning.progress import TaskRecord, build_tree, latest_reports, leaf_progress
from domain.planning.supervision import WarningLight
from domain.planning.tasks import Task, TaskStatus

from .builders import in_state, report, task

ON = date(2024, 6, 1)
EARLY = datetime(2024, 4, 2, 8, 0, tzinfo=UTC)
LATE = datetime(2024, 4, 2, 17, 0, tzinfo=UTC)


def progress_of(leaf, reports):
    return leaf_progress(leaf, latest_reports(reports, ON).get(leaf.id))


def test_a_leaf_without_reports_is_at_0():
    assert progress_of(task(id="t"), []) == 0


def test_the_latest_period_wins_even_when_filed_earlier():
    reports = [report("t", "2024-03", 70, filed=LATE), report("t", "2024-04", 40, filed=EARLY)]
    assert progress_of(task(id="t"), reports) == 40


def test_within_one_period_the_latest_filed_wins():
    reports = [report("t", "2024-04", 60, filed=LATE), report("t", "2024-04", 90, filed=EARLY)]
    assert progress_of(task(id="t"), reports) == 60


def test_a_returned_report_is_ignored():
    reports = [report("t", "2024-03", 30), report("t", "2024-04", 90, returned=True)]
    assert progress_of(task(id="t"), reports) == 30


def test_with_every_report_returned_the_leaf_is_back_at_0():
    assert progress_of(task(id="t"), [report("t", "2024-04", 90, returned=True)]) == 0


def test_a_completed_leaf_is_at_100_whatever_it_last_reported():
    assert progress_of(in_state(TaskStatus.COMPLETED, id="t"), [report("t", "2024-04", 60)]) == 100


def test_reports_of_other_tasks_do_not_count():
    assert progress_of(task(id="t"), [report("u", "2024-04", 60)]) == 0


def test_a_parent_is_the_weight_averaged_progress_of_its_children():
    parent = task(id="p")
    done = in_state(TaskStatus.COMPLETED, id="a", parent_id="p", weight=1)
    slow = task(id="b", parent_id="p", weight=3)
    tree = build_tree([parent, done, slow], [report("b", "2024-05", 20)], on=ON)
    assert tree.nodes["p"].progress == 40  # (1 × 100 + 3 × 20) / 4


def test_cancelled_children_are_left_out_of_the_roll_up():
    parent = task(id="p")
    children = [
        task(id="a", parent_id="p"),
        in_state(TaskStatus.CANCELLED, id="b", parent_id="p", weight=10),
    ]
    tree = build_tree([parent, *children], [report("a", "2024-05", 50)], on=ON)
    assert tree.nodes["p"].progress == 50


@pytest.mark.parametrize(("status", "shown"), [(TaskStatus.IN_PROGRESS, 0), (TaskStatus.COMPLETED, 100)])
def test_a_parent_whose_children_are_all_cancelled_shows_its_own_leaf_progress(status, shown):
    parent = in_state(status, id="p")
    child = in_state(TaskStatus.CANCELLED, id="a", parent_id="p")
    tree = build_tree([parent, child], [report("a", "2024-05", 80)], on=ON)
    assert tree.nodes["p"].progress == shown


def test_progress_rolls_up_through_every_level():
    tasks = [
        task(id="root"),
        task(id="s1", parent_id="root", weight=1),
        task(id="s2", parent_id="root", weight=1),
        task(id="m1", parent_id="s1"),
        task(id="m2", parent_id="s1"),
    ]
    reports = [report("m1", "2024-05", 100), report("m2", "2024-05", 50), report("s2", "2024-05", 25)]
    tree = build_tree(tasks, reports, on=ON)
    assert tree.nodes["s1"].progress == 75
    assert tree.nodes["root"].progress == 50  # (75 + 25) / 2


def test_a_thirds_average_stays_exact_enough_for_the_thresholds():
    tasks = [
        task(id="p"),
        task(id="a", parent_id="p"),
        task(id="b", parent_id="p"),
        task(id="c", parent_id="p"),
    ]
    tree = build_tree(tasks, [report("a", "2024-05", 100)], on=ON)
    assert abs(tree.nodes["p"].progress - Decimal(100) / 3) < Decimal("1e-20")


def test_the_tree_nests_children_in_code_order_and_roots_are_the_key_tasks():
    tasks = [
        task(id="t10", code="10"),
        task(id="t5", code="5"),
        task(id="t5.10", code="5.10", parent_id="t5"),
        task(id="t5.2", code="5.2", parent_id="t5"),
        task(id="extra", parent_id="t5"),
    ]
    tree = build_tree(tasks, [], on=ON)
    assert [n.task.id for n in tree.roots] == ["t5", "t10"]
    assert [n.task.id for n in tree.roots[0].children] == ["t5.2", "t5.10", "extra"]
    assert list(tree.nodes) == ["t5", "t5.2", "t5.10", "extra", "t10"]


def test_code_parts_that_are_no_numbers_follow_the_numbered_ones():
    tasks = [task(id=c, code=c, parent_id="p") for c in ["4.二", "4.10", "4.一", "4.9"]] + [task(id="p")]
    assert [n.task.id for n in build_tree(tasks, [], on=ON).roots[0].children] == [
        "4.9",
        "4.10",
        "4.一",
        "4.二",
    ]


def test_a_task_whose_parent_is_not_loaded_becomes_a_root():
    tree = build_tree([task(id="a", parent_id="gone")], [], on=ON)
    assert [n.task.id for n in tree.roots] == ["a"]


def test_a_parent_cycle_in_bad_data_loses_no_task():
    tasks = [task(id="a", parent_id="b"), task(id="b", parent_id="a"), task(id="r")]
    tree = build_tree(tasks, [], on=ON)
    assert set(tree.nodes) == {"a", "b", "r"}


def test_a_parents_light_is_the_most_severe_below_it():
    tasks = [
        task(id="root", start_date=date(2024, 1, 1), due_date=date(2025, 12, 31)),
        task(id="s", parent_id="root", start_date=date(2024, 1, 1), due_date=date(2025, 12, 31)),
        task(id="late", parent_id="s", due_date=date(2024, 5, 31)),
        in_state(TaskStatus.CANCELLED, id="gone", parent_id="root", due_date=date(2024, 1, 31)),
    ]
    tree = build_tree(tasks, [report("late", "2024-05", 100)], on=ON)
    assert tree.nodes["late"].warning is WarningLight.RED
    assert tree.nodes["root"].warning is WarningLight.RED
    assert tree.nodes["gone"].warning is WarningLight.DONE
    assert tree.nodes["late"].overdue and not tree.nodes["root"].overdue


def test_a_plan_of_5000_tasks_and_60000_reports_builds_in_one_pass():
    tasks = [task(id="root")]
    for s in range(50):
        tasks.append(task(id=f"s{s}", parent_id="root", code=f"{s + 1}"))
        tasks += [task(id=f"m{s}.{m}", parent_id=f"s{s}", code=f"{s + 1}.{m + 1}") for m in range(99)]
    leaves = [t for t in tasks if t.id.startswith("m")]
    reports = [
        report(leaf.id, f"2024-{month:02d}", 5 * month, filed=EARLY)
        for leaf in leaves
        for month in range(1, 13)
    ]
    assert (len(tasks), len(reports)) == (5001, 59400)
    tree = build_tree(tasks, reports, on=date(2025, 1, 1))
    assert tree.nodes["root"].progress == 60  # every leaf's latest report is December's: 60
    assert len(tree.nodes) == 5001


def test_a_task_record_has_every_field_of_a_task_with_the_same_defaults():
    """The read record mirrors the entity (domain/planning/progress.py): a field added to Task must be added
    there too, or the tree and the task pages would show it missing."""
    entity = {f.name: f for f in fields(Task)}
    record = {f.name: f for f in fields(TaskRecord)}
    assert list(record) == [name for name in entity if name in record]  # the entity's order
    assert set(entity) == set(record)
    required = {"id", "plan_id", "title"}  # positional in the record; id has a factory in the entity
    for name in set(entity) - required:
        assert entity[name].default == record[name].default, name
        assert (entity[name].default_factory is MISSING) == (record[name].default_factory is MISSING), name
