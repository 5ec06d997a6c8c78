"""上市: "not known" is never "not listed", and a listing without a date counts in no year (indicator 11)."""

from __future__ import annotations

from domain.shared.clock import SystemClock
from tests.api.cultivation.helpers import register
from tests.support.accounts import user_headers


async def test_listing_not_known_is_never_read_as_not_listed(app, client, officer):
    planner = await user_headers(app, client, "planner", ["planner"])
    dated = await register(
        client, officer, name="甲", listed=True, listed_on="2022-05-01", stock_code="300001"
    )
    undated = await register(client, officer, name="乙", listed=True, stock_code="300002")
    assert undated["listed_on"] is None
    unknown = await register(client, officer, name="丙", registered_on="2019-01-01")
    unlisted = await register(client, officer, name="丁", listed=False)
    assert (unknown["listed"], unlisted["listed"], dated["listed"]) == (None, False, True)

    def designations(day: str):
        return client.get("/api/v1/stats/tiers", params={"date": day}, headers=officer)

    on = {
        day: (await designations(day)).json()["by_designation"]["listed"]
        for day in ("2022-04-30", "2022-05-01")
    }
    assert on == {"2022-04-30": 0, "2022-05-01": 1}  # the undated one is not known listed on a past day
    today = SystemClock().today().isoformat()
    assert (await designations(today)).json()["by_designation"][
        "listed"
    ] == 2  # listed now: counted from today

    plan = (
        await client.post(
            "/api/v1/plans", json={"title": "规划", "start_year": 2021, "end_year": 2025}, headers=planner
        )
    ).json()
    eleven = (
        await client.post(
            "/api/v1/indicators",
            json={
                "plan_id": plan["id"],
                "code": 11,
                "area": "产业培育",
                "name": "上市企业数量",
                "unit": "家",
                "baseline_value": 4,
                "target_value": 10,
            },
            headers=planner,
        )
    ).json()
    await client.put(
        f"/api/v1/indicators/{eleven['id']}/observations/2023", json={"value": 5}, headers=planner
    )
    assessed = (
        await client.get(f"/api/v1/indicators/{eleven['id']}/assessment?year=2023", headers=planner)
    ).json()
    assert (assessed["registry_value"], assessed["registry_not_counted"]) == (1, 1)  # 乙 said, not counted
    evaluated = (await client.get(f"/api/v1/plans/{plan['id']}/evaluation?year=2023", headers=planner)).json()
    [row] = evaluated["indicators"]
    assert (row["registry_value"], row["registry_not_counted"]) == (1, 1)

    unicorn = {}
    for company in (unknown, unlisted):
        url = f"/api/v1/enterprises/{company['id']}/eligibility"
        results = (await client.get(url, params={"year": 2023}, headers=officer)).json()["results"]
        rule = next(r for r in results if r["rule_set"] == "unicorn")
        unicorn[company["name"]] = next(c["passed"] for c in rule["criteria"] if c["name"] == "not_listed")
        if company is unknown:
            assert "listed" in rule["missing"]
    assert unicorn == {"丙": None, "丁": True}
