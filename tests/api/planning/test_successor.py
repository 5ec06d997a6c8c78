"""The successor plan (十五五 after 十四五): POST /plans/{id}/successor on the seeded plan, once it has ended.

"Today" is 2026-01-20: the 2021–2025 plan is over, and a task completed on 2026-01-10 was still open on its
last day.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from infrastructure.db.tables.planning import indicators as indicators_table
from infrastructure.db.tables.planning import plans as plans_table
from infrastructure.db.tables.planning import tasks as tasks_table
from infrastructure.seed import planning as planning_seed
from tests.api.planning.conftest import etag, events
from tests.api.planning.test_evaluation_2023 import _all
from tests.support.days import app_on

TODAY = date(2026, 1, 20)
NEXT = {"title": "鞍山高新区“十五五”规划", "start_year": 2026, "end_year": 2030}


@pytest.fixture
async def app(settings):
    async with app_on(settings, TODAY) as application:
        yield application


async def move(client, headers, task: dict, action: str, on: str, reason: str | None = None) -> None:
    body = {"action": action, "date": on} | ({"reason": reason} if reason else {})
    moved = await client.post(f"/api/v1/tasks/{task['id']}/transitions", json=body, headers=headers)
    assert moved.status_code == 200, moved.text


@pytest.fixture
async def ended(app, client, planner):
    """The seeded plan at its end: 2025 figures for two indicators (a 2024 one for a third), 4.1.1 completed
    and 4.1.2 cancelled in 2025, 5.3 (linked to indicator 7) completed only in January 2026."""
    await planning_seed.seed(app.state.session_factory)
    [plan] = (await client.get("/api/v1/plans", headers=planner)).json()["items"]
    tasks = {t["code"]: t for t in await _all(client, planner, f"/api/v1/tasks?plan_id={plan['id']}")}
    indicators = {
        i["code"]: i for i in await _all(client, planner, f"/api/v1/indicators?plan_id={plan['id']}")
    }
    for code, year, value in [(2, 2025, "158.2"), (23, 2025, "0.38"), (3, 2024, "15.1")]:
        url = f"/api/v1/indicators/{indicators[code]['id']}/observations/{year}"
        assert (await client.put(url, json={"value": value}, headers=planner)).status_code == 201
    url = f"/api/v1/tasks/{tasks['5.3']['id']}"
    linked = await client.patch(
        url,
        json={"indicator_ids": [indicators[7]["id"]]},
        headers=planner | {"If-Match": await etag(client, url, planner)},
    )
    assert linked.status_code == 200, linked.text
    await move(client, planner, tasks["4.1.1"], "start", "2024-03-01")
    await move(client, planner, tasks["4.1.1"], "complete", "2025-11-30")
    await move(client, planner, tasks["4.1.2"], "cancel", "2025-06-01", reason="并入4.1.1")
    await move(client, planner, tasks["5.3"], "start", "2025-03-01")
    await move(client, planner, tasks["5.3"], "complete", "2026-01-10")
    return plan, tasks, indicators


async def successor(client, headers, plan_id: str, **extra):
    return await client.post(f"/api/v1/plans/{plan_id}/successor", json=NEXT | extra, headers=headers)


async def test_the_seeded_plans_successor_has_its_24_indicators_based_on_2025_with_no_targets(
    client, planner, viewer, ended
):
    plan, _, old = ended
    created = await successor(client, planner, plan["id"])
    assert created.status_code == 201, created.text
    new = created.json()
    assert created.headers["location"] == f"/api/v1/plans/{new['id']}"
    assert (new["title"], new["start_year"], new["end_year"]) == (NEXT["title"], 2026, 2030)
    assert (await client.get(created.headers["location"], headers=viewer)).json() == new

    indicators = {i["code"]: i for i in await _all(client, viewer, f"/api/v1/indicators?plan_id={new['id']}")}
    assert sorted(indicators) == list(range(1, 25))
    for code, indicator in indicators.items():
        same = ("area", "name", "unit", "nature", "direction")
        assert {k: indicator[k] for k in same} == {k: old[code][k] for k in same}
        assert (indicator["baseline_year"], indicator["target_year"], indicator["target_value"]) == (
            2025,
            2030,
            None,
        )
    assert (indicators[2]["baseline_value"], indicators[2]["note"]) == ("158.2", None)
    assert indicators[23]["baseline_value"] == "0.38"
    # 2024's figure is no 2025 baseline: none observed, and the note says so.
    for code in (1, 3):
        assert indicators[code]["baseline_value"] is None and "2025" in indicators[code]["note"]

    # Without a target there is nothing to measure a figure against.
    url = f"/api/v1/indicators/{indicators[2]['id']}/observations/2026"
    assert (await client.put(url, json={"value": "170"}, headers=planner)).status_code == 201
    assessed = await client.get(
        f"/api/v1/indicators/{indicators[2]['id']}/assessment?year=2026", headers=viewer
    )
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["status"] == "no_data" and assessed.json()["actual_value"] == "170"
    assert assessed.json()["expected_value"] is None and assessed.json()["completion_ratio"] is None

    # No task is carried unless asked.
    assert await _all(client, viewer, f"/api/v1/tasks?plan_id={new['id']}") == []


async def test_carried_tasks_are_those_open_on_the_last_day_linked_to_their_origins_and_dated_in_the_new_plan(
    app, client, planner, viewer, ended
):
    plan, old_tasks, old_indicators = ended
    before = await events(app, "task.created")
    created = await successor(client, planner, plan["id"], carry_over=True)
    assert created.status_code == 201, created.text
    new = created.json()

    carried = {t["code"]: t for t in await _all(client, viewer, f"/api/v1/tasks?plan_id={new['id']}")}
    closed_by_the_end = {"4.1.1", "4.1.2"}
    assert set(carried) == set(old_tasks) - closed_by_the_end
    assert all(t["carried_from"] == old_tasks[code]["id"] for code, t in carried.items())
    assert all(t["id"] != old_tasks[code]["id"] for code, t in carried.items())
    assert all((t["start_date"], t["due_date"]) == ("2026-01-01", "2030-12-31") for t in carried.values())
    assert all(t["status"] == "not_started" for t in carried.values())
    # The structure stands: each carried task under its parent's copy.
    for code, task in carried.items():
        old_parent = old_tasks[code]["parent_id"]
        expected = None if old_parent is None else carried[_code_of(old_tasks, old_parent)]["id"]
        assert task["parent_id"] == expected
    new_indicators = {
        i["code"]: i for i in await _all(client, viewer, f"/api/v1/indicators?plan_id={new['id']}")
    }
    assert carried["5.3"]["indicator_ids"] == [new_indicators[7]["id"]] != [old_indicators[7]["id"]]

    # Its own from now on: the original stands as it was, completed in January.
    original = (await client.get(f"/api/v1/tasks/{old_tasks['5.3']['id']}", headers=viewer)).json()
    assert (original["status"], original["plan_id"], original["carried_from"]) == (
        "completed",
        plan["id"],
        None,
    )
    tree = (await client.get(f"/api/v1/plans/{new['id']}/tree", headers=viewer)).json()
    assert {t["code"]: t["carried_from"] for t in tree["tasks"]} == {
        code: old_tasks[code]["id"] for code in ("4", "5", "6", "7", "8", "9", "10")
    }

    # Each copy was announced as any new task is.
    announced = (await events(app, "task.created"))[len(before) :]
    assert sorted(e.subject_id for e in announced) == sorted(t["id"] for t in carried.values())
    assert all(e.data["plan_id"] == new["id"] for e in announced)


async def test_the_successor_is_evaluated_and_exported_before_any_target_is_set(
    client, planner, viewer, ended
):
    plan, _, _ = ended
    new = (await successor(client, planner, plan["id"], carry_over=True)).json()
    indicators = await _all(client, viewer, f"/api/v1/indicators?plan_id={new['id']}")
    gdp = next(i for i in indicators if i["code"] == 2)
    url = f"/api/v1/indicators/{gdp['id']}/observations/2026"
    assert (await client.put(url, json={"value": "170"}, headers=planner)).status_code == 201

    evaluated = await client.get(f"/api/v1/plans/{new['id']}/evaluation?year=2026", headers=viewer)
    assert evaluated.status_code == 200, evaluated.text
    body = evaluated.json()
    assert {i["status"] for i in body["indicators"]} == {"no_data"}
    assert [i["actual_value"] for i in body["indicators"] if i["code"] == 2] == ["170"]
    assert [t["code"] for t in body["tasks"]] == ["4", "5", "6", "7", "8", "9", "10"]
    exported = await client.get(
        f"/api/v1/exports/evaluation.xlsx?plan_id={new['id']}&year=2026", headers=viewer
    )
    assert exported.status_code == 200, exported.text


def _code_of(tasks: dict[str, dict], task_id: str) -> str:
    return next(code for code, task in tasks.items() if task["id"] == task_id)


async def test_the_old_plan_and_its_evaluations_are_unchanged(client, planner, viewer, ended):
    plan, _, _ = ended
    urls = [
        f"/api/v1/plans/{plan['id']}/evaluation?year=2025",
        f"/api/v1/plans/{plan['id']}/evaluation?year=2023",
        f"/api/v1/plans/{plan['id']}/tree?date=2025-12-31",
        f"/api/v1/plans/{plan['id']}/tree",
        f"/api/v1/indicators?plan_id={plan['id']}&limit=200",
    ]
    before = [(await client.get(url, headers=viewer)).json() for url in urls]
    assert (await successor(client, planner, plan["id"], carry_over=True)).status_code == 201
    assert [(await client.get(url, headers=viewer)).json() for url in urls] == before


@pytest.mark.parametrize(
    ("years", "field"),
    [
        ({"start_year": 2027, "end_year": 2031}, "start_year"),
        ({"start_year": 2025, "end_year": 2030}, "start_year"),
        ({"start_year": 2026, "end_year": 2026}, "end_year"),
        ({"start_year": 2026, "end_year": 2025}, "end_year"),
    ],
)
async def test_years_that_do_not_follow_the_plan_are_refused_and_nothing_is_made(
    app, client, planner, ended, years, field
):
    plan, _, _ = ended
    counted = await _counts(app)
    refused = await successor(client, planner, plan["id"], carry_over=True, **years)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == ["body", field]
    assert await _counts(app) == counted


async def test_tasks_are_carried_only_once_the_plan_has_ended(app, client, planner):
    running_plan = await client.post(
        "/api/v1/plans",
        json={"title": "2022–2026规划", "start_year": 2022, "end_year": 2026},
        headers=planner,
    )
    plan_id = running_plan.json()["id"]
    counted = await _counts(app)
    refused = await client.post(
        f"/api/v1/plans/{plan_id}/successor",
        json={"title": "下一规划", "start_year": 2027, "end_year": 2031, "carry_over": True},
        headers=planner,
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "carry_over"]
    assert "2026-12-31" in refused.json()["detail"]
    assert await _counts(app) == counted


async def test_an_unknown_plan_is_404_and_a_viewer_may_not_start_a_plan(app, client, planner, viewer, ended):
    plan, _, _ = ended
    assert (await successor(client, planner, "no-such-plan")).status_code == 404
    counted = await _counts(app)
    assert (await successor(client, viewer, plan["id"])).status_code == 403
    assert await _counts(app) == counted


async def test_a_repeated_request_with_the_same_idempotency_key_makes_one_plan(app, client, planner, ended):
    plan, _, _ = ended
    headers = planner | {"Idempotency-Key": "successor-1"}
    first = await successor(client, headers, plan["id"], carry_over=True)
    counted = await _counts(app)
    again = await successor(client, headers, plan["id"], carry_over=True)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["location"] == first.headers["location"]
    assert await _counts(app) == counted


async def _counts(app) -> tuple[int, int, int]:
    async with app.state.session_factory() as session:
        return tuple(
            [
                (await session.execute(select(func.count()).select_from(table))).scalar_one()
                for table in (plans_table, indicators_table, tasks_table)
            ]
        )
