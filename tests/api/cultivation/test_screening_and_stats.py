"""Screening the registry and the tier pyramid over HTTP, and the registry counts planning reads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import insert

from infrastructure.db.tables import planning as p
from infrastructure.unit_of_work import SqlAlchemyUnitOfWork
from tests.api.cultivation.helpers import audit_entries, register

SCREEN = "/api/v1/screenings"


async def with_revenue(client, officer, name: str, main_business_revenue: int, **details) -> dict:
    enterprise = await register(client, officer, name=name, **details)
    url = f"/api/v1/enterprises/{enterprise['id']}/metrics/2023"
    body = {"main_business_revenue": main_business_revenue}
    assert (await client.put(url, json=body, headers=officer)).status_code == 201
    return enterprise


async def test_screening_lists_who_passes_and_does_not_hold_the_designation(app, client, officer):
    passing = await with_revenue(client, officer, "达标企业", 2000)
    await with_revenue(client, officer, "差一点", 1999)
    holder = await with_revenue(client, officer, "已是规上", 9000)
    await client.post(
        f"/api/v1/enterprises/{holder['id']}/certifications",
        json={"kind": "above_scale", "issued_on": "2020-01-01"},
        headers=officer,
    )
    await with_revenue(client, officer, "已迁出", 9000, status="moved_out")
    response = await client.post(SCREEN, json={"rule_set": "above_scale", "year": 2023}, headers=officer)
    assert response.status_code == 200
    body = response.json()
    assert (body["rule_set"], body["version"], body["year"]) == ("above_scale", 1, 2023)
    (candidate,) = body["candidates"]
    assert (candidate["enterprise_id"], candidate["name"]) == (passing["id"], "达标企业")
    assert candidate["result"]["criteria"] == [
        {"name": "main_business_revenue_min", "actual": "2000", "threshold": "2000", "passed": True}
    ]
    (read,) = await audit_entries(app, "enterprise.read_sensitive")
    assert (read.resource_id, read.after["view"], read.after["rule_set"]) == (
        passing["id"],
        "screening",
        "above_scale",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rule_set": "gold_medal", "year": 2023}, "rule_set"),
        ({"rule_set": "hnte", "year": 1989}, "year"),
        ({"rule_set": "hnte", "year": 2101}, "year"),
        ({"rule_set": "eaglet", "year": 2019}, "year"),  # 辽科创办发〔2021〕2号 is in force from 2021
        ({"rule_set": "hnte"}, "year"),
    ],
)
async def test_bad_screenings_are_422(client, officer, body, field):
    response = await client.post(SCREEN, json=body, headers=officer)
    assert response.status_code == 422
    assert field in [e["loc"][-1] for e in response.json()["errors"]]


async def test_only_cultivation_writers_screen(client, viewer):
    assert (
        await client.post(SCREEN, json={"rule_set": "hnte", "year": 2023}, headers=viewer)
    ).status_code == 403


async def test_the_pyramid_on_a_date_with_and_without_the_plan_targets(app, client, officer, viewer):
    a = await register(client, officer, name="甲", listed=True, listed_on="2021-06-01")
    b = await register(client, officer, name="乙")
    await register(client, officer, name="丙", status="deregistered")
    certs = {
        a["id"]: [
            {"kind": "hnte", "issued_on": "2022-01-01"},
            {"kind": "little_giant", "issued_on": "2022-01-01"},
        ],
        b["id"]: [{"kind": "unicorn", "issued_on": "2023-01-01", "expires_on": "2025-12-31"}],
    }
    for enterprise_id, held in certs.items():
        for body in held:
            url = f"/api/v1/enterprises/{enterprise_id}/certifications"
            assert (await client.post(url, json=body, headers=officer)).status_code == 201
    stats = (await client.get("/api/v1/stats/tiers", params={"date": "2023-06-30"}, headers=viewer)).json()
    assert stats["date"] == "2023-06-30"
    assert stats["by_tier"] == {
        "none": 0,
        "tech_sme": 0,
        "hnte": 1,
        "eaglet": 0,
        "gazelle": 0,
        "unicorn": 1,
        "platform": 0,
    }
    designations = stats["by_designation"]
    assert (designations["hnte"], designations["gazelle_or_unicorn"], designations["listed"]) == (1, 1, 1)
    assert designations["little_giant"] == 1 and designations["eaglet"] == 0
    assert stats["targets"] == {"hnte": None, "eaglet": None, "gazelle_or_unicorn": None, "listed": None}
    early = (await client.get("/api/v1/stats/tiers", params={"date": "2021-01-01"}, headers=viewer)).json()
    assert early["by_tier"]["none"] == 2 and early["by_designation"]["listed"] == 0
    await seed_targets(app)
    targets = (await client.get("/api/v1/stats/tiers", headers=viewer)).json()["targets"]
    assert targets == {"hnte": "120", "eaglet": "60", "gazelle_or_unicorn": "20", "listed": "10"}
    async with SqlAlchemyUnitOfWork(app.state.session_factory, write=False) as uow:
        assert await uow.live_indicators.counts(2023) == {8: 1, 9: 0, 10: 1, 11: 1}
        assert await uow.live_indicators.counts(2020) == {8: 0, 9: 0, 10: 0, 11: 0}


async def seed_targets(app) -> None:
    """Indicators 8–11 as a plan would carry them (the figures are this test's, not the plan's)."""
    async with app.state.engine.begin() as connection:
        await connection.execute(
            insert(p.plans),
            [{"id": "plan1", "title": "十四五", "start_year": 2021, "end_year": 2025, "version": 1}],
        )
        rows = [
            {
                "id": f"i{code}",
                "plan_id": "plan1",
                "code": code,
                "area": "产业培育",
                "name": f"指标{code}",
                "unit": "家",
                "baseline_year": 2020,
                "target_year": 2025,
                "target_value": Decimal(value),
                "nature": "expected",
                "direction": "up",
                "version": 1,
            }
            for code, value in ((8, 120), (9, 60), (10, 20), (11, 10), (12, 99))
        ]
        await connection.execute(insert(p.indicators), rows)


async def test_a_newer_plan_whose_targets_are_not_set_yet_leaves_the_pyramids_targets_as_they_were(
    app, client, viewer
):
    await seed_targets(app)
    async with app.state.engine.begin() as connection:
        await connection.execute(
            insert(p.plans),
            [{"id": "plan2", "title": "修订稿", "start_year": 2021, "end_year": 2025, "version": 1}],
        )
        rows = [
            {
                "id": f"j{code}",
                "plan_id": "plan2",
                "code": code,
                "area": "产业培育",
                "name": f"指标{code}",
                "unit": "家",
                "baseline_year": 2020,
                "target_year": 2025,
                "target_value": None,
                "nature": "expected",
                "direction": "up",
                "version": 1,
            }
            for code in (8, 9)
        ]
        await connection.execute(insert(p.indicators), rows)
    targets = (await client.get("/api/v1/stats/tiers", headers=viewer)).json()["targets"]
    assert targets == {"hnte": "120", "eaglet": "60", "gazelle_or_unicorn": "20", "listed": "10"}


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_screening_answer_is_encoded_as_jsonresponse_would(count):
    from fastapi.responses import JSONResponse

    from services.api.routers.cultivation.registry import _encode

    candidates = [
        {
            "enterprise_id": f"e{n}",
            "name": f"鞍山“引号”企业{n}",
            "result": {"eligible": True, "figures": [1.5, None]},
        }
        for n in range(count)
    ]
    result = {"rule_set": "hnte", "version": "2016", "year": 2025, "candidates": candidates}
    expected = JSONResponse({**result, "candidates": [dict(c) for c in candidates]}).body
    assert _encode(result) == expected
