"""四图 over HTTP: the chain map in API.md's shape, and the three views of the same data."""

from __future__ import annotations

from domain.cultivation.enterprises import EnterpriseStatus
from tests.api.chains.conftest import CHAINS, new_chain, new_node, register


async def _link(client, headers, chain_id, node_id, enterprise_id, role="leader"):
    url = f"{CHAINS}/{chain_id}/nodes/{node_id}/enterprises"
    response = await client.post(url, json={"enterprise_id": enterprise_id, "role": role}, headers=headers)
    assert response.status_code == 201, response.text


async def test_the_chain_map_shows_nodes_enterprises_gaps_and_coverage(client, admin, app):
    chain = await new_chain(client, admin, "储能电池", group="新能源")
    cid = chain["id"]
    materials = await new_node(client, admin, cid, "正负极材料", "upstream")
    anode = await new_node(client, admin, cid, "负极材料", "upstream", parent_id=materials["id"])
    lithium = await new_node(client, admin, cid, "锂离子电池", "midstream")
    sodium = await new_node(client, admin, cid, "钠离子电池", "midstream")
    service = await new_node(client, admin, cid, "技术服务", "downstream")
    jiuyi = await register(app, "九夷锂能", cluster="新能源产业组团")
    helper = await register(app, "配套电池厂", cluster="新能源产业组团")
    gone = await register(app, "星空钠电", status=EnterpriseStatus.MOVED_OUT)
    await _link(client, admin, cid, lithium["id"], helper.id, "supporting")
    await _link(client, admin, cid, lithium["id"], jiuyi.id, "leader")
    await _link(client, admin, cid, sodium["id"], gone.id, "leader")  # moved out: shown, covers nothing
    await _link(client, admin, cid, materials["id"], jiuyi.id, "supporting")  # an inner node covers no leaf

    response = await client.get(f"{CHAINS}/{cid}/map", headers=admin)
    assert response.status_code == 200 and response.headers["etag"]
    body = response.json()
    assert body["chain"] == chain
    assert body["gaps"] == [anode["id"], sodium["id"], service["id"]]
    assert body["coverage"] == 0.25  # 1 of 4 leaves
    by_name = {n["name"]: n for n in body["nodes"]}
    assert list(by_name) == ["正负极材料", "负极材料", "锂离子电池", "钠离子电池", "技术服务"]
    assert by_name["负极材料"] == {
        "id": anode["id"],
        "name": "负极材料",
        "stage": "upstream",
        "parent_id": materials["id"],
        "gap": True,
        "enterprises": [],
    }
    assert by_name["锂离子电池"]["gap"] is False
    assert by_name["锂离子电池"]["enterprises"] == [  # leaders first
        {"id": jiuyi.id, "name": "九夷锂能", "role": "leader", "cluster": "新能源产业组团"},
        {"id": helper.id, "name": "配套电池厂", "role": "supporting", "cluster": "新能源产业组团"},
    ]
    assert (
        by_name["钠离子电池"]["gap"] is True and by_name["钠离子电池"]["enterprises"][0]["name"] == "星空钠电"
    )
    assert by_name["正负极材料"]["gap"] is False  # not a leaf

    roadmap = {s["stage"]: [(n["name"], n["depth"]) for n in s["nodes"]] for s in body["technology_roadmap"]}
    assert roadmap == {
        "upstream": [("正负极材料", 0), ("负极材料", 1)],
        "midstream": [("锂离子电池", 0), ("钠离子电池", 0)],
        "downstream": [("技术服务", 0)],
    }
    assert body["application_fields"] == [
        {"node_id": service["id"], "name": "技术服务", "gap": True, "enterprises": []}
    ]
    assert body["cluster_distribution"] == [
        {
            "cluster": "新能源产业组团",
            "label": "新能源产业组团",
            "count": 2,
            "enterprise_ids": sorted([jiuyi.id, helper.id]),
        }
    ]


async def test_an_empty_chain_has_no_gaps_and_zero_coverage_and_an_unknown_one_is_404(client, people):
    viewer = people["viewer"]["headers"]
    chain = await new_chain(client, people["root"]["headers"], "太阳能应用")
    body = (await client.get(f"{CHAINS}/{chain['id']}/map", headers=viewer)).json()
    assert (body["coverage"], body["gaps"], body["nodes"]) == (0, [], [])
    assert [s["stage"] for s in body["technology_roadmap"]] == ["upstream", "midstream", "downstream"]
    assert (await client.get(f"{CHAINS}/nope/map", headers=viewer)).status_code == 404
