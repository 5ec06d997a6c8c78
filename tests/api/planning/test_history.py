"""History over HTTP: moves dated when they took effect, a task's history, and every read as of a day.

Today is 2024-06-15 here (tests/api/planning/conftest.py).
"""

from __future__ import annotations

import pytest

from tests.api.planning.conftest import events, make_task


async def move(client, headers, task_id: str, action: str, on: str | None = None, reason: str | None = None):
    body = {"action": action} | ({"date": on} if on else {}) | ({"reason": reason} if reason else {})
    return await client.post(f"/api/v1/tasks/{task_id}/transitions", json=body, headers=headers)


async def on_day(client, headers, task_id: str, day: str | None) -> dict:
    response = await client.get(
        f"/api/v1/tasks/{task_id}", params={"date": day} if day else {}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def led(client, planner, plan, department) -> dict:
    return await make_task(
        client,
        planner,
        plan["id"],
        code="1",
        lead_department_id=department.id,
        start_date="2022-01-01",
        due_date="2024-12-31",
    )


async def test_a_move_is_dated_when_it_took_effect(app, client, planner, viewer, led):
    started = await move(client, planner, led["id"], "start", "2022-03-01")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    [event] = await events(app, "task.status_changed")
    assert event.data["on"] == "2022-03-01"
    before, on = [await on_day(client, viewer, led["id"], d) for d in ("2022-02-28", "2022-03-01")]
    assert (before["status"], on["status"]) == ("not_started", "in_progress")
    assert (await on_day(client, viewer, led["id"], None))["status"] == "in_progress"  # today's


@pytest.mark.parametrize(("on", "status"), [("2024-06-14", 200), ("2024-06-15", 200), ("2024-06-16", 422)])
async def test_a_move_is_dated_today_or_earlier(client, planner, led, on, status):
    response = await move(client, planner, led["id"], "start", on)
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["errors"][0]["loc"] == ["body", "date"]
        assert (await on_day(client, planner, led["id"], None))["status"] == "not_started"  # nothing changed


@pytest.mark.parametrize(("on", "status"), [("2022-02-28", 422), ("2022-03-01", 200), ("2022-03-02", 200)])
async def test_a_move_is_never_dated_before_the_previous_one(app, client, planner, led, on, status):
    await move(client, planner, led["id"], "start", "2022-03-01")
    response = await move(client, planner, led["id"], "suspend", on)
    assert response.status_code == status, response.text
    if status == 422:
        assert "2022-03-01" in response.json()["detail"]
        assert len(await events(app, "task.status_changed")) == 1


async def test_a_parent_completes_on_a_day_only_if_no_child_was_open_that_day(client, planner, plan):
    parent = await make_task(client, planner, plan["id"], code="9")
    child = await make_task(client, planner, plan["id"], code="9.1", parent_id=parent["id"])
    await move(client, planner, parent["id"], "start", "2023-01-01")
    await move(client, planner, child["id"], "cancel", "2023-06-30", reason="合并")
    early = await move(client, planner, parent["id"], "complete", "2023-06-29")
    assert (
        early.status_code == 409 and early.json()["rule"] == "illegal-transition"
    )  # the child was open then
    assert (await move(client, planner, parent["id"], "complete", "2023-06-30")).status_code == 200


async def test_the_2023_evaluation_shows_a_task_completed_later_as_it_stood_on_31_december(
    client, planner, viewer, plan, led
):
    """The audit's case: a task completed after the year (here today, 2024-06-15) is not `done` in 2023."""
    await move(client, planner, led["id"], "start", "2022-03-01")
    await move(client, planner, led["id"], "complete")
    evaluation = (await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year=2023", headers=viewer)).json()
    [key] = evaluation["tasks"]
    assert (key["status"], key["warning"], key["progress"]) == ("in_progress", "yellow", 0)
    assert (
        evaluation["counts"]["status"]["completed"] == 0
        and evaluation["counts"]["status"]["in_progress"] == 1
    )
    this_year = (await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year=2024", headers=viewer)).json()
    assert this_year["tasks"][0]["status"] == "completed" and this_year["counts"]["warning"]["done"] == 1
    for day, status in (("2023-12-31", "in_progress"), ("2024-06-15", "completed")):
        tree = (
            await client.get(f"/api/v1/plans/{plan['id']}/tree", params={"date": day}, headers=viewer)
        ).json()
        assert tree["tasks"][0]["status"] == status
        listed = await client.get(
            "/api/v1/tasks", params={"plan_id": plan["id"], "date": day, "status": status}, headers=viewer
        )
        assert [t["id"] for t in listed.json()["items"]] == [led["id"]]
        other = "completed" if status == "in_progress" else "in_progress"
        assert (
            await client.get(
                "/api/v1/tasks", params={"plan_id": plan["id"], "date": day, "status": other}, headers=viewer
            )
        ).json()["items"] == []


async def test_a_report_starts_its_task_on_the_first_day_of_its_period(client, staff, viewer, led):
    body = {"period": "2023-05", "percent": 30, "summary": "开工"}
    assert (
        await client.post(f"/api/v1/tasks/{led['id']}/progress-reports", json=body, headers=staff)
    ).status_code == 201
    history = (await client.get(f"/api/v1/tasks/{led['id']}/history", headers=viewer)).json()
    [started] = [e for e in history["items"] if e["kind"] == "transition"]
    assert (started["action"], started["date"], started["by"]) == ("start", "2023-05-01", "keji")
    assert (await on_day(client, viewer, led["id"], "2023-04-30"))["status"] == "not_started"
    may = await on_day(client, viewer, led["id"], "2023-05-01")
    assert (may["status"], may["progress"]) == ("in_progress", 30)


async def test_the_history_lists_moves_reports_returns_urges_and_decisions_in_date_order(
    client, planner, staff, viewer, led
):
    await move(client, planner, led["id"], "start", "2022-03-01")
    report = (
        await client.post(
            f"/api/v1/tasks/{led['id']}/progress-reports",
            json={"period": "2024-05", "percent": 40, "summary": "进展"},
            headers=staff,
        )
    ).json()
    await client.post(
        f"/api/v1/progress-reports/{report['id']}/return", json={"comment": "无佐证"}, headers=planner
    )
    await client.post(f"/api/v1/tasks/{led['id']}/urges", json={"note": "请加快"}, headers=planner)
    request = (
        await client.post(
            f"/api/v1/tasks/{led['id']}/extension-requests",
            json={"new_due_date": "2025-06-30", "reason": "资金"},
            headers=staff,
        )
    ).json()
    await client.post(
        f"/api/v1/extension-requests/{request['id']}/decision", json={"approved": False}, headers=planner
    )
    response = await client.get(f"/api/v1/tasks/{led['id']}/history", headers=viewer)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [e["kind"] for e in items] == ["transition", "report", "return", "urge", "extension_decision"]
    assert items == sorted(items, key=lambda e: (e["date"], e["at"]))
    assert items[0] | {"at": None} == {
        "kind": "transition",
        "date": "2022-03-01",
        "at": None,
        "by": "planner",
        "seq": 1,
        "action": "start",
        "from_status": "not_started",
        "to_status": "in_progress",
        "reason": None,
        "migrated": False,
    }
    assert (items[1]["report_id"], items[1]["percent"], items[2]["comment"]) == (report["id"], 40, "无佐证")
    assert (items[3]["note"], items[4]["approved"], items[4]["new_due_date"]) == (
        "请加快",
        False,
        "2025-06-30",
    )
    assert (await client.get("/api/v1/tasks/nope/history", headers=viewer)).status_code == 404


async def test_the_history_is_in_the_openapi_schema(client):
    schema = (await client.get("/openapi.json")).json()
    answer = schema["paths"]["/api/v1/tasks/{task_id}/history"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/TaskHistoryOut")
    kinds = schema["components"]["schemas"]["TaskHistoryOut"]["properties"]["items"]["items"]["discriminator"]
    assert set(kinds["mapping"]) == {"transition", "report", "return", "urge", "extension_decision"}
    transition = schema["paths"]["/api/v1/tasks/{task_id}/transitions"]["post"]
    body = transition["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "date" in schema["components"]["schemas"][body]["properties"]
