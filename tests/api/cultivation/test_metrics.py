"""Annual metrics over HTTP: PUT replaces a year, figures are decimal strings, bad figures are refused."""

from __future__ import annotations

import pytest

from infrastructure.db.tables import cultivation as t
from tests.api.cultivation.helpers import audit_entries, count, register

FIGURES = {
    "revenue": "12000.50",
    "rd_expense": 800,
    "rd_expense_domestic": "700",
    "high_tech_revenue": 9000,
    "employees": 120,
    "tech_staff": 30,
    "class1_ip": 2,
    "innovation_score": "75.5",
    "award": True,
}


@pytest.fixture
async def enterprise(client, officer) -> dict:
    return await register(client, officer, name="九夷锂能", registered_on="2015-04-01")


def url(enterprise: dict, year: int | None = None) -> str:
    base = f"/api/v1/enterprises/{enterprise['id']}/metrics"
    return base if year is None else f"{base}/{year}"


async def test_put_creates_then_replaces_a_year(app, client, officer, enterprise):
    created = await client.put(url(enterprise, 2023), json=FIGURES, headers=officer)
    assert created.status_code == 201
    body = created.json()
    assert (body["year"], body["revenue"], body["rd_expense"], body["employees"]) == (
        2023,
        "12000.5",
        "800",
        120,
    )
    assert body["tax"] is None and body["award"] is True and created.headers["etag"]
    replaced = await client.put(
        url(enterprise, 2023),
        json={"revenue": 13000},
        headers=officer | {"If-Match": created.headers["etag"]},
    )
    assert replaced.status_code == 200
    assert replaced.json()["revenue"] == "13000" and replaced.json()["rd_expense"] is None
    stale = await client.put(
        url(enterprise, 2023), json={"revenue": 1}, headers=officer | {"If-Match": created.headers["etag"]}
    )
    assert stale.status_code == 412
    assert (await client.get(url(enterprise, 2023), headers=officer)).json()["revenue"] == "13000"
    nothing_to_match = await client.put(url(enterprise, 2024), json={}, headers=officer | {"If-Match": '"x"'})
    assert nothing_to_match.status_code == 412
    listed = (await client.get(url(enterprise), headers=officer)).json()
    assert [m["year"] for m in listed["items"]] == [2023] and listed["items"][0]["etag"]
    # The change is audited, its figures shown only as "changed".
    update = (await audit_entries(app, "annual_metrics.update"))[-1]
    assert update.before["revenue"] == "changed" and update.after["revenue"] == "changed"


@pytest.mark.parametrize(
    ("year", "body", "field"),
    [
        (2023, {"revenue": -1}, "revenue"),
        (2023, {"rd_expense": "-0.01"}, "rd_expense"),
        (2023, {"employees": -3}, "employees"),
        (2023, {"employees": 10, "tech_staff": 11}, "tech_staff"),
        (2023, {"innovation_score": 100.5}, "innovation_score"),
        (2023, {"revenue": "lots"}, "revenue"),
        (2023, {"profit": 5}, "profit"),
        (1989, {"revenue": 1}, "year"),
        (2101, {"revenue": 1}, "year"),
    ],
)
async def test_bad_figures_are_422_and_write_nothing(app, client, officer, enterprise, year, body, field):
    response = await client.put(url(enterprise, year), json=body, headers=officer)
    assert response.status_code == 422, response.text
    assert field in [e["loc"][-1] for e in response.json()["errors"]]
    assert await count(app, t.annual_metrics) == 0


async def test_a_bad_figure_leaves_the_year_as_it_was(client, officer, enterprise):
    await client.put(url(enterprise, 2022), json={"employees": 50, "tech_staff": 10}, headers=officer)
    refused = await client.put(
        url(enterprise, 2022), json={"employees": 5, "tech_staff": 10}, headers=officer
    )
    assert refused.status_code == 422
    kept = (await client.get(url(enterprise, 2022), headers=officer)).json()
    assert (kept["employees"], kept["tech_staff"]) == (50, 10)


async def test_missing_year_and_unknown_enterprise_are_404(client, officer, enterprise):
    assert (await client.get(url(enterprise, 2020), headers=officer)).status_code == 404
    assert (await client.get(url({"id": "0000nothere0000"}), headers=officer)).status_code == 404
    assert (
        await client.put(url({"id": "0000nothere0000"}, 2020), json={}, headers=officer)
    ).status_code == 404


async def test_a_viewer_sees_no_figure_and_cannot_write(client, officer, viewer, enterprise):
    await client.put(url(enterprise, 2023), json=FIGURES, headers=officer)
    shown = (await client.get(url(enterprise, 2023), headers=viewer)).json()
    assert shown["year"] == 2023 and shown["enterprise_id"] == enterprise["id"]
    assert all(shown[name] is None for name in FIGURES)
    listed = (await client.get(url(enterprise), headers=viewer)).json()["items"]
    assert listed[0]["revenue"] is None and listed[0]["employees"] is None
    assert (await client.put(url(enterprise, 2023), json={}, headers=viewer)).status_code == 403
