"""The year-end handlers in memory: the sweep's part stores each closed year's end whole and only once, the
evaluation of a closed year reads those rows (and replays where they are not whole), the check names a row
that differs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from domain.planning.handlers import plans
from domain.planning.handlers.year_ends import refresh_year_ends, year_end_rows_differences
from domain.planning.tasks import TaskStatus
from domain.planning.year_ends import EVERY_DAY
from tests.unit.handlers.planning.test_plans import moved, report
from tests.unit.handlers.planning.world import TODAY, stored_task, world

CLOSED = [date(2021, 12, 31), date(2022, 12, 31), date(2023, 12, 31)]  # TODAY is in 2024


def two_tasks():
    """A parent over a leaf started in March 2023 and reported on in 2022 and 2023."""
    uow = world()
    stored_task(uow, "root", code="1", due_date=date(2025, 12, 31))
    stored_task(uow, "leaf", code="1.1", parent_id="root", status=TaskStatus.IN_PROGRESS)
    uow.task_transitions.add(moved("leaf", TaskStatus.IN_PROGRESS, date(2023, 3, 1)))
    uow.progress_reports.add(report("leaf", "2022-11", 20))
    uow.progress_reports.add(report("leaf", "2023-12", 70))
    return uow


async def test_each_closed_year_end_is_stored_whole_once_and_again_when_a_task_is_added():
    uow = two_tasks()
    assert await refresh_year_ends(TODAY, uow=uow) == 6  # two tasks, three closed years; not 2024 yet
    assert await uow.task_year_ends.days_of_plan("plan") == dict.fromkeys(CLOSED, 2)
    assert uow.task_year_ends.held == ["plan"] * 3  # held before each day is replayed
    rows = await uow.task_year_ends.of_plan("plan", date(2022, 12, 31))
    assert (rows["leaf"].status, rows["leaf"].progress) == (TaskStatus.NOT_STARTED, 20)
    rows = await uow.task_year_ends.of_plan("plan", date(2023, 12, 31))
    assert (rows["leaf"].status, rows["leaf"].progress, rows["root"].progress) == (
        TaskStatus.IN_PROGRESS,
        70,
        70,
    )
    assert await refresh_year_ends(TODAY, uow=uow) == 0  # nothing missing
    stored_task(uow, "new", code="2")
    assert await refresh_year_ends(TODAY, uow=uow) == 9
    assert await refresh_year_ends(date(2025, 1, 1), uow=uow) == 3  # 2024 has just closed


async def test_the_evaluation_of_a_closed_year_reads_the_stored_rows_only_when_they_are_whole():
    uow = two_tasks()
    replayed = asdict(await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow))
    await refresh_year_ends(TODAY, uow=uow)
    assert asdict(await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow)) == replayed

    day = date(2023, 12, 31)
    store = uow.task_year_ends
    rows = await store.of_plan("plan", day)
    await store.replace("plan", day, [rows["root"], rows["leaf"]._replace(progress=Decimal(33))])
    read = await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow)
    assert read.tasks[0].children[0].progress == 33  # the row, not the replay: no report was read

    del store.rows[("root", day)]  # not whole (its stamp still stored: kept by no tree yet): replayed
    store.stamps[("plan", day)] = "another"
    assert asdict(await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow)) == replayed


async def test_a_closed_years_tree_is_built_once_under_its_stamp_and_again_once_a_write_reaches_back():
    uow = two_tasks()
    await refresh_year_ends(TODAY, uow=uow)
    store = uow.task_year_ends
    first = await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow)
    again = await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow)
    assert store.stood_reads == 1  # the second evaluation read the stamp only
    assert again.tasks[0] is first.tasks[0]  # the same tree, read again

    uow.tasks.items["leaf"].title = "新标题"  # a write the commit notes as reaching every day of the plan
    await store.forget(["leaf"], EVERY_DAY)
    assert await store.stamp("plan", date(2023, 12, 31)) is None
    replayed = await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow)
    assert (store.stood_reads, replayed.tasks[0].children[0].task.title) == (1, "新标题")

    await refresh_year_ends(TODAY, uow=uow)  # stored again, under a new stamp: built from the new rows
    stored = await plans.evaluate_plan("plan", 2023, today=TODAY, uow=uow)
    assert (store.stood_reads, stored.tasks[0].children[0].task.title) == (2, "新标题")
    assert asdict(stored) == asdict(replayed)


async def test_the_check_names_a_stored_row_that_differs_from_the_replay():
    uow = two_tasks()
    await refresh_year_ends(TODAY, uow=uow)
    assert await year_end_rows_differences(TODAY, uow=uow) == []
    day = date(2022, 12, 31)
    task_rows = uow.task_year_ends.rows
    task_rows[("leaf", day)] = ("plan", task_rows[("leaf", day)][1]._replace(status=TaskStatus.COMPLETED))
    assert await year_end_rows_differences(TODAY, uow=uow) == [
        "task leaf: status stored completed, recomputed not_started (for 2022-12-31)"
    ]
    del uow.task_year_ends.stamps[("plan", date(2021, 12, 31))]
    assert (await year_end_rows_differences(TODAY, uow=uow))[0] == (
        "plan plan: year-end rows for 2021-12-31 stored without their stamp"
    )
