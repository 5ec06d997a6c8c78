"""One event type, one shape: every raiser — the handlers behind the API and the daily sweep — writes the
`data` the catalogue (domain/integration/events.py) and docs/EVENTS.md give for its type."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from domain.integration.events import CATALOGUE, EVENT_TYPES, payload_problems
from domain.shared.clock import SystemClock
from infrastructure.db.tables.outbox import outbox
from services.worker.sweep import DailySweep
from tests.support.accounts import make_department, user_headers

EVENTS_MD = Path(__file__).resolve().parents[2] / "docs" / "EVENTS.md"


async def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


async def raise_every_event(app, client) -> None:
    """Every event type through its real raisers: API writes, then the daily sweep."""
    today = SystemClock().today()
    department = await make_department(app, "科技创新局")
    admin = await user_headers(app, client, "root", ["admin"])
    planner = await user_headers(app, client, "planner", ["planner"])
    staff = await user_headers(app, client, "keji", ["department"], department_id=department.id)
    officer = await user_headers(app, client, "officer", ["officer"])
    chief = await user_headers(app, client, "li", ["chain_chief"])
    post, put = client.post, client.put

    plan = await _ok(
        await post(
            "/api/v1/plans", json={"title": "规划", "start_year": 2021, "end_year": 2025}, headers=planner
        ),
        201,
    )
    indicator = await _ok(
        await post(
            "/api/v1/indicators",
            json={
                "plan_id": plan["id"],
                "code": 2,
                "area": "经济发展",
                "name": "地区生产总值",
                "unit": "亿元",
                "target_value": 147,
            },
            headers=planner,
        ),
        201,
    )
    task = await _ok(
        await post(
            "/api/v1/tasks",
            json={
                "plan_id": plan["id"],
                "title": "逾期任务",
                "lead_department_id": department.id,
                "start_date": (today - timedelta(days=400)).isoformat(),
                "due_date": (today - timedelta(days=20)).isoformat(),
            },
            headers=planner,
        ),
        201,
    )
    period = f"{today.year:04d}-{today.month:02d}"
    report = await _ok(
        await post(
            f"/api/v1/tasks/{task['id']}/progress-reports",
            json={"period": period, "percent": 30, "summary": "进展"},
            headers=staff,
        ),
        201,
    )
    await _ok(
        await post(
            f"/api/v1/progress-reports/{report['id']}/return", json={"comment": "无佐证"}, headers=planner
        )
    )
    request = await _ok(
        await post(
            f"/api/v1/tasks/{task['id']}/extension-requests",
            json={"new_due_date": (today - timedelta(days=10)).isoformat(), "reason": "延期"},
            headers=staff,
        ),
        201,
    )
    await _ok(
        await post(
            f"/api/v1/extension-requests/{request['id']}/decision", json={"approved": True}, headers=planner
        )
    )
    await _ok(await post(f"/api/v1/tasks/{task['id']}/urges", json={"note": "请加快"}, headers=planner), 201)
    await _ok(
        await put(
            f"/api/v1/indicators/{indicator['id']}/observations/2023", json={"value": 127}, headers=planner
        ),
        201,
    )

    enterprise = await _ok(await post("/api/v1/enterprises", json={"name": "九夷锂能"}, headers=officer), 201)
    certificates = f"/api/v1/enterprises/{enterprise['id']}/certifications"
    lapsed = today - timedelta(days=3 * 365 + 30)  # an hnte valid 3 years: lapsed about a month ago
    for body in (
        {"kind": "hnte", "issued_on": lapsed.isoformat(), "number": f"GR{lapsed.year}21000123"},
        {"kind": "tech_sme", "issued_on": today.isoformat()},  # today's tier moves: a write raises it
        {"kind": "specialized", "issued_on": (today - timedelta(days=3 * 365 - 30)).isoformat()},  # expiring
    ):
        await _ok(await post(certificates, json=body, headers=officer), 201)
    pool = "/api/v1/pools/tech_sme_reserve/members"
    await _ok(await post(pool, json={"enterprise_id": enterprise["id"]}, headers=officer), 201)
    await _ok(await client.delete(f"{pool}/{enterprise['id']}?reason=已认定", headers=officer), 204)

    chain = await _ok(await post("/api/v1/chains", json={"name": "储能电池"}, headers=admin), 201)
    users = (await client.get("/api/v1/users", headers=admin)).json()["items"]
    li = next(u for u in users if u["username"] == "li")
    await _ok(await put(f"/api/v1/chains/{chain['id']}/chief", json={"user_id": li["id"]}, headers=admin))
    node = await _ok(
        await post(
            f"/api/v1/chains/{chain['id']}/nodes", json={"name": "电芯", "stage": "midstream"}, headers=chief
        ),
        201,
    )
    link = {"enterprise_id": enterprise["id"], "role": "leader"}
    await _ok(
        await post(f"/api/v1/chains/{chain['id']}/nodes/{node['id']}/enterprises", json=link, headers=chief),
        201,
    )
    await _ok(
        await post(f"/api/v1/chains/{chain['id']}/targets", json={"company_name": "宁德时代"}, headers=chief),
        201,
    )

    assert await DailySweep(app.state.session_factory).run(today) >= 3


async def test_every_raiser_writes_the_catalogued_shape(app, client):
    await raise_every_event(app, client)
    async with app.state.session_factory() as session:
        rows = (await session.execute(select(outbox).order_by(outbox.c.id))).all()
    problems = {(r.type, r.subject_type): payload_problems(r.type, r.data) for r in rows}
    assert {key: found for key, found in problems.items() if found} == {}
    assert {r.type for r in rows} == set(EVENT_TYPES)  # every type was raised, by every kind of raiser
    tiers = [r for r in rows if r.type == "enterprise.tier_changed"]
    causes = {"sweep" if "expired" in r.data["cause"] else "write" for r in tiers}
    assert causes == {"sweep", "write"}
    assert all(r.data["enterprise_id"] == r.subject_id for r in tiers)  # the sweep's too


def test_events_md_documents_each_type_as_the_catalogue_has_it():
    text = EVENTS_MD.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### `([a-z_.]+)`\n(.*?)(?=^### |\Z)", text, flags=re.M | re.S))
    assert list(sections) == list(EVENT_TYPES)
    for event in CATALOGUE:
        documented = re.findall(r"^\| `([a-z_]+)` \| (\w+)( or null)? \|", sections[event.name], flags=re.M)
        assert documented == [(f.name, f.kind, " or null" if f.nullable else "") for f in event.data], (
            event.name
        )


async def test_the_feed_names_every_type_and_where_its_data_is_documented(client):
    description = (await client.get("/openapi.json")).json()["paths"]["/api/v1/events"]["get"]["description"]
    assert "docs/EVENTS.md" in description
    for event in CATALOGUE:
        assert f"`{event.name}`" in description
        assert all(f"`{f.name}`" in description for f in event.data)
