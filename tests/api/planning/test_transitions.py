"""The status machine over HTTP: who may move a task, what is refused, and the event each move leaves."""

from __future__ import annotations

from tests.api.planning.conftest import events, make_task


async def move(client, headers, task_id: str, action: str, reason: str | None = None):
    body = {"action": action} | ({"reason": reason} if reason is not None else {})
    return await client.post(f"/api/v1/tasks/{task_id}/transitions", json=body, headers=headers)


async def test_lead_department_runs_its_task_through_the_machine(
    app, client, planner, staff, plan, department
):
    task = await make_task(client, planner, plan["id"], lead_department_id=department.id)
    for action, status in [("start", "in_progress"), ("suspend", "suspended"), ("resume", "in_progress")]:
        response = await move(client, staff, task["id"], action)
        assert response.status_code == 200 and response.json()["status"] == status
    done = await move(client, staff, task["id"], "complete")
    assert (
        done.json()["status"] == "completed"
        and done.json()["progress"] == 100
        and done.json()["warning"] == "done"
    )
    changes = await events(app, "task.status_changed")
    assert [(e.data["from"], e.data["to"]) for e in changes] == [
        ("not_started", "in_progress"),
        ("in_progress", "suspended"),
        ("suspended", "in_progress"),
        ("in_progress", "completed"),
    ]
    assert changes[0].data["on"] == "2024-06-15"


async def test_another_department_is_403_and_nothing_changes(
    app, client, planner, outsider, plan, department
):
    task = await make_task(client, planner, plan["id"], lead_department_id=department.id)
    assert (await move(client, outsider, task["id"], "start")).status_code == 403
    assert (await client.get(f"/api/v1/tasks/{task['id']}", headers=planner)).json()[
        "status"
    ] == "not_started"
    assert await events(app, "task.status_changed") == []


async def test_cancel_and_reopen_are_the_planners_and_need_a_reason(client, planner, staff, plan, department):
    task = await make_task(client, planner, plan["id"], lead_department_id=department.id)
    assert (await move(client, staff, task["id"], "cancel", "不再需要")).status_code == 403
    missing = await move(client, planner, task["id"], "cancel")
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == ["body", "reason"]
    blank = await move(client, planner, task["id"], "cancel", "  ")
    assert blank.status_code == 422
    cancelled = await move(client, planner, task["id"], "cancel", "规划调整")
    assert cancelled.json()["status"] == "cancelled"

    other = await make_task(client, planner, plan["id"], lead_department_id=department.id)
    await move(client, staff, other["id"], "start")
    await move(client, staff, other["id"], "complete")
    assert (await move(client, staff, other["id"], "reopen", "补充材料")).status_code == 403
    reopened = await move(client, planner, other["id"], "reopen", "补充材料")
    assert reopened.json()["status"] == "in_progress"


async def test_illegal_moves_are_409_naming_the_rule(client, planner, plan):
    task = await make_task(client, planner, plan["id"])
    for action in ("complete", "suspend", "resume", "reopen"):
        response = await move(client, planner, task["id"], action, "原因")
        assert response.status_code == 409 and response.json()["rule"] == "illegal-transition", action
    await move(client, planner, task["id"], "cancel", "取消")
    again = await move(client, planner, task["id"], "start")
    assert again.status_code == 409 and again.json()["rule"] == "illegal-transition"
    unknown = await move(client, planner, task["id"], "explode")
    assert unknown.status_code == 422


async def test_a_parent_cannot_complete_while_a_child_is_open(client, planner, plan):
    parent = await make_task(client, planner, plan["id"], code="1")
    child = await make_task(client, planner, plan["id"], code="1.1", parent_id=parent["id"])
    await move(client, planner, parent["id"], "start")
    refused = await move(client, planner, parent["id"], "complete")
    assert refused.status_code == 409 and refused.json()["rule"] == "illegal-transition"
    await move(client, planner, child["id"], "cancel", "合并到其他任务")
    assert (await move(client, planner, parent["id"], "complete")).json()["status"] == "completed"


async def test_unknown_task_is_404(client, planner):
    assert (await move(client, planner, "nope", "start")).status_code == 404
