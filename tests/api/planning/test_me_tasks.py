"""GET /api/v1/me/tasks: my department's open tasks, the returned, urged and nearly due ones first."""

from __future__ import annotations

from tests.api.planning.conftest import make_task


async def test_my_department_sees_its_open_tasks_needing_attention_first(
    client, planner, staff, plan, department, other_department
):
    lead = {"lead_department_id": department.id, "start_date": "2024-01-01"}
    calm = await make_task(client, planner, plan["id"], title="平稳", due_date="2024-11-30", **lead)
    later = await make_task(client, planner, plan["id"], title="更晚", due_date="2025-06-30", **lead)
    soon = await make_task(client, planner, plan["id"], title="临期", due_date="2024-06-25", **lead)
    urged = await make_task(client, planner, plan["id"], title="被催办", due_date="2025-12-31", **lead)
    returned = await make_task(client, planner, plan["id"], title="被退回", due_date="2025-12-31", **lead)
    done = await make_task(client, planner, plan["id"], title="已办结", due_date="2024-08-01", **lead)
    await make_task(client, planner, plan["id"], title="别人的", lead_department_id=other_department.id)

    await client.post(f"/api/v1/tasks/{urged['id']}/urges", json={"note": "加快"}, headers=planner)
    report = await client.post(
        f"/api/v1/tasks/{returned['id']}/progress-reports",
        json={"period": "2024-05", "percent": 10, "summary": "开展调研"},
        headers=staff,
    )
    await client.post(
        f"/api/v1/progress-reports/{report.json()['id']}/return", json={"comment": "补充"}, headers=planner
    )
    for action in ("start", "complete"):
        await client.post(f"/api/v1/tasks/{done['id']}/transitions", json={"action": action}, headers=staff)

    mine = (await client.get("/api/v1/me/tasks", headers=staff)).json()
    titles = [t["title"] for t in mine["items"]]
    # Needing attention first, each group by due date (then creation): the one due in 10 days leads.
    assert titles == ["临期", "被催办", "被退回", "平稳", "更晚"]
    flags = {t["title"]: (t["returned"], t["urged"], t["due_soon"]) for t in mine["items"]}
    assert flags == {
        "临期": (False, False, True),
        "被催办": (False, True, False),
        "被退回": (True, False, False),
        "平稳": (False, False, False),
        "更晚": (False, False, False),
    }
    assert mine["items"][0]["etag"] and mine["items"][0]["progress"] == 0
    assert {calm["id"], later["id"], soon["id"]} <= {t["id"] for t in mine["items"]}

    # Filing again clears "returned"; pages walk the same order.
    await client.post(
        f"/api/v1/tasks/{returned['id']}/progress-reports",
        json={"period": "2024-06", "percent": 20, "summary": "补充调研"},
        headers=staff,
    )
    walked, cursor = [], None
    while True:
        page = (
            await client.get(
                "/api/v1/me/tasks",
                params={"limit": 2} | ({"cursor": cursor} if cursor else {}),
                headers=staff,
            )
        ).json()
        walked += [t["title"] for t in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert walked == ["临期", "被催办", "平稳", "更晚", "被退回"]


async def test_without_a_department_the_list_is_empty(client, planner, viewer, plan, department):
    await make_task(client, planner, plan["id"], lead_department_id=department.id)
    assert (await client.get("/api/v1/me/tasks", headers=viewer)).json() == {"items": [], "next_cursor": None}
