"""链长制 over HTTP: assigning chiefs and the general chief, the history, and rights from the assignment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.shared.clock import SystemClock
from tests.api.chains.conftest import CHAINS, events, new_chain
from tests.support.accounts import make_user


def today() -> date:
    """The app's "today" (Asia/Shanghai) when asked: a run may cross midnight there (16:00 UTC)."""
    return SystemClock().today()


async def test_a_new_chain_has_no_chief_then_assignments_follow_each_other(client, people, app):
    admin = people["root"]["headers"]
    chain = await new_chain(client, admin)
    url = f"{CHAINS}/{chain['id']}/chief"
    assert (await client.get(url, headers=admin)).status_code == 404

    first = await client.put(url, json={"user_id": people["li"]["id"], "since": "2024-01-01"}, headers=admin)
    assert first.status_code == 200 and first.headers["etag"]
    assert first.json() | {"id": None} == {
        "id": None,
        "chain_id": chain["id"],
        "user_id": people["li"]["id"],
        "since": "2024-01-01",
        "until": None,
    }
    got = await client.get(url, headers=people["viewer"]["headers"])
    assert got.json() == first.json() and got.headers["etag"] == first.headers["etag"]

    # The general chief assigns the next chief; today by default.
    second = await client.put(url, json={"user_id": people["wang"]["id"]}, headers=people["zong"]["headers"])
    assert second.status_code == 200 and second.json()["since"] == today().isoformat()
    history = (await client.get(f"{CHAINS}/{chain['id']}/chief-history", headers=admin)).json()["items"]
    assert [(h["user_id"], h["since"], h["until"]) for h in history] == [
        (people["li"]["id"], "2024-01-01", today().isoformat()),
        (people["wang"]["id"], today().isoformat(), None),
    ]
    assigned = await events(app, "chain.chief_assigned")
    assert [(e.subject_type, e.subject_id, e.data["user_id"]) for e in assigned] == [
        ("chain", chain["id"], people["li"]["id"]),
        ("chain", chain["id"], people["wang"]["id"]),
    ]
    assert assigned[1].data["previous_user_id"] == people["li"]["id"]


async def test_refusals_write_nothing(client, people, app):
    admin = people["root"]["headers"]
    chain = await new_chain(client, admin)
    url = f"{CHAINS}/{chain['id']}/chief"
    await client.put(url, json={"user_id": people["li"]["id"], "since": "2024-03-01"}, headers=admin)

    earlier = await client.put(
        url, json={"user_id": people["wang"]["id"], "since": "2024-02-01"}, headers=admin
    )
    assert earlier.status_code == 409 and earlier.json()["rule"] == "chief-overlap"
    retired = await make_user(app, "retired", ["chain_chief"])
    async with app.state.session_factory() as session:
        user = await session.get(type(retired), retired.id)
        user.active = False
        await session.commit()
    inactive = await client.put(url, json={"user_id": retired.id}, headers=admin)
    unknown = await client.put(url, json={"user_id": "nobody"}, headers=admin)
    assert inactive.status_code == unknown.status_code == 422
    assert inactive.json()["errors"][0]["loc"] == ["body", "user_id"]
    stale = await client.put(
        url, json={"user_id": people["wang"]["id"]}, headers=admin | {"If-Match": '"old"'}
    )
    assert stale.status_code == 412
    for role in ("li", "officer", "viewer"):
        forbidden = await client.put(
            url, json={"user_id": people["wang"]["id"]}, headers=people[role]["headers"]
        )
        assert forbidden.status_code == 403

    history = (await client.get(f"{CHAINS}/{chain['id']}/chief-history", headers=admin)).json()["items"]
    assert [(h["user_id"], h["until"]) for h in history] == [(people["li"]["id"], None)]
    assert len(await events(app, "chain.chief_assigned")) == 1


async def test_assigning_the_same_chief_again_changes_nothing_and_if_match_is_honoured(client, people, app):
    admin = people["root"]["headers"]
    chain = await new_chain(client, admin)
    url = f"{CHAINS}/{chain['id']}/chief"
    first = await client.put(url, json={"user_id": people["li"]["id"]}, headers=admin)
    again = await client.put(
        url, json={"user_id": people["li"]["id"]}, headers=admin | {"If-Match": first.headers["etag"]}
    )
    assert again.status_code == 200 and again.json() == first.json()
    assert len(await events(app, "chain.chief_assigned")) == 1


async def test_rights_come_from_the_active_assignment(client, people):
    admin, li = people["root"]["headers"], people["li"]["headers"]
    chain = await new_chain(client, admin)
    nodes = f"{CHAINS}/{chain['id']}/nodes"
    body = {"name": "隔膜", "stage": "upstream"}
    assert (await client.post(nodes, json=body, headers=li)).status_code == 403
    tomorrow = (today() + timedelta(days=1)).isoformat()
    await client.put(f"{CHAINS}/{chain['id']}/chief", json={"user_id": people["li"]["id"]}, headers=admin)
    assert (await client.post(nodes, json=body, headers=li)).status_code == 201
    # From tomorrow on 王 is chief: 李 keeps the chain today and 王 has no right yet.
    await client.put(
        f"{CHAINS}/{chain['id']}/chief",
        json={"user_id": people["wang"]["id"], "since": tomorrow},
        headers=admin,
    )
    assert (
        await client.post(nodes, json={"name": "电解液", "stage": "upstream"}, headers=li)
    ).status_code == 201
    wang = people["wang"]["headers"]
    assert (
        await client.post(nodes, json={"name": "电芯", "stage": "midstream"}, headers=wang)
    ).status_code == 403


async def test_the_general_chief_is_named_by_an_admin_only(client, people, app):
    admin, zong = people["root"]["headers"], people["zong"]["headers"]
    url = "/api/v1/general-chief"
    assert (await client.get(url, headers=zong)).status_code == 404
    assert (await client.put(url, json={"user_id": people["zong"]["id"]}, headers=zong)).status_code == 403
    named = await client.put(
        url, json={"user_id": people["zong"]["id"], "since": "2022-01-01"}, headers=admin
    )
    assert named.status_code == 200 and named.json()["chain_id"] is None
    assert (await client.get(url, headers=people["viewer"]["headers"])).json() == named.json()
    earlier = await client.put(
        url, json={"user_id": people["root"]["id"], "since": "2021-01-01"}, headers=admin
    )
    assert earlier.status_code == 409 and earlier.json()["rule"] == "chief-overlap"
    successor = await client.put(url, json={"user_id": people["root"]["id"]}, headers=admin)
    assert successor.status_code == 200 and successor.json()["user_id"] == people["root"]["id"]
    [first, second] = await events(app, "chain.chief_assigned")
    assert first.subject_type == second.subject_type == "general_chief"
    assert second.data["previous_user_id"] == people["zong"]["id"]


@pytest.mark.parametrize("general", [False, True], ids=["chain", "general-chief"])
async def test_a_same_day_handover_is_a_correction_not_a_conflict(client, people, general):
    """An equal `since` is allowed (the contract: "may not precede"); the day before is still a 409."""
    admin = people["root"]["headers"]
    url = "/api/v1/general-chief" if general else f"{CHAINS}/{(await new_chain(client, admin))['id']}/chief"
    first = {"user_id": people["li"]["id"], "since": "2024-03-01"}
    assert (await client.put(url, json=first, headers=admin)).status_code == 200
    before = await client.put(
        url, json={"user_id": people["wang"]["id"], "since": "2024-02-29"}, headers=admin
    )
    assert before.status_code == 409 and before.json()["rule"] == "chief-overlap"
    same = await client.put(url, json={"user_id": people["wang"]["id"], "since": "2024-03-01"}, headers=admin)
    assert same.status_code == 200 and same.json()["user_id"] == people["wang"]["id"]
    assert (await client.get(url, headers=admin)).json()["user_id"] == people["wang"]["id"]
    if not general:
        history = (await client.get(f"{url}-history", headers=admin)).json()["items"]
        assert [(h["user_id"], h["since"], h["until"]) for h in history] == [
            (people["li"]["id"], "2024-03-01", "2024-03-01"),  # the empty [since, since): in force on no day
            (people["wang"]["id"], "2024-03-01", None),
        ]


@pytest.mark.parametrize("general", [False, True], ids=["chain", "general-chief"])
async def test_with_nobody_in_office_any_if_match_fails(client, people, app, general):
    """RFC 9110 §13.1.1: If-Match, even `*`, fails when there is no current representation (GET is 404)."""
    admin = people["root"]["headers"]
    url = "/api/v1/general-chief" if general else f"{CHAINS}/{(await new_chain(client, admin))['id']}/chief"
    for sent in ("*", '"3f2a9c0e5b7d41a6b8c2d4e6f8a0b1c3"'):
        refused = await client.put(
            url, json={"user_id": people["li"]["id"]}, headers=admin | {"If-Match": sent}
        )
        assert refused.status_code == 412 and "current_etag" not in refused.json()
    assert (await client.get(url, headers=admin)).status_code == 404
    assert await events(app, "chain.chief_assigned") == []
    assert (await client.put(url, json={"user_id": people["li"]["id"]}, headers=admin)).status_code == 200
