"""Enterprises over HTTP: register, read, change with If-Match, credit codes, and what is refused."""

from __future__ import annotations

import pytest

from infrastructure.db.tables import cultivation as t
from tests.api.cultivation.helpers import CODE_A, CODE_B, audit_entries, corrupt, count, events, register

URL = "/api/v1/enterprises"


async def test_register_read_and_list_with_etags(app, client, officer):
    created = await client.post(
        URL,
        json={"name": "聚龙股份", "aliases": ["聚龙集团"], "credit_code": CODE_A.lower(), "listed": True},
        headers=officer,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["credit_code"] == CODE_A  # lower case accepted, stored upper-cased
    assert body["tier"] == "none" and body["status"] == "active" and body["aliases"] == ["聚龙集团"]
    assert created.headers["etag"]
    read = await client.get(f"{URL}/{body['id']}", headers=officer)
    assert read.json() == body and read.headers["etag"] == created.headers["etag"]
    listed = (await client.get(URL, headers=officer)).json()
    assert [e["name"] for e in listed["items"]] == ["聚龙股份"] and listed["items"][0]["etag"]
    registered = await events(app, "enterprise.registered")
    assert [e.subject_id for e in registered] == [body["id"]]
    assert [e.resource_id for e in await audit_entries(app, "enterprise.create")] == [body["id"]]


async def test_patch_needs_if_match_and_never_takes_a_tier(client, officer):
    enterprise = await register(client, officer, name="荣信汇科")
    url = f"{URL}/{enterprise['id']}"
    etag = (await client.get(url, headers=officer)).headers["etag"]
    assert (await client.patch(url, json={"cluster": "高新科创城"}, headers=officer)).status_code == 428
    with_tier = await client.patch(url, json={"tier": "hnte"}, headers=officer | {"If-Match": etag})
    assert with_tier.status_code == 422
    assert ["body", "tier"] in [e["loc"] for e in with_tier.json()["errors"]]
    patched = await client.patch(
        url, json={"cluster": "高新科创城", "aliases": ["荣信"]}, headers=officer | {"If-Match": etag}
    )
    assert patched.status_code == 200
    assert patched.json()["cluster"] == "高新科创城" and patched.json()["aliases"] == ["荣信"]
    stale = await client.patch(url, json={"cluster": None}, headers=officer | {"If-Match": etag})
    assert stale.status_code == 412
    assert (await client.get(url, headers=officer)).json()["cluster"] == "高新科创城"


async def test_a_tier_in_a_new_enterprise_is_an_unknown_field(app, client, officer):
    response = await client.post(URL, json={"name": "森远路桥", "tier": "hnte"}, headers=officer)
    assert response.status_code == 422
    assert ["body", "tier"] in [e["loc"] for e in response.json()["errors"]]
    assert await count(app, t.enterprises) == 0


async def test_a_wrong_check_character_is_a_422_naming_credit_code(app, client, officer):
    response = await client.post(
        URL,
        json={"name": "创鑫激光", "credit_code": corrupt(CODE_A)},
        headers=officer | {"Accept-Language": "en"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert problem["errors"][0]["loc"] == ["body", "credit_code"]
    assert "check character" in problem["detail"]
    assert await count(app, t.enterprises) == 0


@pytest.mark.parametrize("code", ["91210300MA0U6X8Q", "91210300MA0U6X8QIZ", "9121 0300MA0U6X8Q1"])
async def test_a_malformed_credit_code_is_a_422(app, client, officer, code):
    response = await client.post(URL, json={"name": "创鑫激光", "credit_code": code}, headers=officer)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "credit_code"]
    assert await count(app, t.enterprises) == 0


async def test_a_duplicate_credit_code_is_a_409_on_create_and_on_change(app, client, officer):
    first = await register(client, officer, name="亚世光电", credit_code=CODE_A)
    again = await client.post(URL, json={"name": "亚世股份", "credit_code": CODE_A.lower()}, headers=officer)
    assert again.status_code == 409 and again.json()["rule"] == "duplicate"
    assert await count(app, t.enterprises) == 1
    other = await register(client, officer, name="新光台电子", credit_code=CODE_B)
    url = f"{URL}/{other['id']}"
    etag = (await client.get(url, headers=officer)).headers["etag"]
    clash = await client.patch(url, json={"credit_code": CODE_A}, headers=officer | {"If-Match": etag})
    assert clash.status_code == 409
    assert (await client.get(url, headers=officer)).json()["credit_code"] == CODE_B
    assert (await client.get(f"{URL}/{first['id']}", headers=officer)).json()["credit_code"] == CODE_A


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cluster": "月球组团"}, "cluster"),
        ({"status": "bankrupt"}, "status"),
        ({"listed_on": "2020-01-01"}, "listed_on"),
        ({"officer_id": "0000nobody0000"}, "officer_id"),
        ({"name": "  "}, "name"),
    ],
)
async def test_bad_enterprise_fields_are_422_and_write_nothing(app, client, officer, body, field):
    response = await client.post(URL, json={"name": "大普科技", **body}, headers=officer)
    assert response.status_code == 422
    assert field in [e["loc"][-1] for e in response.json()["errors"]]
    assert await count(app, t.enterprises) == 0


async def test_an_unknown_enterprise_is_404(client, officer):
    assert (await client.get(f"{URL}/0000notthere0000", headers=officer)).status_code == 404


async def test_a_viewer_reads_but_cannot_register(app, client, officer, viewer):
    await register(client, officer, name="希思腾科")
    assert (await client.get(URL, headers=viewer)).status_code == 200
    assert (await client.post(URL, json={"name": "海诺"}, headers=viewer)).status_code == 403
    assert await count(app, t.enterprises) == 1
