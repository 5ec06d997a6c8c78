"""Progress reports over HTTP: filing (lead department only), refusals, returning, and the events."""

from __future__ import annotations

import pytest

from tests.api.planning.conftest import events, make_task

GOOD = {
    "period": "2024-05",
    "percent": 40,
    "summary": "完成园区规划",
    "problems": "资金",
    "next_steps": "招商",
}


def reports_url(task_id: str) -> str:
    return f"/api/v1/tasks/{task_id}/progress-reports"


@pytest.fixture
async def led_task(client, planner, plan, department) -> dict:
    return await make_task(
        client,
        planner,
        plan["id"],
        lead_department_id=department.id,
        start_date="2024-01-01",
        due_date="2024-12-31",
    )


async def test_filing_starts_the_task_and_sets_its_progress(app, client, staff, viewer, led_task):
    response = await client.post(reports_url(led_task["id"]), json=GOOD, headers=staff)
    assert response.status_code == 201 and response.headers["etag"]
    report = response.json()
    assert report["percent"] == 40 and report["filed_by"] == "keji" and report["returned"] is False
    task = (await client.get(f"/api/v1/tasks/{led_task['id']}", headers=viewer)).json()
    assert task["status"] == "in_progress" and task["progress"] == 40
    [reported] = await events(app, "task.progress_reported")
    assert reported.subject_id == led_task["id"] and reported.data["percent"] == "40"
    assert [e.data["to"] for e in await events(app, "task.status_changed")] == ["in_progress"]
    listed = (await client.get(reports_url(led_task["id"]), headers=viewer)).json()
    assert [r["id"] for r in listed["items"]] == [report["id"]] and listed["items"][0]["etag"]


async def test_only_the_lead_department_reports(client, planner, outsider, led_task):
    assert (await client.post(reports_url(led_task["id"]), json=GOOD, headers=outsider)).status_code == 403
    assert (await client.post(reports_url(led_task["id"]), json=GOOD, headers=planner)).status_code == 403
    assert (await client.get(reports_url(led_task["id"]), headers=planner)).json()["items"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"percent": 101}, "percent"),
        ({"percent": -1}, "percent"),
        ({"period": "2024-3"}, "period"),
        ({"period": "2024-13"}, "period"),
        ({"period": "2024-07"}, "period"),  # a future month
        ({"summary": " "}, "summary"),
        ({"attachment_ids": ["nope"]}, "attachment_ids"),
    ],
)
async def test_bad_reports_are_422_and_nothing_is_written(
    app, client, staff, viewer, led_task, change, field
):
    response = await client.post(reports_url(led_task["id"]), json=GOOD | change, headers=staff)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][-1] == field
    assert (await client.get(reports_url(led_task["id"]), headers=viewer)).json()["items"] == []
    assert (await client.get(f"/api/v1/tasks/{led_task['id']}", headers=viewer)).json()[
        "status"
    ] == "not_started"
    assert await events(app, "task.progress_reported") == []


async def test_a_parent_or_a_closed_task_takes_no_report(client, planner, staff, plan, department, led_task):
    child = await make_task(
        client, planner, plan["id"], parent_id=led_task["id"], lead_department_id=department.id
    )
    on_parent = await client.post(reports_url(led_task["id"]), json=GOOD, headers=staff)
    assert on_parent.status_code == 409 and on_parent.json()["rule"] == "conflict"
    await client.post(
        f"/api/v1/tasks/{child['id']}/transitions", json={"action": "cancel", "reason": "x"}, headers=planner
    )
    closed = await client.post(reports_url(child["id"]), json=GOOD, headers=staff)
    assert closed.status_code == 409 and closed.json()["rule"] == "illegal-transition"
    # Its only child cancelled, the parent is reported on directly again (as the tree reads it).
    assert (await client.post(reports_url(led_task["id"]), json=GOOD, headers=staff)).status_code == 201


async def test_a_returned_report_stops_counting(app, client, planner, staff, viewer, led_task):
    first = (
        await client.post(
            reports_url(led_task["id"]), json=GOOD | {"period": "2024-04", "percent": 30}, headers=staff
        )
    ).json()
    second = (
        await client.post(reports_url(led_task["id"]), json=GOOD | {"percent": 60}, headers=staff)
    ).json()
    task_url = f"/api/v1/tasks/{led_task['id']}"
    assert (await client.get(task_url, headers=viewer)).json()["progress"] == 60

    url = f"/api/v1/progress-reports/{second['id']}/return"
    assert (await client.post(url, json={"comment": "缺少佐证"}, headers=staff)).status_code == 403
    assert (await client.post(url, json={"comment": " "}, headers=planner)).status_code == 422
    returned = await client.post(url, json={"comment": "缺少佐证材料"}, headers=planner)
    assert returned.status_code == 200
    assert returned.json()["returned"] is True and returned.json()["returned_by"] == "planner"
    assert (await client.get(task_url, headers=viewer)).json()["progress"] == 30
    again = await client.post(url, json={"comment": "再次"}, headers=planner)
    assert again.status_code == 409 and again.json()["rule"] == "illegal-transition"
    [event] = await events(app, "task.report_returned")
    assert event.data["report_id"] == second["id"] and event.data["comment"] == "缺少佐证材料"
    assert first["id"] != second["id"]
    assert (
        await client.post("/api/v1/progress-reports/nope/return", json={"comment": "x"}, headers=planner)
    ).status_code == 404
