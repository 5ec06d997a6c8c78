"""The plan's enterprises (`gaoxin seed`): once each, findable by their other names, nothing invented."""

from __future__ import annotations

from infrastructure.db.tables import cultivation as t
from infrastructure.seed import cultivation
from tests.api.cultivation.helpers import audit_entries, count, events

# At least these (issue 5); 六(三)3 names the four listed ones.
NAMED = {
    "聚龙股份", "荣信汇科", "荣信兴业", "森远路桥", "创鑫激光", "亚世光电", "新光台电子", "鞍山飞鑫液晶显示",
    "星空钠电", "九夷锂能", "中钢集团鞍山热能研究院", "宏成电力", "天安集团", "希思腾科", "中新自动控制集团",
    "海汇自动化", "维盛自动化", "辽宁烽火台科技", "大普科技", "欧威亚科技", "优迅科技", "华冶集团", "迈格钠",
    "鞍山华科大激光科技", "辽宁北斗激光科技", "海诺", "爱母医疗", "鞍重股份",
}  # fmt: skip
LISTED = {"聚龙股份", "森远路桥", "鞍重股份", "亚世光电"}
CLUSTERS = {
    "聚龙股份": "总部经济组团",
    "九夷锂能": "新能源产业组团",
    "天安集团": "新能源产业组团",
    "宏成电力": "新能源产业组团",
}


async def everyone(client, headers) -> list[dict]:
    found, cursor = [], None
    while True:
        params = {"limit": 200} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/enterprises", params=params, headers=headers)).json()
        found += page["items"]
        if (cursor := page["next_cursor"]) is None:
            return found


async def test_seeding_twice_writes_nothing_the_second_time(app):
    first = await cultivation.seed(app.state.session_factory)
    assert first == len(cultivation.records()) == await count(app, t.enterprises)
    assert await cultivation.seed(app.state.session_factory) == 0
    assert await count(app, t.enterprises) == first
    assert len(await events(app, "enterprise.registered")) == first
    assert {e.actor for e in await audit_entries(app, "enterprise.create")} == {"seed"}


async def test_the_seeded_registry_as_an_officer_finds_it(app, client, officer):
    await cultivation.seed(app.state.session_factory)
    enterprises = await everyone(client, officer)
    by_name = {e["name"]: e for e in enterprises}
    assert len(by_name) == len(enterprises)  # one record each
    assert set(by_name) >= NAMED
    assert {name for name, e in by_name.items() if e["listed"]} == LISTED
    assert {name: e["cluster"] for name, e in by_name.items() if e["cluster"]} == CLUSTERS
    assert all(e["credit_code"] is None and e["registered_on"] is None for e in enterprises)
    assert all(
        e["stock_code"] is None and e["listed_on"] is None and e["tier"] == "none" for e in enterprises
    )
    found = (await client.get("/api/v1/enterprises", params={"q": "聚龙集团"}, headers=officer)).json()
    assert [e["name"] for e in found["items"]] == ["聚龙股份"]
    for alias, name in (("森远股份", "森远路桥"), ("亚世股份", "亚世光电"), ("辽宁宏成电力", "宏成电力")):
        found = (await client.get("/api/v1/enterprises", params={"q": alias}, headers=officer)).json()
        assert [e["name"] for e in found["items"]] == [name]
    listed = (
        await client.get("/api/v1/enterprises", params={"designation": "listed"}, headers=officer)
    ).json()
    assert {e["name"] for e in listed["items"]} == LISTED
