"""The roll-up handlers in memory: a write's step rewrites its task and the tasks above it from the children's
rows of today, the daily refresh brings whole plans to today, and the check names what differs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from domain.planning.handlers.common import plan_tree_of
from domain.planning.handlers.rollups import keep_rollups, refresh_rollups, rollup_differences
from domain.planning.handlers.tasks import list_tasks
from domain.planning.reports import ProgressReport
from domain.planning.rollups import rollup_of
from domain.planning.supervision import WarningLight
from tests.unit.handlers.planning.world import TODAY, stored_task, world


def three_levels():
    """root › middle › (a, b weighted 1 and 3), and a sibling of middle with nothing below it."""
    uow = world()
    dates = {"start_date": date(2024, 1, 1), "due_date": date(2024, 12, 31)}
    stored_task(uow, "root", code="1", **dates)
    stored_task(uow, "middle", code="1.1", parent_id="root", **dates)
    stored_task(uow, "a", code="1.1.1", parent_id="middle", **dates)
    stored_task(uow, "b", code="1.1.2", parent_id="middle", weight=Decimal(3), **dates)
    stored_task(uow, "side", code="1.2", parent_id="root", **dates)
    return uow


def file(uow, task_id: str, percent: int) -> None:
    at = datetime(2024, 6, 1, tzinfo=UTC)
    report = ProgressReport(
        task_id=task_id, period="2024-05", percent=Decimal(percent), summary="进展", filed_at=at
    )
    uow.progress_reports.items[report.id] = report


async def recomputed(uow) -> dict:
    tree = await plan_tree_of("plan", on=TODAY, today=TODAY, uow=uow, use_stored=False)
    return {node.task.id: rollup_of(node, TODAY) for node in tree}


async def test_a_write_rewrites_its_task_and_those_above_from_the_siblings_rows():
    uow = three_levels()
    await refresh_rollups(TODAY, uow=uow)
    assert uow.task_rollups.locked == ["a", "b", "middle", "root", "side"]  # the plan's, before reading it
    uow.task_rollups.locked.clear()
    file(uow, "a", 80)

    assert await keep_rollups({"a"}, today=TODAY, uow=uow) == 3
    truth = await recomputed(uow)
    assert {task_id: uow.task_rollups.rows[task_id] for task_id in ("a", "middle", "root")} == {
        task_id: truth[task_id] for task_id in ("a", "middle", "root")
    }
    assert uow.task_rollups.rows["middle"].progress == 20  # (80·1 + 0·3) / 4
    assert uow.task_rollups.locked == ["a", "middle", "root"]  # held before reading, in one order


async def test_a_sibling_without_a_row_of_today_is_computed_not_trusted():
    uow = three_levels()
    await refresh_rollups(TODAY, uow=uow)
    file(uow, "b", 40)  # filed behind the rows' back: b's row still says 0
    uow.task_rollups.rows["b"] = replace(uow.task_rollups.rows["b"], computed_for=TODAY - timedelta(days=1))
    file(uow, "a", 80)

    await keep_rollups({"a"}, today=TODAY, uow=uow)
    assert uow.task_rollups.rows["middle"].progress == (await recomputed(uow))["middle"].progress == 50


async def test_a_child_in_another_plan_or_a_parent_cycle_keeps_what_the_plan_tree_shows():
    uow = three_levels()
    stored_task(uow, "stray", plan_id="elsewhere", parent_id="middle", status="completed")
    await keep_rollups({"stray"}, today=TODAY, uow=uow)
    assert uow.task_rollups.rows["middle"].progress == 0  # the stray's 100 is no child of middle's tree

    uow.tasks.items["root"].parent_id = "a"  # a cycle no handler lets in
    uow.task_rollups.rows["root"] = replace(uow.task_rollups.rows["root"], warning=WarningLight.RED)
    assert await keep_rollups({"a"}, today=TODAY, uow=uow) == 0
    assert not {"a", "middle", "root"} & set(uow.task_rollups.rows)  # forgotten: reads compute them


async def test_the_refresh_brings_every_task_to_today_and_the_check_names_a_difference():
    uow = three_levels()
    file(uow, "b", 40)
    assert await refresh_rollups(TODAY, uow=uow) == 5
    assert await rollup_differences(TODAY, uow=uow) == []
    assert await refresh_rollups(TODAY, uow=uow) == 0  # nothing left of another day

    uow.task_rollups.rows["root"] = replace(uow.task_rollups.rows["root"], progress=Decimal(99))
    assert await rollup_differences(TODAY, uow=uow) == [
        "task root: progress stored 99, recomputed 15 (for 2024-06-15)"  # (30 + 0) / 2
    ]


async def test_a_page_filtered_by_light_reads_the_rows_of_today_and_finds_what_computing_finds():
    uow = three_levels()
    file(uow, "a", 80)
    filters = {"plan_id": "plan", "warning": WarningLight.YELLOW}
    computed, _ = await list_tasks(filters, after=None, limit=10, on=TODAY, today=TODAY, uow=uow)
    await refresh_rollups(TODAY, uow=uow)
    stored, nodes = await list_tasks(filters, after=None, limit=10, on=TODAY, today=TODAY, uow=uow)
    # b and side are behind (half the year gone, nothing or little done), and their lights roll up
    assert [t.id for t in stored] == [t.id for t in computed] == ["b", "middle", "root", "side"]
    assert {node.warning for node in nodes} == {WarningLight.YELLOW}

    uow.task_rollups.rows["side"] = replace(uow.task_rollups.rows["side"], warning=WarningLight.GREEN)
    shown, _ = await list_tasks(filters, after=None, limit=10, on=TODAY, today=TODAY, uow=uow)
    assert [t.id for t in shown] == [
        "b",
        "middle",
        "root",
    ]  # the rows answered (a wrong row shows: `gaoxin verify` finds it)
