"""The mid-term evaluation (中期评估) of the seeded plan for 2023, checked against values worked out by hand.

"Today" is 2024-06-15, so the evaluation is taken as of D = 31 Dec 2023: reports of periods up to 2023-12
count (a 2024 report does not), observations up to 2023.
"""

from __future__ import annotations

import math

import pytest

from infrastructure.seed import planning as planning_seed
from tests.api.planning.conftest import etag

# code → {year: value}: 2 on track, 3 at risk, 7 off track (expected), 23 off track (binding, down)
OBSERVATIONS = {
    2: {2021: "104", 2022: "113.5", 2023: "127"},
    3: {2023: "13"},
    7: {2023: "40"},
    23: {2023: "0.42"},
}


@pytest.fixture
async def seeded(app, client, planner, staff, department):
    """The seeded plan with observations, lead departments set by the planner, reports by the department."""
    await planning_seed.seed(app.state.session_factory)
    [plan] = (await client.get("/api/v1/plans", headers=planner)).json()["items"]
    tasks = {t["code"]: t for t in await _all(client, planner, f"/api/v1/tasks?plan_id={plan['id']}")}
    indicators = {i["code"]: i for i in await _all(client, planner, "/api/v1/indicators")}
    for code, values in OBSERVATIONS.items():
        for year, value in values.items():
            url = f"/api/v1/indicators/{indicators[code]['id']}/observations/{year}"
            assert (await client.put(url, json={"value": value}, headers=planner)).status_code == 201
    for code, extra in [("4.1.1", {}), ("4.1.2", {}), ("5.3", {"indicator_ids": [indicators[7]["id"]]})]:
        url = f"/api/v1/tasks/{tasks[code]['id']}"
        change = {"lead_department_id": department.id, **extra}
        patched = await client.patch(
            url, json=change, headers=planner | {"If-Match": await etag(client, url, planner)}
        )
        assert patched.status_code == 200, patched.text
    for code, period, percent in [
        ("4.1.1", "2022-06", 40),
        ("4.1.1", "2023-06", 70),
        ("4.1.1", "2024-03", 90),  # after D: left out
        ("4.1.2", "2023-09", 50),
        ("5.3", "2023-12", 85),
    ]:
        body = {"period": period, "percent": percent, "summary": f"{code} 进展"}
        filed = await client.post(
            f"/api/v1/tasks/{tasks[code]['id']}/progress-reports", json=body, headers=staff
        )
        assert filed.status_code == 201, filed.text
    late = {"period": "2023-10", "percent": 95, "summary": "夸大的进度"}
    report = (
        await client.post(f"/api/v1/tasks/{tasks['4.1.2']['id']}/progress-reports", json=late, headers=staff)
    ).json()
    returned = await client.post(
        f"/api/v1/progress-reports/{report['id']}/return", json={"comment": "无佐证"}, headers=planner
    )
    assert returned.status_code == 200  # returned today: it counted on 2023-12-31, no longer today
    return plan, tasks, indicators


async def _all(client, headers, url: str) -> list[dict]:
    items, cursor = [], None
    while True:
        sep = "&" if "?" in url else "?"
        page = (
            await client.get(
                f"{url}{sep}limit=200" + (f"&cursor={cursor}" if cursor else ""), headers=headers
            )
        ).json()
        items += page["items"]
        if not (cursor := page["next_cursor"]):
            return items


async def test_the_2023_evaluation_of_the_seeded_plan(client, viewer, seeded):
    plan, tasks, indicators = seeded
    response = await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year=2023", headers=viewer)
    assert response.status_code == 200, response.text
    evaluation = response.json()
    assert evaluation["year"] == 2023 and evaluation["as_of"] == "2023-12-31"
    by_code = {i["code"]: i for i in evaluation["indicators"]}
    assert sorted(by_code) == list(range(1, 25))

    gdp = by_code[2]
    assert (
        gdp["indicator_id"] == indicators[2]["id"] and gdp["name"] == "地区生产总值" and gdp["unit"] == "亿元"
    )
    # E(2023) = 95.3 + (147 − 95.3) × 3/5 = 126.32; 127 ≥ 126.32: on track
    assert gdp["expected_value"] == "126.32" and gdp["actual_value"] == "127" and gdp["status"] == "on_track"
    assert gdp["completion_ratio"] == round((127 - 95.3) / (147 - 95.3), 4)  # 0.6132
    # Least squares through (2020, 95.3), (2021, 104), (2022, 113.5), (2023, 127): slope 52.3 / 5 = 10.46,
    # mean 109.95 at 2021.5 → 109.95 + 10.46 × 3.5 = 146.56 in 2025
    assert gdp["projected_value"] == "146.56"
    assert gdp["required_annual_growth"] == round(math.sqrt(147 / 127) - 1, 4)  # 0.0759
    assert gdp["registry_value"] is None

    revenue = by_code[3]
    # E = 10.08 + 5.62 × 3/5 = 13.452; 13 falls short by 0.452 ≤ 10 % of 5.62: at risk
    assert revenue["expected_value"] == "13.452" and revenue["status"] == "at_risk"
    assert revenue["completion_ratio"] == round((13 - 10.08) / 5.62, 4)  # 0.5196
    assert revenue["projected_value"] == "14.9467"  # the line through (2020, 10.08) and (2023, 13), at 2025

    share = by_code[7]
    # E = 40.4 + 1.8 × 3/5 = 41.48; 40 falls short by 1.48 > 0.18: off track
    assert share["expected_value"] == "41.48" and share["status"] == "off_track"
    assert share["completion_ratio"] == round((40 - 40.4) / 1.8, 4)  # −0.2222

    energy = by_code[23]
    # No baseline: E = T = 0.4; down: 0.42 is above it, and a binding indicator has no at-risk band
    assert energy["expected_value"] == "0.4" and energy["status"] == "off_track"
    assert energy["completion_ratio"] == round(0.4 / 0.42, 4) and energy["projected_value"] is None
    assert energy["required_annual_growth"] == round(math.sqrt(0.4 / 0.42) - 1, 4)

    assert by_code[1] | {"indicator_id": None} == {
        "indicator_id": None,
        "code": 1,
        "name": "营业总收入",
        "unit": "亿元",
        "area": "经济发展",
        "nature": "expected",
        "direction": "up",
        "baseline_year": 2020,
        "baseline_value": None,
        "target_year": 2025,
        "target_value": "1000",
        "note": None,
        "year": 2023,
        "expected_value": "1000",
        "actual_value": None,
        "completion_ratio": None,
        "status": "no_data",
        "projected_value": None,
        "required_annual_growth": None,
        "registry_value": None,
        "registry_not_counted": None,
        "observations": [],
    }
    assert gdp["observations"] == [
        {"year": year, "value": value} for year, value in OBSERVATIONS[2].items()
    ]  # the values by year up to 2023, the path the report draws

    # Key tasks on D: 4.1.2's report of 2023-10 (95) was returned only today, after D: on D it counted.
    # 4.1 = (70 + 95) / 2 = 82.5, 4.2 = 0 → 4 = 41.25; 5 = (85 + 0 × 4) / 5 = 17.
    # On D, 1094 of 1825 days have passed (59.9 %): less than 39.9 is more than 20 points behind → yellow.
    key = {t["code"]: t for t in evaluation["tasks"]}
    assert list(key) == ["4", "5", "6", "7", "8", "9", "10"]
    assert (key["4"]["progress"], key["5"]["progress"], key["6"]["progress"]) == (41.25, 17, 0)
    assert {t["warning"] for t in key.values()} == {"yellow"}
    assert {t["status"] for t in key.values()} == {"not_started"} and {
        t["escalation"] for t in key.values()
    } == {"none"}
    assert key["4"]["id"] == tasks["4"]["id"] and key["4"]["title"] == tasks["4"]["title"]

    total = len(tasks)
    # Green: 4.1.1 (70), 4.1.2 (95), 4.1 (82.5), 5.3 (85); every other task is behind (4 too: 4.2 is).
    assert evaluation["counts"]["warning"] == {"red": 0, "yellow": total - 4, "green": 4, "done": 0}
    assert evaluation["counts"]["status"] == {
        "not_started": total - 3,
        "in_progress": 3,
        "suspended": 0,
        "completed": 0,
        "cancelled": 0,
    }
    # 5.3 is 85 % done but its indicator 7 is off track
    assert evaluation["divergences"] == [
        {
            "task_id": tasks["5.3"]["id"],
            "indicator_id": indicators[7]["id"],
            "task_code": "5.3",
            "task_title": tasks["5.3"]["title"],
            "indicator_code": 7,
            "indicator_name": indicators[7]["name"],
            "progress": 85,
            "status": "off_track",
        }
    ]
    assert evaluation["kind"] == "mid_term"  # 2023, the middle year of 2021–2025


@pytest.mark.parametrize("year", [2020, 2026])
async def test_a_year_outside_the_plan_is_422(client, viewer, seeded, year):
    plan = seeded[0]
    response = await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year={year}", headers=viewer)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][-1] == "year"
