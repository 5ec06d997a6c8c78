"""The dashboard: one call with the seeded plan's lights and indicators, the pyramid and the chains."""

from __future__ import annotations

from infrastructure.seed import seed_all
from tests.support.accounts import bearer, make_user


async def test_dashboard_of_the_seeded_zone(app, client):
    await seed_all(app.state.session_factory)
    await make_user(app, "brain", ["viewer"])
    await make_user(app, "root", ["admin"])
    viewer, admin = await bearer(client, "brain"), await bearer(client, "root")
    gdp = next(
        i
        for i in (await client.get("/api/v1/indicators", params={"limit": 50}, headers=viewer)).json()[
            "items"
        ]
        if i["code"] == 2
    )
    await client.put(
        f"/api/v1/indicators/{gdp['id']}/observations/2025", json={"value": "150"}, headers=admin
    )

    response = await client.get("/api/v1/dashboard", headers=viewer)
    assert response.status_code == 200
    board = response.json()
    assert board["plan"]["year"] == min(max(int(board["as_of"][:4]), 2021), 2025)
    assert sum(board["tasks"]["warning"].values()) == 82
    assert [t["code"] for t in board["tasks"]["key_tasks"]] == [str(c) for c in range(4, 11)]
    assert sum(board["indicators"]["status"].values()) == 24
    assert board["indicators"]["status"].get("on_track", 0) >= 1  # GDP 150 ≥ target 147
    assert board["tiers"]["by_designation"]["listed"] == 4
    assert board["tiers"]["targets"]["hnte"] == "160"
    assert len(board["chains"]["items"]) == 11
    assert board["chains"]["pipeline"]["lead"] >= 0
    assert all(0 <= c["coverage"] <= 1 for c in board["chains"]["items"])


async def test_dashboard_with_nothing_loaded(app, client):
    await make_user(app, "brain", ["viewer"])
    board = (await client.get("/api/v1/dashboard", headers=await bearer(client, "brain"))).json()
    assert board["plan"] is None and board["chains"]["items"] == [] and board["tasks"]["key_tasks"] == []
