"""督办台账 over HTTP: the supervision ledger out, tasks in by (plan, code), refused rows, permissions."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from infrastructure.db.tables import planning as t
from infrastructure.seed import planning as planning_seed
from tests.api.ledgers.helpers import audit_actions, count, event_types, export, first_sheet, upload, workbook
from tests.support.accounts import bearer, make_department, make_user


@pytest.fixture
async def ledger(app, client, planner, plan) -> dict:
    """Two departments, an indicator, and tasks 5 ⊃ 5.1 (reported, extended), 5.2 (overdue, urged),
    plus a code-less task with a code-less child."""
    keji, jingfa = await make_department(app, "科技创新局"), await make_department(app, "经济发展局")
    await make_user(app, "keji", ["department"], department_id=keji.id)
    staff = await bearer(client, "keji")
    indicator = (
        await client.post(
            "/api/v1/indicators",
            json={
                "plan_id": plan["id"],
                "code": 8,
                "area": "产业培育",
                "name": "高新技术企业",
                "unit": "家",
                "baseline_value": "60",
                "target_value": "150",
            },
            headers=planner,
        )
    ).json()

    async def task(**body) -> dict:
        response = await client.post("/api/v1/tasks", json={"plan_id": plan["id"], **body}, headers=planner)
        assert response.status_code == 201, response.text
        return response.json()

    root = await task(code="5", title="培育壮大创新主体", lead_department_id=keji.id)
    extended = await task(
        code="5.1",
        title="实施高企倍增计划",
        parent_id=root["id"],
        lead_department_id=keji.id,
        co_department_ids=[jingfa.id],
        start_date="2024-01-01",
        due_date="2024-06-30",
        indicator_ids=[indicator["id"]],
        weight="2",
    )
    late = await task(
        code="5.2",
        title="建设科技孵化器",
        parent_id=root["id"],
        lead_department_id=keji.id,
        start_date="2024-01-01",
        due_date="2024-05-31",
    )
    loose = await task(title="专项工作")
    await task(title="专项工作的子项", parent_id=loose["id"], description="第一行\n第二行")
    report = {"period": "2024-05", "percent": 40, "summary": "已认定12家", "problems": "申报材料不足"}
    assert (
        await client.post(f"/api/v1/tasks/{extended['id']}/progress-reports", json=report, headers=staff)
    ).status_code == 201
    asked = await client.post(
        f"/api/v1/tasks/{extended['id']}/extension-requests",
        json={"new_due_date": "2024-12-31", "reason": "政策调整"},
        headers=staff,
    )
    decided = await client.post(
        f"/api/v1/extension-requests/{asked.json()['id']}/decision", json={"approved": True}, headers=planner
    )
    assert decided.status_code == 200
    assert (
        await client.post(f"/api/v1/tasks/{late['id']}/urges", json={"note": "抓紧"}, headers=planner)
    ).status_code == 201
    return {"staff": staff, "keji": keji, "jingfa": jingfa, "indicator": indicator}


async def test_the_export_is_the_supervision_ledger(client, viewer, plan, ledger):
    rows = first_sheet(await export(client, "tasks", viewer, plan_id=plan["id"]))
    assert [r["任务编号"] for r in rows] == ["5", "5.1", "5.2", None, None]  # tree order, parents first
    five_one = rows[1]
    assert five_one["上级任务编号"] == "5" and five_one["牵头部门"] == "科技创新局"
    assert five_one["配合部门"] == "经济发展局" and five_one["关联指标"] == "8" and five_one["权重"] == 2
    assert five_one["最新报告期"] == "2024-05" and five_one["最新报告进度(%)"] == 40
    assert five_one["最新进展"] == "已认定12家" and five_one["存在问题"] == "申报材料不足"
    assert five_one["完成时限"].date().isoformat() == "2024-12-31"
    assert five_one["原完成时限"].date().isoformat() == "2024-06-30"
    assert "申请延至 2024-12-31(已批准):政策调整" in five_one["延期申请"]
    five_two = rows[2]
    assert (five_two["预警"], five_two["是否逾期"], five_two["督办级别"], five_two["催办次数"]) == (
        "红灯",
        "是",
        "已催办",
        1,
    )
    assert rows[4]["上级任务ID"] == rows[3]["任务ID"]  # the parent has no code: named by its id


async def test_export_reimports_unchanged(client, planner, plan, ledger):
    content = await export(client, "tasks", planner, plan_id=plan["id"])
    dry = await upload(client, "tasks", content, planner, plan_id=plan["id"], dry_run=True)
    assert dry.status_code == 200, dry.text
    assert (dry.json()["rows"], dry.json()["written"], dry.json()["errors"]) == (5, 0, [])
    assert (await upload(client, "tasks", content, planner, plan_id=plan["id"])).json()["written"] == 0


async def test_an_edited_export_updates_what_changed_only(app, client, planner, plan, ledger):
    updates = (await audit_actions(app)).count("task.update")
    book = load_workbook(BytesIO(await export(client, "tasks", planner, plan_id=plan["id"])))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    sheet.cell(3, header.index("任务名称") + 1, "实施高企倍增计划(修订)")
    sheet.cell(4, header.index("配合部门") + 1, "经济发展局")
    output = BytesIO()
    book.save(output)
    report = (await upload(client, "tasks", output.getvalue(), planner, plan_id=plan["id"])).json()
    assert (report["updated"], report["created"], report["errors"]) == (2, 0, [])
    listed = (await client.get("/api/v1/tasks", params={"plan_id": plan["id"]}, headers=planner)).json()
    by_code = {task["code"]: task for task in listed["items"]}
    assert by_code["5.1"]["title"] == "实施高企倍增计划(修订)"
    assert by_code["5.2"]["co_department_ids"] == [ledger["jingfa"].id]
    assert (await audit_actions(app)).count("task.update") == updates + 2


HEADER = ["任务编号", "任务名称", "上级任务编号", "牵头部门", "配合部门", "开始日期", "完成时限", "关联指标"]


async def test_import_creates_tasks_under_their_parents(app, client, planner, plan, ledger):
    content = workbook(
        [
            HEADER,
            ["6", "推动开放合作", None, "经济发展局", None, None, None, None],
            ["6.1", "建设国际合作园", "6", "经济发展局", "科技创新局", "2021-01-01", "2025-12-31", "8"],
            ["5.3", "新增的措施", "5", None, None, None, None, None],
        ]
    )
    response = await upload(client, "tasks", content, planner, plan_id=plan["id"])
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    tree = (await client.get(f"/api/v1/plans/{plan['id']}/tree", headers=planner)).json()["tasks"]
    roots = {node["code"]: node for node in tree}
    assert [child["code"] for child in roots["6"]["children"]] == ["6.1"]
    assert [child["code"] for child in roots["5"]["children"]] == ["5.1", "5.2", "5.3"]
    child = roots["6"]["children"][0]
    assert child["lead_department_id"] == ledger["jingfa"].id and child["indicator_ids"] == [
        ledger["indicator"]["id"]
    ]
    assert (await event_types(app)).count("task.created") == 5 + 3


async def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(
    app, client, planner, plan, ledger
):
    before = await count(app, t.tasks)
    content = workbook(
        [
            HEADER,
            ["7.1", "子项先于上级", "7", None, None, None, None, None],
            ["7", "上级", None, "财政局", None, None, None, None],
            ["8", "日期颠倒", None, None, None, "2024-05-01", "2024-01-01", None],
            ["9", "未知指标", None, None, "经济发展局、科技创新局", None, None, "99"],
            ["5.1", "与5.2重名编号", "5", None, None, None, None, None],
        ]
    )
    response = await upload(client, "tasks", content, planner, plan_id=plan["id"])
    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (2, "上级任务编号"),
        (3, "牵头部门"),
        (4, "完成时限"),
        (5, "关联指标"),
    ]
    assert await count(app, t.tasks) == before
    partial = (await upload(client, "tasks", content, planner, plan_id=plan["id"], partial=True)).json()
    assert (partial["written"], len(partial["errors"])) == (1, 4)  # 5.1 only changed its title


async def test_tasks_need_a_known_plan(client, planner, plan):
    content = workbook([HEADER, ["1", "任务", None, None, None, None, None, None]])
    missing = await upload(client, "tasks", content, planner)
    assert missing.status_code == 422
    unknown = await upload(client, "tasks", content, planner, plan_id="nosuchplan")
    assert unknown.status_code == 422 and "nosuchplan" in unknown.json()["detail"]
    assert (await client.get("/api/v1/exports/tasks.xlsx", headers=planner)).status_code == 422


async def test_only_planners_import_tasks_while_every_reader_exports(app, client, plan, ledger, viewer):
    content = workbook([HEADER, ["1", "任务", None, None, None, None, None, None]])
    await make_user(app, "officer", ["officer"])
    for headers in (ledger["staff"], viewer, await bearer(client, "officer")):
        assert (await upload(client, "tasks", content, headers, plan_id=plan["id"])).status_code == 403
        assert (
            await client.get("/api/v1/exports/tasks.xlsx", params={"plan_id": plan["id"]}, headers=headers)
        ).status_code == 200


async def test_the_seeded_plan_round_trips(app, client, planner):
    await planning_seed.seed(app.state.session_factory)
    [seeded] = (await client.get("/api/v1/plans", headers=planner)).json()["items"]
    content = await export(client, "tasks", planner, plan_id=seeded["id"])
    report = (await upload(client, "tasks", content, planner, plan_id=seeded["id"], dry_run=True)).json()
    assert report["rows"] > 50 and report["written"] == 0 and report["errors"] == []


async def test_a_refused_change_leaves_the_task_as_it_was_for_the_rows_after_it(
    client, planner, plan, ledger
):
    header = ["任务编号", "任务名称", "开始日期", "完成时限"]
    content = workbook(
        [
            header,
            [
                "5.2",
                "建设科技孵化器",
                "2024-01-01",
                "2023-12-31",
            ],  # due before start: refused after the change
            ["5.2", "建设科技孵化器(二期)", None, None],  # the same task again: sees it as stored
        ]
    )
    report = (await upload(client, "tasks", content, planner, plan_id=plan["id"], partial=True)).json()
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(2, "完成时限")]
    assert report["updated"] == 1
    listed = (
        await client.get("/api/v1/tasks", params={"plan_id": plan["id"], "q": "孵化器"}, headers=planner)
    ).json()
    [task] = listed["items"]
    assert (task["title"], task["start_date"], task["due_date"]) == ("建设科技孵化器(二期)", None, None)


async def test_a_row_that_would_put_a_task_under_itself_or_below_it_is_refused(client, planner, plan, ledger):
    header = ["任务编号", "任务名称", "上级任务编号"]
    content = workbook(
        [
            header,
            ["5.1.1", "高企培育库", "5.1"],  # new, under 5.1 (under 5)
            ["5", "培育壮大创新主体", "5.1.1"],  # 5 under its grandchild: a cycle
            ["5.2", "建设科技孵化器", "5.2"],  # under itself
            ["5.2", "建设科技孵化器", "5.1.1"],  # a sibling's grandchild: fine
        ]
    )
    response = await upload(client, "tasks", content, planner, plan_id=plan["id"], partial=True)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "上级任务编号"), (4, "上级任务编号")]
    assert (body["created"], body["updated"]) == (1, 1)
    tree = (await client.get(f"/api/v1/plans/{plan['id']}/tree", headers=planner)).json()["tasks"]
    [five] = [node for node in tree if node["code"] == "5"]
    [first] = [node for node in five["children"] if node["code"] == "5.1"]
    assert [n["code"] for n in first["children"]] == ["5.1.1"]
    assert [n["code"] for n in first["children"][0]["children"]] == ["5.2"]
