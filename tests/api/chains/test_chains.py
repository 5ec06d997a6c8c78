"""Chains over HTTP: create, read, list, patch with ETags; who may write which chain."""

from __future__ import annotations

from tests.api.chains.conftest import CHAINS, new_chain, register


async def test_create_read_and_patch_a_chain_with_etags(client, admin, app):
    jiuyi = await register(app, "九夷锂能")
    created = await client.post(
        CHAINS,
        json={
            "code": "energy_storage",
            "name": "储能电池",
            "group": "新能源",
            "leader_enterprise_id": jiuyi.id,
        },
        headers=admin,
    )
    assert created.status_code == 201 and created.headers["etag"]
    chain = created.json()
    assert (
        chain["name"] == "储能电池"
        and chain["group"] == "新能源"
        and chain["leader_enterprise_id"] == jiuyi.id
    )
    url = f"{CHAINS}/{chain['id']}"
    read = await client.get(url, headers=admin)
    assert read.json() == chain and read.headers["etag"] == created.headers["etag"]

    assert (await client.patch(url, json={"description": "锂离子、钠离子"}, headers=admin)).status_code == 428
    patched = await client.patch(
        url, json={"description": "锂离子、钠离子"}, headers=admin | {"If-Match": created.headers["etag"]}
    )
    assert patched.status_code == 200 and patched.json()["description"] == "锂离子、钠离子"
    stale = await client.patch(
        url, json={"group": "X"}, headers=admin | {"If-Match": created.headers["etag"]}
    )
    assert stale.status_code == 412
    assert (await client.get(url, headers=admin)).json()["group"] == "新能源"


async def test_duplicate_name_or_code_is_409_and_unknown_leader_is_422(client, admin):
    await new_chain(client, admin, "氢能源应用", code="hydrogen")
    same_name = await client.post(CHAINS, json={"name": "氢能源应用"}, headers=admin)
    same_code = await client.post(CHAINS, json={"name": "氢能", "code": "hydrogen"}, headers=admin)
    assert same_name.status_code == same_code.status_code == 409
    assert same_name.json()["rule"] == "duplicate"
    unknown = await client.post(
        CHAINS, json={"name": "太阳能应用", "leader_enterprise_id": "nope"}, headers=admin
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "leader_enterprise_id"]
    names = [c["name"] for c in (await client.get(CHAINS, headers=admin)).json()["items"]]
    assert names == ["氢能源应用"]


async def test_list_pages_by_group_with_cursors_bound_to_the_filter(client, admin, people):
    for name in ("半导体与集成电路", "物联网", "新型显示"):
        await new_chain(client, admin, name, group="数字经济")
    await new_chain(client, admin, "储能电池", group="新能源")
    viewer = people["viewer"]["headers"]
    first = (await client.get(CHAINS, params={"group": "数字经济", "limit": 2}, headers=viewer)).json()
    assert [c["name"] for c in first["items"]] == ["半导体与集成电路", "物联网"] and first["items"][0]["etag"]
    rest = await client.get(
        CHAINS, params={"group": "数字经济", "limit": 2, "cursor": first["next_cursor"]}, headers=viewer
    )
    assert [c["name"] for c in rest.json()["items"]] == ["新型显示"] and rest.json()["next_cursor"] is None
    foreign = await client.get(
        CHAINS, params={"group": "新能源", "cursor": first["next_cursor"]}, headers=viewer
    )
    assert foreign.status_code == 400
    assert (await client.get(CHAINS, params={"limit": 201}, headers=viewer)).status_code == 422


async def test_who_may_create_and_patch_a_chain(client, people):
    admin, zong, li = (people[n]["headers"] for n in ("root", "zong", "li"))
    assert (await client.post(CHAINS, json={"name": "物联网"}, headers=li)).status_code == 403
    assert (
        await client.post(CHAINS, json={"name": "物联网"}, headers=people["viewer"]["headers"])
    ).status_code == 403
    chain = await new_chain(client, zong, "物联网")
    url = f"{CHAINS}/{chain['id']}"
    etag = (await client.get(url, headers=li)).headers["etag"]
    # A chain_chief role without an assignment to this chain gives no right to write it.
    refused = await client.patch(url, json={"group": "数字经济"}, headers=li | {"If-Match": etag})
    assert refused.status_code == 403
    put = await client.put(f"{url}/chief", json={"user_id": people["li"]["id"]}, headers=admin)
    assert put.status_code == 200
    allowed = await client.patch(url, json={"group": "数字经济"}, headers=li | {"If-Match": etag})
    assert allowed.status_code == 200 and allowed.json()["group"] == "数字经济"
    other = await client.patch(
        url, json={"group": "X"}, headers=people["wang"]["headers"] | {"If-Match": allowed.headers["etag"]}
    )
    assert other.status_code == 403


async def test_unknown_chain_is_404(client, admin):
    assert (await client.get(f"{CHAINS}/nope", headers=admin)).status_code == 404
    assert (
        await client.patch(f"{CHAINS}/nope", json={}, headers=admin | {"If-Match": "*"})
    ).status_code == 404
