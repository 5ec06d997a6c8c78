"""指标实际值 over HTTP: figures by (indicator code, year) in a plan; the audit log keeps the old."""

from __future__ import annotations

import pytest

from infrastructure.db.tables import planning as t
from tests.api.ledgers.helpers import audit_actions, count, event_types, export, first_sheet, upload, workbook

HEADER = ["指标序号", "年份", "实际值", "数据来源", "备注"]


@pytest.fixture
async def indicators(client, planner, plan) -> dict[int, dict]:
    made = {}
    for code, name, unit in [(1, "地区生产总值", "亿元"), (8, "高新技术企业", "家")]:
        body = {
            "plan_id": plan["id"],
            "code": code,
            "area": "经济发展",
            "name": name,
            "unit": unit,
            "baseline_value": "80",
            "target_value": "150",
        }
        response = await client.post("/api/v1/indicators", json=body, headers=planner)
        assert response.status_code == 201, response.text
        made[code] = response.json()
    return made


async def observe(client, headers, indicator: dict, year: int, **body) -> None:
    url = f"/api/v1/indicators/{indicator['id']}/observations/{year}"
    assert (await client.put(url, json=body, headers=headers)).status_code == 201


async def figures(client, headers, indicator: dict) -> dict[int, str]:
    url = f"/api/v1/indicators/{indicator['id']}/observations"
    return {o["year"]: o["value"] for o in (await client.get(url, headers=headers)).json()["items"]}


async def test_import_adds_and_replaces_figures(app, client, planner, plan, indicators):
    await observe(client, planner, indicators[1], 2021, value="88.1")
    content = workbook(
        [
            HEADER,
            [1, 2021, 88.4, "统计公报", "修正"],
            [1, 2022, "96.25", None, None],
            [8, "2023", 101, None, None],
        ]
    )
    response = await upload(client, "indicator_observations", content, planner, plan_id=plan["id"])
    assert response.status_code == 200, response.text
    assert (response.json()["created"], response.json()["updated"]) == (2, 1)
    assert await figures(client, planner, indicators[1]) == {2021: "88.4", 2022: "96.25"}
    assert await figures(client, planner, indicators[8]) == {2023: "101"}
    assert (await event_types(app)).count("indicator.observed") == 1 + 3
    assert "observation.update" in await audit_actions(app)


async def test_export_reimports_unchanged(client, planner, viewer, plan, indicators):
    await observe(client, planner, indicators[1], 2021, value="88.123456", source="统计局", note="初步核算")
    await observe(client, planner, indicators[1], 2022, value="96")
    await observe(client, planner, indicators[8], 2021, value="75")
    content = await export(client, "indicator_observations", viewer, plan_id=plan["id"])
    rows = first_sheet(content)
    assert [(r["指标序号"], r["年份"], r["指标名称"]) for r in rows] == [
        (1, 2021, "地区生产总值"),
        (1, 2022, "地区生产总值"),
        (8, 2021, "高新技术企业"),
    ]
    report = (
        await upload(client, "indicator_observations", content, planner, plan_id=plan["id"], dry_run=True)
    ).json()
    assert (report["rows"], report["written"], report["errors"]) == (3, 0, [])


async def test_rows_naming_no_indicator_or_a_year_outside_the_plan_are_refused(
    app, client, planner, plan, indicators
):
    content = workbook(
        [HEADER, [99, 2021, 1, None, None], [1, 2030, 1, None, None], [1, 2022, "很多", None, None]]
    )
    response = await upload(client, "indicator_observations", content, planner, plan_id=plan["id"])
    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (2, "指标序号"),
        (3, "年份"),
        (4, "实际值"),
    ]
    assert await count(app, t.observations) == 0 and "indicator.observed" not in await event_types(app)


async def test_only_planners_import_figures(client, officer, viewer, plan, indicators):
    content = workbook([HEADER, [1, 2021, 1, None, None]])
    for headers in (officer, viewer):
        response = await upload(client, "indicator_observations", content, headers, plan_id=plan["id"])
        assert response.status_code == 403
