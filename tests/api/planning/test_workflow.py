"""Extension requests, decisions and urges over HTTP: who may, what moves, what is refused, the events."""

from __future__ import annotations

import pytest

from tests.api.planning.conftest import events, make_task


@pytest.fixture
async def late_task(client, planner, plan, department) -> dict:
    """Due 2024-05-31: on 2024-06-15 it is 15 days overdue."""
    return await make_task(
        client,
        planner,
        plan["id"],
        lead_department_id=department.id,
        start_date="2024-01-01",
        due_date="2024-05-31",
    )


def ask(client, headers, task_id: str, **body):
    return client.post(f"/api/v1/tasks/{task_id}/extension-requests", json=body, headers=headers)


async def test_an_approved_extension_moves_the_due_date_and_keeps_the_first(
    app, client, planner, staff, late_task
):
    asked = await ask(client, staff, late_task["id"], new_due_date="2024-09-30", reason="设备延迟到货")
    assert asked.status_code == 201
    request = asked.json()
    assert request["status"] == "pending" and request["requested_by"] == "keji"
    listed = (await client.get(f"/api/v1/tasks/{late_task['id']}/extension-requests", headers=planner)).json()
    assert [r["id"] for r in listed["items"]] == [request["id"]]

    url = f"/api/v1/extension-requests/{request['id']}/decision"
    assert (await client.post(url, json={"approved": True}, headers=staff)).status_code == 403
    decided = await client.post(url, json={"approved": True, "note": "同意"}, headers=planner)
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert decided.json()["decided_by"] == "planner"
    task = (await client.get(f"/api/v1/tasks/{late_task['id']}", headers=planner)).json()
    assert task["due_date"] == "2024-09-30" and task["original_due_date"] == "2024-05-31"
    assert task["overdue"] is False
    twice = await client.post(url, json={"approved": False}, headers=planner)
    assert twice.status_code == 409 and twice.json()["rule"] == "illegal-transition"
    [event] = await events(app, "task.extension_decided")
    assert event.data["approved"] is True and event.data["previous_due_date"] == "2024-05-31"
    read = await client.get(f"/api/v1/extension-requests/{request['id']}", headers=planner)
    assert read.json()["status"] == "approved"


async def test_a_rejected_extension_leaves_the_due_date(client, planner, staff, late_task):
    request = (await ask(client, staff, late_task["id"], new_due_date="2024-09-30", reason="人手不足")).json()
    url = f"/api/v1/extension-requests/{request['id']}/decision"
    assert (await client.post(url, json={"approved": False}, headers=planner)).json()["status"] == "rejected"
    assert (await client.get(f"/api/v1/tasks/{late_task['id']}", headers=planner)).json()[
        "due_date"
    ] == "2024-05-31"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_due_date": "2024-09-30"}, "reason"),
        ({"new_due_date": "2024-09-30", "reason": " "}, "reason"),
        ({"new_due_date": "2024-05-01", "reason": "x"}, "new_due_date"),
        ({"reason": "x"}, "new_due_date"),
    ],
)
async def test_bad_extension_requests_are_422_and_nothing_is_written(
    client, staff, planner, late_task, body, field
):
    response = await ask(client, staff, late_task["id"], **body)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][-1] == field
    listed = await client.get(f"/api/v1/tasks/{late_task['id']}/extension-requests", headers=planner)
    assert listed.json()["items"] == []


async def test_only_the_lead_department_asks(client, outsider, planner, late_task):
    body = {"new_due_date": "2024-09-30", "reason": "x"}
    assert (await ask(client, outsider, late_task["id"], **body)).status_code == 403
    assert (await ask(client, planner, late_task["id"], **body)).status_code == 403


async def test_urging_an_overdue_task_escalates_it(app, client, planner, staff, viewer, late_task):
    url = f"/api/v1/tasks/{late_task['id']}"
    before = (await client.get(url, headers=viewer)).json()
    assert before["overdue"] is True and before["escalation"] == "reminded" and before["warning"] == "red"
    assert (await client.post(f"{url}/urges", json={"note": "请尽快办结"}, headers=staff)).status_code == 403
    urged = await client.post(f"{url}/urges", json={"note": "请尽快办结"}, headers=planner)
    assert (
        urged.status_code == 201 and urged.json()["by"] == "planner" and urged.json()["note"] == "请尽快办结"
    )
    assert (await client.post(f"{url}/urges", headers=planner)).status_code == 201  # the body is optional
    after = (await client.get(url, headers=viewer)).json()
    assert after["escalation"] == "urged" and after["urge_count"] == 2
    assert len((await client.get(f"{url}/urges", headers=viewer)).json()["items"]) == 2
    assert [e.data["urge_count"] for e in await events(app, "task.urged")] == [1, 2]


async def test_a_closed_task_is_not_urged_nor_extended(client, planner, staff, late_task):
    url = f"/api/v1/tasks/{late_task['id']}"
    await client.post(f"{url}/transitions", json={"action": "cancel", "reason": "撤销"}, headers=planner)
    assert (await client.post(f"{url}/urges", json={}, headers=planner)).status_code == 409
    asked = await ask(client, staff, late_task["id"], new_due_date="2024-09-30", reason="x")
    assert asked.status_code == 409


async def test_a_task_with_an_urge_is_not_deleted(client, planner, late_task):
    url = f"/api/v1/tasks/{late_task['id']}"
    await client.post(f"{url}/urges", json={}, headers=planner)
    tag = (await client.get(url, headers=planner)).headers["etag"]
    refused = await client.delete(url, headers=planner | {"If-Match": tag})
    assert refused.status_code == 409 and refused.json()["rule"] == "not-deletable"
