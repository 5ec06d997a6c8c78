"""`tier` is derived for today in Asia/Shanghai: the same enterprise read on two days of a FixedClock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx

from domain.shared.clock import FixedClock
from services.api.app import create_app
from tests.api.cultivation.helpers import register
from tests.support.lifespan import running


@asynccontextmanager
async def client_at(settings, at: datetime) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the same database whose service believes it is `at`."""
    application = create_app(settings, clock=FixedClock(at))
    async with running(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


async def test_the_tier_falls_the_day_after_the_hnte_expiry(settings, client, officer):
    enterprise = await register(client, officer, name="森远路桥")
    url = f"/api/v1/enterprises/{enterprise['id']}"
    cert = {"kind": "hnte", "issued_on": "2021-11-24", "number": "GR202121000123"}
    assert (await client.post(f"{url}/certifications", json=cert, headers=officer)).status_code == 201
    await client.post(
        f"{url}/certifications", json={"kind": "tech_sme", "issued_on": "2024-03-01"}, headers=officer
    )
    days = {
        # 23 Nov 2024 is the last valid day (issued + 3 years − 1 day).
        datetime(2024, 11, 23, 15, 59, tzinfo=UTC): "hnte",  # 23:59 in Shanghai
        datetime(2024, 11, 23, 16, 0, tzinfo=UTC): "tech_sme",  # already 24 Nov in Shanghai
        datetime(2025, 1, 1, 0, 0, tzinfo=UTC): "none",  # the tech_sme registration ended with 2024
    }
    for at, tier in days.items():
        async with client_at(settings, at) as http:
            shown = await http.get(url, headers=officer)
            assert shown.json()["tier"] == tier, at
            listed = await http.get("/api/v1/enterprises", params={"tier": tier}, headers=officer)
            assert [e["name"] for e in listed.json()["items"]] == ["森远路桥"]
            cert_list = (await http.get(f"{url}/certifications", headers=officer)).json()["items"]
            assert cert_list[0]["valid"] is (tier == "hnte")
            stats = (await http.get("/api/v1/stats/tiers", headers=officer)).json()
            assert stats["date"] == FixedClock(at).today().isoformat()
            assert stats["by_tier"][tier] == 1
