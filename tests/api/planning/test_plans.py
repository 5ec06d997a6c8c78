"""Plans over HTTP: create, read, change with If-Match, refusals, and the tree on a date."""

from __future__ import annotations

import pytest

from tests.api.planning.conftest import make_task


async def test_plan_create_read_patch_with_etag(client, planner, viewer, plan):
    url = f"/api/v1/plans/{plan['id']}"
    assert plan["title"] == "十四五规划" and plan["start_year"] == 2021 and plan["issued"] == "2021-12"
    read = await client.get(url, headers=viewer)
    assert read.json() == plan and read.headers["etag"]
    assert (await client.patch(url, json={"issuer": "管委会"}, headers=planner)).status_code == 428
    patched = await client.patch(
        url, json={"issuer": "管委会"}, headers=planner | {"If-Match": read.headers["etag"]}
    )
    assert patched.status_code == 200 and patched.json()["issuer"] == "管委会"
    stale = await client.patch(
        url, json={"issuer": "X"}, headers=planner | {"If-Match": read.headers["etag"]}
    )
    assert stale.status_code == 412
    listed = (await client.get("/api/v1/plans", headers=viewer)).json()
    assert [p["issuer"] for p in listed["items"]] == ["管委会"] and listed["items"][0]["etag"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "start_year": 2026, "end_year": 2025}, "end_year"),
        ({"title": "x", "start_year": 2021, "end_year": 2025, "issued": "2021-13"}, "issued"),
        ({"title": " ", "start_year": 2021, "end_year": 2025}, "title"),
    ],
)
async def test_bad_plans_are_422_and_nothing_is_written(client, planner, body, field):
    response = await client.post("/api/v1/plans", json=body, headers=planner)
    assert response.status_code == 422
    assert field in {e["loc"][-1] for e in response.json()["errors"]}
    assert (await client.get("/api/v1/plans", headers=planner)).json()["items"] == []


async def test_a_viewer_cannot_write_plans(client, viewer):
    body = {"title": "x", "start_year": 2021, "end_year": 2025}
    assert (await client.post("/api/v1/plans", json=body, headers=viewer)).status_code == 403


async def test_patch_that_breaks_the_years_changes_nothing(client, planner, plan):
    url = f"/api/v1/plans/{plan['id']}"
    tag = (await client.get(url, headers=planner)).headers["etag"]
    response = await client.patch(url, json={"start_year": 2030}, headers=planner | {"If-Match": tag})
    assert response.status_code == 422
    assert (await client.get(url, headers=planner)).json()["start_year"] == 2021


async def test_tree_nests_children_with_derived_fields_on_the_date(client, planner, plan):
    dates = {"start_date": "2024-01-01", "due_date": "2024-12-31"}
    root = await make_task(client, planner, plan["id"], code="1", title="重点任务", **dates)
    first = await make_task(client, planner, plan["id"], code="1.1", parent_id=root["id"], **dates)
    second = await make_task(client, planner, plan["id"], code="1.2", parent_id=root["id"], weight=3, **dates)
    await make_task(client, planner, plan["id"], code="2", title="另一项", **dates)
    await client.post(f"/api/v1/tasks/{first['id']}/transitions", json={"action": "start"}, headers=planner)
    await client.post(
        f"/api/v1/tasks/{first['id']}/transitions", json={"action": "complete"}, headers=planner
    )

    tree = (await client.get(f"/api/v1/plans/{plan['id']}/tree", headers=planner)).json()
    assert tree["plan"]["id"] == plan["id"]
    assert [t["code"] for t in tree["tasks"]] == ["1", "2"]
    node = tree["tasks"][0]
    assert [c["code"] for c in node["children"]] == ["1.1", "1.2"]
    # 1.1 completed (100, weight 1), 1.2 nothing yet (0, weight 3): (100 + 0) / 4 = 25
    assert node["progress"] == 25.0
    assert node["children"][0]["warning"] == "done" and node["children"][0]["status"] == "completed"
    # On 2024-06-15, 45 % of the year has passed: 1.2 at 0 is more than 20 points behind → yellow, and so is 1
    assert node["children"][1]["warning"] == "yellow" and node["warning"] == "yellow"
    assert node["overdue"] is False and node["escalation"] == "none"
    assert second["id"] == node["children"][1]["id"] and node["children"][1]["children"] == []

    later = (await client.get(f"/api/v1/plans/{plan['id']}/tree?date=2025-02-15", headers=planner)).json()
    late = later["tasks"][0]["children"][1]
    assert late["overdue"] is True and late["warning"] == "red" and late["escalation"] == "notified"
    assert later["tasks"][0]["warning"] == "red"


async def test_tree_of_an_unknown_plan_is_404_and_a_bad_date_422(client, viewer, plan):
    assert (await client.get("/api/v1/plans/nope/tree", headers=viewer)).status_code == 404
    bad = await client.get(f"/api/v1/plans/{plan['id']}/tree?date=2024-13-01", headers=viewer)
    assert bad.status_code == 422
