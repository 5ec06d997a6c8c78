"""环节 over HTTP: the tree, its refusals, enterprise links, and the gap events every change records."""

from __future__ import annotations

from tests.api.chains.conftest import CHAINS, events, new_chain, new_node, register


async def _node_names(client, headers, chain_id) -> list[str]:
    items = (await client.get(f"{CHAINS}/{chain_id}/nodes", headers=headers)).json()["items"]
    return [n["name"] for n in items]


async def test_nodes_form_a_tree_and_read_back_with_etags(client, admin):
    chain = await new_chain(client, admin)
    materials = await new_node(client, admin, chain["id"], "正负极材料", "upstream")
    anode = await new_node(client, admin, chain["id"], "负极材料", "upstream", parent_id=materials["id"])
    assert anode["parent_id"] == materials["id"] and anode["chain_id"] == chain["id"]
    url = f"{CHAINS}/{chain['id']}/nodes/{anode['id']}"
    read = await client.get(url, headers=admin)
    assert read.json() == anode and read.headers["etag"]
    assert (await client.patch(url, json={"name": "负极"}, headers=admin)).status_code == 428
    moved = await client.patch(
        url,
        json={"parent_id": None, "stage": "midstream"},
        headers=admin | {"If-Match": read.headers["etag"]},
    )
    assert (
        moved.status_code == 200
        and moved.json()["parent_id"] is None
        and moved.json()["stage"] == "midstream"
    )
    listed = (await client.get(f"{CHAINS}/{chain['id']}/nodes", headers=admin)).json()["items"]
    assert [n["name"] for n in listed] == ["正负极材料", "负极材料"] and listed[0]["etag"]


async def test_a_parent_of_another_chain_an_unknown_parent_or_a_cycle_is_422_and_writes_nothing(
    client, admin, app
):
    storage = await new_chain(client, admin, "储能电池")
    hydrogen = await new_chain(client, admin, "氢能源应用")
    foreign = await new_node(client, admin, hydrogen["id"], "制备", "upstream")
    nodes = f"{CHAINS}/{storage['id']}/nodes"
    across = await client.post(
        nodes, json={"name": "隔膜", "stage": "upstream", "parent_id": foreign["id"]}, headers=admin
    )
    assert across.status_code == 422 and across.json()["errors"][0]["loc"] == ["body", "parent_id"]
    unknown = await client.post(
        nodes, json={"name": "隔膜", "stage": "upstream", "parent_id": "nope"}, headers=admin
    )
    assert unknown.status_code == 422
    bad_stage = await client.post(nodes, json={"name": "隔膜", "stage": "sideways"}, headers=admin)
    assert bad_stage.status_code == 422
    assert await _node_names(client, admin, storage["id"]) == []

    root = await new_node(client, admin, storage["id"], "正负极材料", "upstream")
    child = await new_node(client, admin, storage["id"], "负极材料", "upstream", parent_id=root["id"])
    url = f"{nodes}/{root['id']}"
    etag = (await client.get(url, headers=admin)).headers["etag"]
    for parent in (child["id"], root["id"], foreign["id"]):
        refused = await client.patch(url, json={"parent_id": parent}, headers=admin | {"If-Match": etag})
        assert refused.status_code == 422, parent
    assert (await client.get(url, headers=admin)).json()["parent_id"] is None
    # A node is addressed under its own chain only.
    assert (
        await client.get(f"{CHAINS}/{hydrogen['id']}/nodes/{root['id']}", headers=admin)
    ).status_code == 404


async def test_delete_refuses_children_links_and_targets(client, admin, app):
    chain = await new_chain(client, admin)
    jiuyi = await register(app, "九夷锂能")
    parent = await new_node(client, admin, chain["id"], "锂离子电池")
    child = await new_node(client, admin, chain["id"], "电芯", parent_id=parent["id"])
    courted = await new_node(client, admin, chain["id"], "钠离子电池")
    nodes = f"{CHAINS}/{chain['id']}/nodes"
    await client.post(
        f"{nodes}/{child['id']}/enterprises",
        json={"enterprise_id": jiuyi.id, "role": "leader"},
        headers=admin,
    )
    await client.post(
        f"{CHAINS}/{chain['id']}/targets",
        json={"company_name": "星空能源钠电池产业园", "node_id": courted["id"]},
        headers=admin,
    )

    for node in (parent, child, courted):
        url = f"{nodes}/{node['id']}"
        assert (await client.delete(url, headers=admin)).status_code == 428
        etag = (await client.get(url, headers=admin)).headers["etag"]
        refused = await client.delete(url, headers=admin | {"If-Match": etag})
        assert refused.status_code == 409 and refused.json()["rule"] == "not-deletable", node["name"]
    assert await _node_names(client, admin, chain["id"]) == ["锂离子电池", "电芯", "钠离子电池"]

    assert (
        await client.delete(f"{nodes}/{child['id']}/enterprises/{jiuyi.id}", headers=admin)
    ).status_code == 204
    url = f"{nodes}/{child['id']}"
    etag = (await client.get(url, headers=admin)).headers["etag"]
    assert (await client.delete(url, headers=admin | {"If-Match": etag})).status_code == 204
    assert (await client.get(url, headers=admin)).status_code == 404


async def test_links_unknown_enterprise_twice_and_unlink(client, admin, app):
    chain = await new_chain(client, admin)
    node = await new_node(client, admin, chain["id"], "锂离子电池")
    jiuyi = await register(app, "九夷锂能")
    url = f"{CHAINS}/{chain['id']}/nodes/{node['id']}/enterprises"
    unknown = await client.post(url, json={"enterprise_id": "nope", "role": "leader"}, headers=admin)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["body", "enterprise_id"]
    bad_role = await client.post(url, json={"enterprise_id": jiuyi.id, "role": "partner"}, headers=admin)
    assert bad_role.status_code == 422
    linked = await client.post(url, json={"enterprise_id": jiuyi.id, "role": "leader"}, headers=admin)
    assert linked.status_code == 201 and linked.headers["etag"]
    assert linked.json() | {"id": None} == {
        "id": None,
        "node_id": node["id"],
        "enterprise_id": jiuyi.id,
        "role": "leader",
    }
    twice = await client.post(url, json={"enterprise_id": jiuyi.id, "role": "supporting"}, headers=admin)
    assert twice.status_code == 409 and twice.json()["rule"] == "duplicate"
    assert (await client.delete(f"{url}/{jiuyi.id}", headers=admin)).status_code == 204
    assert (await client.delete(f"{url}/{jiuyi.id}", headers=admin)).status_code == 404
    unlinked = await client.get(f"{CHAINS}/{chain['id']}/map", headers=admin)
    assert unlinked.json()["nodes"][0]["enterprises"] == []


async def test_every_change_that_moves_gaps_records_it(client, admin, app):
    chain = await new_chain(client, admin)
    jiuyi = await register(app, "九夷锂能")
    root = await new_node(client, admin, chain["id"], "锂离子电池")
    child = await new_node(client, admin, chain["id"], "电芯", parent_id=root["id"])
    links = f"{CHAINS}/{chain['id']}/nodes/{child['id']}/enterprises"
    await client.post(links, json={"enterprise_id": jiuyi.id, "role": "leader"}, headers=admin)
    await client.delete(f"{links}/{jiuyi.id}", headers=admin)
    url = f"{CHAINS}/{chain['id']}/nodes/{child['id']}"
    etag = (await client.get(url, headers=admin)).headers["etag"]
    await client.delete(url, headers=admin | {"If-Match": etag})
    gap_events = await events(app, "chain.node_gap_opened", "chain.node_gap_closed")
    assert [
        (e.type.rsplit("_", 1)[1], e.data["node_id"], e.data.get("node_removed")) for e in gap_events
    ] == [
        ("opened", root["id"], None),  # the first leaf
        ("opened", child["id"], None),  # a child came: it is the leaf now …
        ("closed", root["id"], False),  # … and its parent is no longer one
        ("closed", child["id"], False),  # 九夷锂能 linked
        ("opened", child["id"], None),  # unlinked
        ("opened", root["id"], None),  # the child deleted: its parent is a leaf again …
        ("closed", child["id"], True),  # … and the child's gap went with it
    ]
    assert {e.subject_id for e in gap_events} == {chain["id"]}


async def test_a_chief_writes_only_their_chain(client, people):
    admin, li = people["root"]["headers"], people["li"]["headers"]
    mine = await new_chain(client, admin, "储能电池")
    theirs = await new_chain(client, admin, "氢能源应用")
    await client.put(f"{CHAINS}/{mine['id']}/chief", json={"user_id": people["li"]["id"]}, headers=admin)
    assert (
        await client.post(
            f"{CHAINS}/{mine['id']}/nodes", json={"name": "隔膜", "stage": "upstream"}, headers=li
        )
    ).status_code == 201
    other = await client.post(
        f"{CHAINS}/{theirs['id']}/nodes", json={"name": "制备", "stage": "upstream"}, headers=li
    )
    assert other.status_code == 403
    assert await _node_names(client, admin, theirs["id"]) == []
