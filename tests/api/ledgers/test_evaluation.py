"""The year's evaluation as a workbook to hand on: indicators with status, key tasks with lights."""

from __future__ import annotations

from infrastructure.seed import planning as planning_seed
from tests.api.ledgers.helpers import export, sheets


async def seeded_plan(app, client, headers) -> dict:
    await planning_seed.seed(app.state.session_factory)
    [plan] = (await client.get("/api/v1/plans", headers=headers)).json()["items"]
    return plan


async def test_the_evaluation_workbook_says_what_the_evaluation_endpoint_says(app, client, planner, viewer):
    plan = await seeded_plan(app, client, planner)
    indicators = {
        i["code"]: i
        for i in (await client.get("/api/v1/indicators?limit=50", headers=planner)).json()["items"]
    }
    url = f"/api/v1/indicators/{indicators[2]['id']}/observations/2023"
    assert (await client.put(url, json={"value": "127"}, headers=planner)).status_code == 201
    evaluation = (
        await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year=2023", headers=planner)
    ).json()

    book = sheets(await export(client, "evaluation", viewer, plan_id=plan["id"], year=2023))
    assert list(book) == [
        "指标评估2023",
        "重点任务",
        "汇总",
        "指标走势图",
        "梯度与产业链图",
    ]  # and the charts
    header, *rows = book["指标评估2023"]
    assert header[:4] == ["序号", "领域", "指标名称", "单位"] and "状态" in header
    assert len(rows) == len(evaluation["indicators"]) == 24
    by_code = {row[0]: dict(zip(header, row, strict=False)) for row in rows}
    two = next(i for i in evaluation["indicators"] if i["code"] == 2)
    assert (
        by_code[2]["实际值"] == 127
        and by_code[2]["状态"]
        == {"on_track": "符合进度", "at_risk": "存在风险", "off_track": "滞后"}[two["status"]]
    )
    assert by_code[5]["状态"] == "暂无数据"
    header, *tasks = book["重点任务"]
    assert [row[0] for row in tasks] == [t["code"] for t in evaluation["tasks"]]
    lights = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "done": "已完成"}
    assert [row[header.index("预警")] for row in tasks] == [lights[t["warning"]] for t in evaluation["tasks"]]
    summary = dict(book["汇总"][1:])
    assert summary["评估年度"] == 2023 and summary["红灯"] == evaluation["counts"]["warning"]["red"]


async def test_the_evaluation_needs_a_plan_and_one_of_its_years(app, client, planner):
    plan = await seeded_plan(app, client, planner)
    for params in (
        {"plan_id": plan["id"]},
        {"year": 2023},
        {"plan_id": plan["id"], "year": 2030},
        {"plan_id": "nosuchplan", "year": 2023},
    ):
        response = await client.get("/api/v1/exports/evaluation.xlsx", params=params, headers=planner)
        assert response.status_code == 422, params
        assert response.headers["content-type"].startswith("application/problem+json")
