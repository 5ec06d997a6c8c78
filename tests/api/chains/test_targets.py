"""招商目标 over HTTP: the stage machine, production joining the registry, and the yearly yardstick."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.shared.clock import FixedClock
from tests.api.chains.conftest import CHAINS, events, new_chain, new_node, register

TODAY = date(2024, 1, 2)


@pytest.fixture(autouse=True)
def in_2024(app, people):
    """Targets open at `lead` "today": let today be 2 January 2024 (tokens were issued on the real clock)."""
    app.state.clock = FixedClock(datetime(2024, 1, 2, 4, 0, tzinfo=UTC))


async def _target(client, headers, chain_id, **body) -> dict:
    response = await client.post(
        f"{CHAINS}/{chain_id}/targets", json={"company_name": "比亚迪", **body}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _move(client, headers, target_id, stage, on, note=None):
    body = {"stage": stage, "date": on} | ({"note": note} if note else {})
    return await client.post(f"/api/v1/targets/{target_id}/stage", json=body, headers=headers)


async def test_a_target_opens_at_lead_and_is_patched_with_etags(client, admin):
    chain = await new_chain(client, admin, "新能源汽车")
    node = await new_node(client, admin, chain["id"], "新能源乘用车")
    created = await client.post(
        f"{CHAINS}/{chain['id']}/targets",
        json={
            "company_name": "比亚迪",
            "node_id": node["id"],
            "planned_investment": 150000.5,
            "note": "谋划引进",
        },
        headers=admin,
    )
    assert created.status_code == 201 and created.headers["etag"], created.text
    target = created.json()
    assert target["stage"] == "lead" and target["planned_investment"] == "150000.5"
    assert target["stage_history"] == [{"stage": "lead", "date": TODAY.isoformat(), "note": None}]
    url = f"/api/v1/targets/{target['id']}"
    assert (await client.patch(url, json={"contact": "张经理"}, headers=admin)).status_code == 428
    patched = await client.patch(
        url,
        json={"contact": "张经理", "planned_investment": "200000"},
        headers=admin | {"If-Match": created.headers["etag"]},
    )
    assert patched.status_code == 200 and patched.json()["planned_investment"] == "200000"
    assert (await client.get(url, headers=admin)).json() == patched.json()
    foreign = await new_node(client, admin, (await new_chain(client, admin, "太阳能应用"))["id"], "边框")
    across = await client.patch(
        url, json={"node_id": foreign["id"]}, headers=admin | {"If-Match": patched.headers["etag"]}
    )
    assert across.status_code == 422
    negative = await client.post(
        f"{CHAINS}/{chain['id']}/targets", json={"company_name": "X", "planned_investment": -1}, headers=admin
    )
    assert negative.status_code == 422
    listed = (
        await client.get(f"{CHAINS}/{chain['id']}/targets", params={"stage": "lead"}, headers=admin)
    ).json()
    assert [t["company_name"] for t in listed["items"]] == ["比亚迪"] and listed["items"][0]["etag"]


async def test_stages_move_forward_only_and_finals_stay(client, admin, app):
    chain = await new_chain(client, admin)
    target = await _target(client, admin, chain["id"])
    assert (await _move(client, admin, target["id"], "signed", "2024-03-01", "签约")).status_code == 200
    backwards = await _move(client, admin, target["id"], "negotiating", "2024-04-01")
    assert backwards.status_code == 409 and backwards.json()["rule"] == "illegal-transition"
    same = await _move(client, admin, target["id"], "signed", "2024-04-01")
    assert same.status_code == 409
    earlier = await _move(client, admin, target["id"], "under_construction", "2024-02-01")
    assert earlier.status_code == 422
    dropped = await _move(client, admin, target["id"], "dropped", "2024-05-01")
    assert dropped.status_code == 200 and dropped.json()["stage"] == "dropped"
    out = await _move(client, admin, target["id"], "in_production", "2024-06-01")
    assert out.status_code == 409 and out.json()["rule"] == "illegal-transition"
    read = (await client.get(f"/api/v1/targets/{target['id']}", headers=admin)).json()
    assert [e["stage"] for e in read["stage_history"]] == ["lead", "signed", "dropped"]
    changed = await events(app, "target.stage_changed")
    assert [(e.data["from"], e.data["to"]) for e in changed] == [
        (None, "lead"),
        ("lead", "signed"),
        ("signed", "dropped"),
    ]


async def test_in_production_registers_the_company_on_its_node_and_closes_the_gap(client, admin, app):
    chain = await new_chain(client, admin, "新能源汽车")
    node = await new_node(client, admin, chain["id"], "新能源乘用车")
    target = await _target(client, admin, chain["id"], node_id=node["id"])
    map_url = f"{CHAINS}/{chain['id']}/map"
    assert (await client.get(map_url, headers=admin)).json()["gaps"] == [node["id"]]

    produced = await _move(client, admin, target["id"], "in_production", "2025-06-30", "投产")
    assert produced.status_code == 200, produced.text
    enterprise_id = produced.json()["enterprise_id"]
    assert enterprise_id is not None
    chain_map = (await client.get(map_url, headers=admin)).json()
    assert chain_map["gaps"] == [] and chain_map["coverage"] == 1.0
    assert chain_map["nodes"][0]["enterprises"] == [
        {"id": enterprise_id, "name": "比亚迪", "role": "supporting", "cluster": None}
    ]
    rows = await events(app, "target.stage_changed", "enterprise.registered", "chain.node_gap_closed")
    last = rows[-3:]
    assert sorted(r.type for r in last) == [
        "chain.node_gap_closed",
        "enterprise.registered",
        "target.stage_changed",
    ]
    assert len({r.txid for r in last}) == 1  # one transaction (txid is 0 on SQLite, which serialises writers)


async def test_in_production_links_an_enterprise_registered_under_that_exact_name(client, admin, app):
    chain = await new_chain(client, admin)
    node = await new_node(client, admin, chain["id"], "钠离子电池")
    xingkong = await register(app, "星空钠电", cluster="新能源产业组团")
    target = await _target(client, admin, chain["id"], company_name="星空钠电", node_id=node["id"])
    produced = await _move(client, admin, target["id"], "in_production", "2025-01-01")
    assert produced.json()["enterprise_id"] == xingkong.id
    assert len(await events(app, "enterprise.registered")) == 1  # only the test's own registration
    enterprises = (await client.get(f"{CHAINS}/{chain['id']}/map", headers=admin)).json()["nodes"][0][
        "enterprises"
    ]
    assert [(e["id"], e["cluster"]) for e in enterprises] == [(xingkong.id, "新能源产业组团")]


async def test_only_the_chains_chief_moves_its_targets(client, people):
    admin, li = people["root"]["headers"], people["li"]["headers"]
    chain = await new_chain(client, admin)
    target = await _target(client, admin, chain["id"])
    assert (await _move(client, li, target["id"], "negotiating", "2024-01-02")).status_code == 403
    assert (
        await _move(client, people["viewer"]["headers"], target["id"], "negotiating", "2024-01-02")
    ).status_code == 403
    await client.put(f"{CHAINS}/{chain['id']}/chief", json={"user_id": people["li"]["id"]}, headers=admin)
    assert (await _move(client, li, target["id"], "negotiating", "2024-01-02")).status_code == 200
    assert (
        await client.post(f"{CHAINS}/{chain['id']}/targets", json={"company_name": "宁德时代"}, headers=li)
    ).status_code == 201
    assert (await _move(client, admin, "nope", "negotiating", "2024-01-02")).status_code == 404


async def test_stats_count_coverage_gaps_and_the_stages_entered_in_the_year(client, admin, app):
    storage = await new_chain(client, admin, "储能电池")
    await new_chain(client, admin, "太阳能应用")
    lithium = await new_node(client, admin, storage["id"], "锂离子电池")
    await new_node(client, admin, storage["id"], "隔膜", "upstream")
    jiuyi = await register(app, "九夷锂能")
    links = f"{CHAINS}/{storage['id']}/nodes/{lithium['id']}/enterprises"
    await client.post(links, json={"enterprise_id": jiuyi.id, "role": "leader"}, headers=admin)
    first = await _target(client, admin, storage["id"], company_name="贝特瑞锂电池负极材料")
    second = await _target(client, admin, storage["id"], company_name="比克科技锂电池正极材料")
    await _move(client, admin, first["id"], "negotiating", "2024-03-01")
    await _move(client, admin, first["id"], "signed", "2024-09-01")
    await _move(client, admin, second["id"], "under_construction", "2025-05-01")  # skipping is allowed

    async def stats(year=None) -> dict:
        params = {"year": year} if year else {}
        response = await client.get("/api/v1/stats/chains", params=params, headers=admin)
        assert response.status_code == 200, response.text
        return {i["name"]: i for i in response.json()["items"]}

    zero = dict.fromkeys(
        ("lead", "negotiating", "signed", "under_construction", "in_production", "dropped"), 0
    )
    assert (await stats(2024))["储能电池"] == {
        "chain_id": storage["id"],
        "name": "储能电池",
        "coverage": 0.5,
        "gaps": 1,
        "entered": zero | {"lead": 2, "negotiating": 1, "signed": 1},
    }
    assert (await stats(2025))["储能电池"]["entered"] == zero | {"under_construction": 1}
    assert (await stats())["储能电池"]["entered"]["lead"] == 2  # the clock's year by default
    solar = (await stats(2024))["太阳能应用"]
    assert (solar["coverage"], solar["gaps"], solar["entered"]) == (0, 0, zero)
    assert (await client.get("/api/v1/stats/chains", params={"year": 1800}, headers=admin)).status_code == 422


async def test_a_target_met_before_is_entered_with_its_real_dates(client, admin, app):
    """`stage_date` dates the first stage (a target courted since 2022 is not "new today"); the stages after
    it keep their order, the same day allowed, as for any move."""
    chain = await new_chain(client, admin, "储能电池")
    target = await _target(client, admin, chain["id"], stage_date="2022-05-10")
    assert target["stage_history"] == [{"stage": "lead", "date": "2022-05-10", "note": None}]
    [opened] = await events(app, "target.stage_changed")
    assert opened.data == {"from": None, "to": "lead", "date": "2022-05-10"}
    assert (await _move(client, admin, target["id"], "negotiating", "2022-05-09")).status_code == 422
    assert (await _move(client, admin, target["id"], "negotiating", "2022-05-10")).status_code == 200
    signed = await _move(client, admin, target["id"], "signed", "2023-02-01")
    assert [s["date"] for s in signed.json()["stage_history"]] == ["2022-05-10", "2022-05-10", "2023-02-01"]
    stats = (await client.get("/api/v1/stats/chains", params={"year": 2022}, headers=admin)).json()["items"]
    assert stats[0]["entered"]["lead"] == 1 and stats[0]["entered"]["signed"] == 0
    assert (await _target(client, admin, chain["id"]))["stage_history"][0]["date"] == TODAY.isoformat()
