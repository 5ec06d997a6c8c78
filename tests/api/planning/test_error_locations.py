"""A 422 names the place the refused value was sent: `query`, `path` or `body`, as FastAPI's own 422s do."""

from __future__ import annotations

import pytest

from tests.api.planning.test_indicators import GDP, observation_url


@pytest.fixture
async def gdp(client, planner, plan) -> dict:
    return (
        await client.post("/api/v1/indicators", json=GDP | {"plan_id": plan["id"]}, headers=planner)
    ).json()


@pytest.mark.parametrize("year", [2020, 2025, 2026])
async def test_a_refused_year_is_named_where_it_was_sent(client, planner, viewer, gdp, year):
    """A query parameter's 422 says `query`, a path parameter's `path` (never `body`, which none was sent)."""
    assessed = await client.get(f"/api/v1/indicators/{gdp['id']}/assessment?year={year}", headers=viewer)
    put = await client.put(observation_url(gdp, year), json={"value": 100}, headers=planner)
    if year == 2025:  # a plan year: accepted, the boundary
        assert (assessed.status_code, put.status_code) == (200, 201)
        return
    assert assessed.status_code == 422 and assessed.json()["errors"][0]["loc"] == ["query", "year"]
    assert put.status_code == 422 and put.json()["errors"][0]["loc"] == ["path", "year"]


async def test_a_refused_body_field_is_still_named_in_the_body(client, planner, plan):
    refused = await client.post("/api/v1/indicators", json=GDP | {"plan_id": "nope"}, headers=planner)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "plan_id"]
