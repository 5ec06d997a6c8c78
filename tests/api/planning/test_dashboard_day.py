"""One date per answer (issue 14, 4): every part of the dashboard is taken on the one `as_of` it returns, and
agrees with the task list and the plan tree of that day. Today here is 2026-03-01, after the plan's end."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.planning.conftest import make_task
from tests.support.accounts import user_headers
from tests.support.days import app_on

TODAY = date(2026, 3, 1)


@pytest.fixture
async def app(settings):
    async with app_on(settings, TODAY) as application:
        yield application


async def move(client, headers, task_id: str, action: str, on: str, reason: str | None = None) -> None:
    body = {"action": action, "date": on} | ({"reason": reason} if reason else {})
    response = await client.post(f"/api/v1/tasks/{task_id}/transitions", json=body, headers=headers)
    assert response.status_code == 200, response.text


@pytest.fixture
async def tasks(client, planner, plan) -> dict[str, dict]:
    """Key tasks: late (due 2025-12-20, still open), done (completed 2026-01-10), idle (never started)."""
    made = {
        "late": await make_task(
            client, planner, plan["id"], code="1", start_date="2021-01-01", due_date="2025-12-20"
        ),
        "done": await make_task(
            client, planner, plan["id"], code="2", start_date="2021-01-01", due_date="2025-12-31"
        ),
        "idle": await make_task(
            client, planner, plan["id"], code="3", start_date="2021-01-01", due_date="2026-12-31"
        ),
    }
    await move(client, planner, made["late"]["id"], "start", "2021-03-01")
    await move(client, planner, made["done"]["id"], "start", "2021-03-01")
    await move(client, planner, made["done"]["id"], "complete", "2026-01-10")
    return made


async def listed(client, headers, plan_id: str, day: str | None, **filters) -> list[str]:
    params = {"plan_id": plan_id, "limit": 200} | ({"date": day} if day else {}) | filters
    response = await client.get("/api/v1/tasks", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["items"]]


@pytest.mark.parametrize(
    ("day", "as_of", "late_escalation", "done_status"),
    [
        (None, "2026-03-01", "notified", "completed"),  # 71 days overdue today
        ("2025-12-31", "2025-12-31", "reminded", "in_progress"),  # 11 days overdue then, not yet completed
        ("2026-01-19", "2026-01-19", "reminded", "completed"),  # 30 days overdue: still reminded
        ("2026-01-20", "2026-01-20", "notified", "completed"),  # 31 days: notified (通报)
    ],
)
async def test_every_part_of_the_dashboard_is_taken_on_its_as_of(
    client, viewer, plan, tasks, day, as_of, late_escalation, done_status
):
    board = (
        await client.get("/api/v1/dashboard", params={"date": day} if day else {}, headers=viewer)
    ).json()
    assert board["as_of"] == as_of and board["tiers"]["date"] == as_of
    assert board["plan"]["year"] == 2025 and board["chains"]["year"] == int(as_of[:4])
    key = {t["id"]: t for t in board["tasks"]["key_tasks"]}
    assert key[tasks["late"]["id"]]["escalation"] == late_escalation
    assert key[tasks["done"]["id"]]["status"] == done_status
    tree = (
        await client.get(f"/api/v1/plans/{plan['id']}/tree", params={"date": as_of}, headers=viewer)
    ).json()
    assert [(t["id"], t["warning"], t["status"], t["escalation"]) for t in tree["tasks"]] == [
        (t["id"], t["warning"], t["status"], t["escalation"]) for t in board["tasks"]["key_tasks"]
    ]
    for light, count in board["tasks"]["warning"].items():
        assert len(await listed(client, viewer, plan["id"], as_of, warning=light)) == count, light
    for level, count in board["tasks"]["escalation"].items():
        assert len(await listed(client, viewer, plan["id"], as_of, escalation=level)) == count, level
    for status, count in board["tasks"]["status"].items():
        assert len(await listed(client, viewer, plan["id"], as_of, status=status)) == count, status
    assert (
        sum(board["tasks"]["escalation"].values()) == 3 and board["tasks"]["escalation"][late_escalation] == 1
    )


async def test_the_pipeline_counts_the_targets_that_entered_a_stage_up_to_the_day(app, client, viewer):
    admin = await user_headers(app, client, "root", ["admin"])
    chain = (await client.post("/api/v1/chains", json={"name": "储能电池"}, headers=admin)).json()
    target = (
        await client.post(
            f"/api/v1/chains/{chain['id']}/targets",
            json={"company_name": "宁德时代", "stage_date": "2026-01-05"},
            headers=admin,
        )
    ).json()
    moved = await client.post(
        f"/api/v1/targets/{target['id']}/stage",
        json={"stage": "negotiating", "date": "2026-02-10"},
        headers=admin,
    )
    assert moved.status_code == 200, moved.text
    entered = {}
    for day in ("2026-01-04", "2026-01-05", "2026-02-09", "2026-02-10"):
        board = (await client.get("/api/v1/dashboard", params={"date": day}, headers=viewer)).json()
        entered[day] = (board["chains"]["pipeline"]["lead"], board["chains"]["pipeline"]["negotiating"])
    assert entered == {
        "2026-01-04": (0, 0),
        "2026-01-05": (1, 0),
        "2026-02-09": (1, 0),
        "2026-02-10": (1, 1),
    }
