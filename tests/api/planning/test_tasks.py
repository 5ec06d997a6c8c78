"""Tasks over HTTP: create, read, change, delete, filters, and each bad input refused with nothing written."""

from __future__ import annotations

import pytest

from tests.api.planning.conftest import etag, events, make_task


async def test_create_read_patch_with_etag_and_task_created_event(
    app, client, planner, viewer, plan, department
):
    task = await make_task(
        client,
        planner,
        plan["id"],
        code="5.3",
        title="实施高新技术企业培育计划",
        weight="2.5",
        lead_department_id=department.id,
        start_date="2021-01-01",
        due_date="2025-12-31",
    )
    assert task["status"] == "not_started" and task["progress"] == 0 and task["weight"] == 2.5
    assert task["warning"] == "yellow" and task["overdue"] is False and task["escalation"] == "none"
    url = f"/api/v1/tasks/{task['id']}"
    read = await client.get(url, headers=viewer)
    assert read.json() == task
    [created] = await events(app, "task.created")
    assert created.subject_id == task["id"] and created.data["code"] == "5.3"

    assert (await client.patch(url, json={"title": "新"}, headers=planner)).status_code == 428
    patched = await client.patch(
        url,
        json={"title": "新名称", "co_department_ids": []},
        headers=planner | {"If-Match": read.headers["etag"]},
    )
    assert patched.status_code == 200 and patched.json()["title"] == "新名称"
    assert patched.headers["etag"] == (await client.get(url, headers=viewer)).headers["etag"]
    stale = await client.patch(url, json={"title": "X"}, headers=planner | {"If-Match": read.headers["etag"]})
    assert stale.status_code == 412


async def test_department_staff_cannot_create_tasks(client, staff, plan):
    response = await client.post("/api/v1/tasks", json={"plan_id": plan["id"], "title": "x"}, headers=staff)
    assert response.status_code == 403


async def _other_plan(client, planner) -> dict:
    body = {"title": "另一规划", "start_year": 2021, "end_year": 2025}
    return (await client.post("/api/v1/plans", json=body, headers=planner)).json()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start_date": "2024-05-01", "due_date": "2024-04-30"}, "due_date"),
        ({"lead_department_id": "nope"}, "lead_department_id"),
        ({"co_department_ids": ["nope"]}, "co_department_ids"),
        ({"indicator_ids": ["nope"]}, "indicator_ids"),
        ({"parent_id": "nope"}, "parent_id"),
        ({"weight": 0}, "weight"),
        ({"title": ""}, "title"),
    ],
)
async def test_bad_tasks_are_422_naming_the_field_and_nothing_is_written(
    client, planner, plan, fields, field
):
    body = {"plan_id": plan["id"], "title": "任务", **fields}
    response = await client.post("/api/v1/tasks", json=body, headers=planner)
    assert response.status_code == 422, response.text
    assert field in {e["loc"][-1] for e in response.json()["errors"]}
    assert (await client.get("/api/v1/tasks", headers=planner)).json()["items"] == []


async def test_unknown_plan_is_422_and_a_duplicate_code_409(client, planner, plan):
    unknown = await client.post("/api/v1/tasks", json={"plan_id": "nope", "title": "x"}, headers=planner)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["body", "plan_id"]
    await make_task(client, planner, plan["id"], code="4")
    again = await client.post(
        "/api/v1/tasks", json={"plan_id": plan["id"], "code": "4", "title": "y"}, headers=planner
    )
    assert again.status_code == 409 and again.json()["rule"] == "duplicate"


async def test_a_parent_from_another_plan_or_a_cycle_is_422(client, planner, plan):
    other = await make_task(client, planner, (await _other_plan(client, planner))["id"])
    foreign = await client.post(
        "/api/v1/tasks", json={"plan_id": plan["id"], "title": "x", "parent_id": other["id"]}, headers=planner
    )
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["loc"] == ["body", "parent_id"]

    top = await make_task(client, planner, plan["id"], code="1")
    middle = await make_task(client, planner, plan["id"], code="1.1", parent_id=top["id"])
    bottom = await make_task(client, planner, plan["id"], code="1.1.1", parent_id=middle["id"])
    url = f"/api/v1/tasks/{top['id']}"
    for parent in (bottom["id"], top["id"]):
        tag = await etag(client, url, planner)
        cycle = await client.patch(url, json={"parent_id": parent}, headers=planner | {"If-Match": tag})
        assert cycle.status_code == 422 and cycle.json()["errors"][0]["loc"] == ["body", "parent_id"]
    assert (await client.get(url, headers=planner)).json()["parent_id"] is None


async def test_an_indicator_of_the_plan_can_be_linked(client, planner, plan):
    indicator = await client.post(
        "/api/v1/indicators",
        json={
            "plan_id": plan["id"],
            "code": 8,
            "area": "产业培育",
            "name": "高新技术企业数量",
            "unit": "个",
            "baseline_year": 2020,
            "baseline_value": 111,
            "target_year": 2025,
            "target_value": 160,
            "nature": "expected",
            "direction": "up",
        },
        headers=planner,
    )
    task = await make_task(client, planner, plan["id"], indicator_ids=[indicator.json()["id"]])
    assert task["indicator_ids"] == [indicator.json()["id"]]


async def test_delete_needs_if_match_and_refuses_tasks_with_children_or_reports(client, planner, plan):
    parent = await make_task(client, planner, plan["id"], code="1")
    child = await make_task(client, planner, plan["id"], code="1.1", parent_id=parent["id"])
    parent_url, child_url = f"/api/v1/tasks/{parent['id']}", f"/api/v1/tasks/{child['id']}"
    assert (await client.delete(child_url, headers=planner)).status_code == 428
    refused = await client.delete(
        parent_url, headers=planner | {"If-Match": await etag(client, parent_url, planner)}
    )
    assert refused.status_code == 409 and refused.json()["rule"] == "not-deletable"
    gone = await client.delete(
        child_url, headers=planner | {"If-Match": await etag(client, child_url, planner)}
    )
    assert gone.status_code == 204
    assert (await client.get(child_url, headers=planner)).status_code == 404
    deleted = await client.delete(
        parent_url, headers=planner | {"If-Match": await etag(client, parent_url, planner)}
    )
    assert deleted.status_code == 204


async def test_filters_are_bound_to_the_cursor(client, planner, viewer, plan, department):
    root = await make_task(
        client, planner, plan["id"], code="1", title="数字经济", lead_department_id=department.id
    )
    await make_task(client, planner, plan["id"], code="1.1", title="数字产业园", parent_id=root["id"])
    await make_task(client, planner, plan["id"], code="2", title="新能源", due_date="2024-06-01")
    await make_task(client, planner, plan["id"], code="3", title="人才")

    async def codes(**params) -> list[str]:
        page = (await client.get("/api/v1/tasks", params=params, headers=viewer)).json()
        return sorted(t["code"] for t in page["items"])

    assert await codes(root="true") == ["1", "2", "3"]
    assert await codes(root="false") == ["1.1"]
    assert await codes(parent_id=root["id"]) == ["1.1"]
    assert await codes(plan_id=plan["id"], lead_department_id=department.id) == ["1"]
    assert await codes(q="数字") == ["1", "1.1"]
    assert await codes(overdue="true") == ["2"]
    assert await codes(warning="red") == ["2"]
    assert await codes(escalation="reminded") == ["2"]
    assert await codes(status="not_started") == ["1", "1.1", "2", "3"]
    assert (await client.get("/api/v1/tasks?warning=purple", headers=viewer)).status_code == 422

    first = (await client.get("/api/v1/tasks", params={"root": "true", "limit": 2}, headers=viewer)).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = await client.get(
        "/api/v1/tasks", params={"root": "true", "cursor": first["next_cursor"]}, headers=viewer
    )
    assert len(rest.json()["items"]) == 1 and rest.json()["next_cursor"] is None
    foreign = await client.get(
        "/api/v1/tasks", params={"root": "false", "cursor": first["next_cursor"]}, headers=viewer
    )
    assert foreign.status_code == 400

    # A derived filter pages too: one green task a page, every one of them once.
    seen, cursor = [], None
    while True:
        params = {"warning": "green", "limit": 1} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/tasks", params=params, headers=viewer)).json()
        seen += [t["code"] for t in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert sorted(seen) == ["1", "1.1", "3"]


async def test_a_task_that_moved_keeps_its_history_and_cannot_be_deleted(client, planner, plan):
    task = await make_task(client, planner, plan["id"], code="1")
    url = f"/api/v1/tasks/{task['id']}"
    moved = await client.post(f"{url}/transitions", json={"action": "start"}, headers=planner)
    assert moved.status_code == 200
    refused = await client.delete(url, headers=planner | {"If-Match": await etag(client, url, planner)})
    assert refused.status_code == 409 and refused.json()["rule"] == "not-deletable"
    assert (
        "moves"
        in (
            await client.delete(
                url, headers=planner | {"If-Match": await etag(client, url, planner), "Accept-Language": "en"}
            )
        ).json()["detail"]
    )
    assert (await client.get(f"{url}/history", headers=planner)).json()["items"][0]["action"] == "start"
