"""The registry's list: every filter of API.md, search over names, aliases and codes, and cursors."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from domain.shared.clock import SystemClock
from infrastructure.db.tables import chains as c
from tests.api.cultivation.helpers import CODE_A, register

URL = "/api/v1/enterprises"
TODAY = SystemClock().today()
RECENTLY = (TODAY - timedelta(days=30)).isoformat()  # within every validity period
LONG_AGO = (TODAY - timedelta(days=5 * 366)).isoformat()  # past every three-year period
NEXT_YEAR = (TODAY + timedelta(days=366)).isoformat()


async def names(client, headers, **params) -> list[str]:
    response = await client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [e["name"] for e in response.json()["items"]]


async def test_q_searches_name_aliases_and_credit_code_case_blind(client, officer):
    await register(client, officer, name="聚龙股份", aliases=["聚龙集团"], credit_code=CODE_A)
    await register(client, officer, name="森远路桥", aliases=["森远股份"])
    assert await names(client, officer, q="聚龙集团") == ["聚龙股份"]
    assert await names(client, officer, q="股份") == ["聚龙股份", "森远路桥"]
    assert await names(client, officer, q=CODE_A[4:12].lower()) == ["聚龙股份"]
    assert await names(client, officer, q="鞍重") == []


async def test_q_takes_percent_underscore_and_backslash_literally(client, officer):
    await register(client, officer, name="增长100%科技")
    await register(client, officer, name="增长1000科技")
    await register(client, officer, name="A_B 公司")
    await register(client, officer, name="AXB 公司")
    await register(client, officer, name="斜杠\\公司")
    assert await names(client, officer, q="100%") == ["增长100%科技"]
    assert await names(client, officer, q="a_b") == ["A_B 公司"]
    assert await names(client, officer, q="\\") == ["斜杠\\公司"]
    assert await names(client, officer, q="%") == ["增长100%科技"]


async def test_a_renamed_enterprise_is_found_by_its_new_name_only(client, officer):
    enterprise = await register(client, officer, name="星空钠电")
    url = f"{URL}/{enterprise['id']}"
    etag = (await client.get(url, headers=officer)).headers["etag"]
    await client.patch(url, json={"name": "星空能源"}, headers=officer | {"If-Match": etag})
    assert await names(client, officer, q="星空能源") == ["星空能源"]
    assert await names(client, officer, q="钠电") == []


async def test_cluster_status_and_pool_filters(client, officer):
    a = await register(client, officer, name="九夷锂能", cluster="新能源产业组团")
    await register(client, officer, name="宏成电力", cluster="新能源产业组团", status="moved_out")
    await register(client, officer, name="聚龙股份", cluster="总部经济组团")
    assert await names(client, officer, cluster="新能源产业组团") == ["九夷锂能", "宏成电力"]
    assert await names(client, officer, cluster="新能源产业组团", status="active") == ["九夷锂能"]
    added = await client.post(
        "/api/v1/pools/hnte_reserve/members", json={"enterprise_id": a["id"]}, headers=officer
    )
    assert added.status_code == 201
    assert await names(client, officer, pool="hnte_reserve") == ["九夷锂能"]
    assert await names(client, officer, pool="listing_reserve") == []
    await client.delete(f"/api/v1/pools/hnte_reserve/members/{a['id']}", headers=officer)
    assert await names(client, officer, pool="hnte_reserve") == []


async def test_chain_id_finds_enterprises_linked_to_any_node_of_the_chain(app, client, officer):
    linked = await register(client, officer, name="亚世光电")
    await register(client, officer, name="鞍重股份")
    async with app.state.engine.begin() as connection:
        await connection.execute(insert(c.chains), [{"id": "ch1", "name": "新型显示", "version": 1}])
        await connection.execute(
            insert(c.nodes),
            [
                {"id": "n1", "chain_id": "ch1", "name": "显示模组", "stage": "midstream", "version": 1},
                {"id": "n2", "chain_id": "ch1", "name": "液晶屏", "stage": "midstream", "version": 1},
            ],
        )
        await connection.execute(
            insert(c.node_links),
            [
                {"id": "l1", "node_id": "n1", "enterprise_id": linked["id"], "role": "leader"},
                {"id": "l2", "node_id": "n2", "enterprise_id": linked["id"], "role": "supporting"},
            ],
        )
    assert await names(client, officer, chain_id="ch1") == ["亚世光电"]
    assert await names(client, officer, chain_id="nochain") == []


async def test_tier_and_designation_hold_today(client, officer):
    hnte = await register(client, officer, name="高企甲", listed=True, listed_on=LONG_AGO)
    sme = await register(client, officer, name="科小乙")
    gazelle = await register(client, officer, name="瞪羚丙")
    both = await register(client, officer, name="高企瞪羚戊")
    await register(client, officer, name="无认定丁")
    for enterprise, cert in (
        (hnte, {"kind": "hnte", "issued_on": RECENTLY, "number": "GR202421000001"}),
        (hnte, {"kind": "tech_sme", "issued_on": TODAY.isoformat()}),
        (sme, {"kind": "hnte", "issued_on": LONG_AGO}),  # lapsed
        (gazelle, {"kind": "gazelle", "issued_on": RECENTLY, "expires_on": NEXT_YEAR}),
        (both, {"kind": "gazelle", "issued_on": RECENTLY, "expires_on": NEXT_YEAR}),
        (both, {"kind": "hnte", "issued_on": RECENTLY}),
    ):
        url = f"{URL}/{enterprise['id']}/certifications"
        assert (await client.post(url, json=cert, headers=officer)).status_code == 201
    assert await names(client, officer, tier="hnte") == ["高企甲"]
    assert await names(client, officer, tier="none") == ["科小乙", "无认定丁"]
    assert await names(client, officer, tier="gazelle") == ["瞪羚丙", "高企瞪羚戊"]
    assert await names(client, officer, designation="tech_sme") == ["高企甲"]
    assert await names(client, officer, designation="gazelle_or_unicorn") == ["瞪羚丙", "高企瞪羚戊"]
    assert await names(client, officer, designation="listed") == ["高企甲"]
    assert await names(client, officer, designation="hnte", tier="gazelle") == ["高企瞪羚戊"]
    assert await names(client, officer, designation="hnte") == ["高企甲", "高企瞪羚戊"]
    assert await names(client, officer, designation="hnte", tier="hnte") == ["高企甲"]
    bad = await client.get(URL, params={"tier": "gold"}, headers=officer)
    assert bad.status_code == 422


async def test_pages_walk_the_filtered_list_and_cursors_are_bound_to_filters(client, officer):
    for i in range(7):
        enterprise = await register(client, officer, name=f"企业{i}")
        if i % 2 == 0:
            url = f"{URL}/{enterprise['id']}/certifications"
            await client.post(url, json={"kind": "hnte", "issued_on": RECENTLY}, headers=officer)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "tier": "hnte"} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(URL, params=params, headers=officer)).json()
        seen += [e["name"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["企业0", "企业2", "企业4", "企业6"]
    first = (await client.get(URL, params={"limit": 2, "tier": "hnte"}, headers=officer)).json()
    foreign = await client.get(URL, params={"limit": 2, "cursor": first["next_cursor"]}, headers=officer)
    assert foreign.status_code == 400
    assert (await client.get(URL, params={"limit": 201}, headers=officer)).status_code == 422
