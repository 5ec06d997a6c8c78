"""Indicators over HTTP: Table 1 rows, observations (replaced, audited), the assessment of a year."""

from __future__ import annotations

import pytest

from infrastructure import unit_of_work
from tests.api.planning.conftest import events
from tests.support.accounts import bearer, make_user

GDP = {
    "code": 2,
    "area": "经济发展",
    "name": "地区生产总值",
    "unit": "亿元",
    "baseline_year": 2020,
    "baseline_value": "95.3",
    "target_year": 2025,
    "target_value": 147,
    "nature": "expected",
    "direction": "up",
}


@pytest.fixture
async def gdp(client, planner, plan) -> dict:
    response = await client.post("/api/v1/indicators", json=GDP | {"plan_id": plan["id"]}, headers=planner)
    assert response.status_code == 201, response.text
    return response.json()


def observation_url(indicator: dict, year: int) -> str:
    return f"/api/v1/indicators/{indicator['id']}/observations/{year}"


async def test_indicator_create_read_patch(client, planner, viewer, gdp):
    assert gdp["baseline_value"] == "95.3" and gdp["target_value"] == "147" and gdp["nature"] == "expected"
    url = f"/api/v1/indicators/{gdp['id']}"
    read = await client.get(url, headers=viewer)
    assert read.json() == gdp
    assert (await client.patch(url, json={"unit": "亿"}, headers=planner)).status_code == 428
    patched = await client.patch(
        url, json={"baseline_value": None}, headers=planner | {"If-Match": read.headers["etag"]}
    )
    assert patched.status_code == 200 and patched.json()["baseline_value"] is None
    assert (
        await client.post("/api/v1/indicators", json=GDP | {"plan_id": gdp["plan_id"]}, headers=viewer)
    ).status_code == 403


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"plan_id": "nope"}, 422, "plan_id"),
        ({"nature": "hoped"}, 422, "nature"),
        ({"baseline_year": 2025}, 422, "target_year"),
        ({"target_value": "abc"}, 422, "target_value"),
        ({"target_value": "1e40"}, 422, "target_value"),
        ({"code": 2}, 409, None),
    ],
)
async def test_bad_indicators_are_refused_and_nothing_is_written(client, planner, gdp, change, status, field):
    response = await client.post(
        "/api/v1/indicators", json=GDP | {"plan_id": gdp["plan_id"], "code": 3} | change, headers=planner
    )
    assert response.status_code == status, response.text
    if field:
        assert field in {e["loc"][-1] for e in response.json()["errors"]}
    assert [i["code"] for i in (await client.get("/api/v1/indicators", headers=planner)).json()["items"]] == [
        2
    ]


async def test_a_later_put_replaces_and_the_audit_log_keeps_the_old_value(app, client, planner, viewer, gdp):
    first = await client.put(
        observation_url(gdp, 2023), json={"value": "120.5", "source": "统计局"}, headers=planner
    )
    assert first.status_code == 201 and first.json()["value"] == "120.5"
    stale = await client.put(
        observation_url(gdp, 2023), json={"value": 1}, headers=planner | {"If-Match": '"old"'}
    )
    assert stale.status_code == 412
    second = await client.put(
        observation_url(gdp, 2023),
        json={"value": 121.8},
        headers=planner | {"If-Match": first.headers["etag"]},
    )
    assert (
        second.status_code == 200
        and second.json()["value"] == "121.8"
        and second.json()["id"] == first.json()["id"]
    )
    listed = (await client.get(f"/api/v1/indicators/{gdp['id']}/observations", headers=viewer)).json()
    assert [(o["year"], o["value"]) for o in listed["items"]] == [(2023, "121.8")]
    assert [e.data["value"] for e in await events(app, "indicator.observed")] == ["120.5", "121.8"]

    await make_user(app, "root", ["admin"])
    log = (
        await client.get("/api/v1/audit-log?resource_type=observation", headers=await bearer(client, "root"))
    ).json()
    update = [e for e in log["items"] if e["action"] == "observation.update"]
    assert update[0]["before"]["value"] == "120.5" and update[0]["after"]["value"] == "121.8"


@pytest.mark.parametrize("sent", ['"none"', "*"])
async def test_an_if_match_on_a_year_without_a_figure_is_412_and_nothing_is_written(
    app, client, planner, gdp, sent
):
    """No version exists to match (RFC 9110 §13.1.1: even `*` fails); the one If-Match policy says so."""
    response = await client.put(
        observation_url(gdp, 2023), json={"value": 1}, headers=planner | {"If-Match": sent}
    )
    assert response.status_code == 412 and "current_etag" not in response.json()
    assert (await client.get(f"/api/v1/indicators/{gdp['id']}/observations", headers=planner)).json()[
        "items"
    ] == []
    assert await events(app, "indicator.observed") == []


@pytest.mark.parametrize("year", [2020, 2026])
async def test_a_year_outside_the_plan_is_422_and_nothing_is_written(client, planner, gdp, year):
    response = await client.put(observation_url(gdp, year), json={"value": 100}, headers=planner)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][-1] == "year"
    assert (
        await client.get(f"/api/v1/indicators/{gdp['id']}/assessment?year={year}", headers=planner)
    ).status_code == 422
    assert (await client.get(f"/api/v1/indicators/{gdp['id']}/observations", headers=planner)).json()[
        "items"
    ] == []


async def test_assessment_follows_domain_formulas(client, planner, viewer, gdp):
    no_data = (
        await client.get(f"/api/v1/indicators/{gdp['id']}/assessment?year=2023", headers=viewer)
    ).json()
    assert no_data == {
        "year": 2023,
        "expected_value": "126.32",
        "actual_value": None,
        "completion_ratio": None,
        "status": "no_data",
        "projected_value": None,
        "required_annual_growth": None,
        "registry_value": None,
        "registry_not_counted": None,
    }
    await client.put(observation_url(gdp, 2021), json={"value": "105.64"}, headers=planner)
    await client.put(observation_url(gdp, 2022), json={"value": "115.98"}, headers=planner)
    await client.put(observation_url(gdp, 2023), json={"value": "126.32"}, headers=planner)
    body = (await client.get(f"/api/v1/indicators/{gdp['id']}/assessment?year=2023", headers=viewer)).json()
    # On the straight line from 95.3 (2020) to 147 (2025): on track, 60 % done, projected exactly 147.
    assert body["status"] == "on_track" and body["actual_value"] == "126.32"
    assert body["completion_ratio"] == 0.6 and body["projected_value"] == "147"
    # (147 / 126.32)^(1/2) − 1 = 0.07876…
    assert body["required_annual_growth"] == pytest.approx(0.0788, abs=1e-4)


async def test_live_indicators_show_the_registry_count(monkeypatch, client, planner, viewer, plan):
    class Registry:
        async def tally(self, year: int) -> tuple[dict[int, int], dict[int, int]]:
            return {8: 123}, {11: 0}

    monkeypatch.setattr(
        unit_of_work.SqlAlchemyUnitOfWork, "live_indicators", property(lambda _uow: Registry())
    )
    hnte = (
        await client.post(
            "/api/v1/indicators",
            json=GDP
            | {
                "plan_id": plan["id"],
                "code": 8,
                "name": "高新技术企业数量",
                "unit": "个",
                "baseline_value": 111,
                "target_value": 160,
            },
            headers=planner,
        )
    ).json()
    url = f"/api/v1/indicators/{hnte['id']}/assessment?year=2023"
    assert (await client.get(url, headers=viewer)).json()["registry_value"] is None  # no reported figure yet
    await client.put(observation_url(hnte, 2023), json={"value": 130}, headers=planner)
    assert (await client.get(url, headers=viewer)).json()["registry_value"] == 123


async def test_unknown_indicator_is_404(client, viewer):
    assert (await client.get("/api/v1/indicators/nope", headers=viewer)).status_code == 404
    assert (
        await client.get("/api/v1/indicators/nope/assessment?year=2023", headers=viewer)
    ).status_code == 404


async def test_an_indicator_keeps_a_note(client, planner, viewer, gdp):
    assert gdp["note"] is None
    url = f"/api/v1/indicators/{gdp['id']}"
    note = "表1基期值95.3;正文写95亿元。以表为准,未改动。"
    etag = (await client.get(url, headers=planner)).headers["etag"]
    patched = await client.patch(url, json={"note": f" {note} "}, headers=planner | {"If-Match": etag})
    assert patched.status_code == 200 and patched.json()["note"] == note
    assert (await client.get(url, headers=viewer)).json()["note"] == note
    cleared = await client.patch(
        url, json={"note": None}, headers=planner | {"If-Match": patched.headers["etag"]}
    )
    assert cleared.json()["note"] is None
    made = await client.post(
        "/api/v1/indicators",
        json=GDP | {"plan_id": gdp["plan_id"], "code": 14, "note": "46 vs 9 + 44"},
        headers=planner,
    )
    assert made.status_code == 201 and made.json()["note"] == "46 vs 9 + 44"
