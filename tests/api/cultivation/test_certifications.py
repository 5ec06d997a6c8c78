"""Certifications over HTTP: kinds, numbers, derived and required expiries, revocation, tier events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.shared.clock import SystemClock
from infrastructure.db.tables import cultivation as t
from tests.api.cultivation.helpers import count, events, register


def today() -> date:
    """The app's "today" (Asia/Shanghai) when asked: a run may cross midnight there (16:00 UTC)."""
    return SystemClock().today()


@pytest.fixture
async def enterprise(client, officer) -> dict:
    return await register(client, officer, name="荣信兴业")


def certs_url(enterprise: dict) -> str:
    return f"/api/v1/enterprises/{enterprise['id']}/certifications"


@pytest.mark.parametrize(
    ("body", "expires_on"),
    [
        ({"kind": "hnte", "issued_on": "2021-11-24", "number": "gr202121000123"}, "2024-11-23"),
        ({"kind": "hnte", "issued_on": "2024-02-29"}, "2027-02-28"),
        ({"kind": "specialized", "issued_on": "2023-03-01"}, "2026-02-28"),
        ({"kind": "tech_sme", "issued_on": "2023-05-10", "number": "2023210300A0001"}, "2023-12-31"),
        ({"kind": "eaglet", "issued_on": "2022-01-01", "expires_on": "2024-12-31"}, "2024-12-31"),
        ({"kind": "platform", "issued_on": "2022-01-01"}, None),
    ],
)
async def test_expiry_is_derived_given_or_open_by_kind(client, officer, enterprise, body, expires_on):
    created = await client.post(certs_url(enterprise), json=body, headers=officer)
    assert created.status_code == 201, created.text
    assert created.json()["expires_on"] == expires_on and created.headers["etag"]
    if body.get("number", "").startswith("gr"):
        assert created.json()["number"] == "GR202121000123"
    read = await client.get(f"{certs_url(enterprise)}/{created.json()['id']}", headers=officer)
    assert read.json() == created.json() and read.headers["etag"] == created.headers["etag"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "gold_medal", "issued_on": "2023-01-01"}, "kind"),
        ({"kind": "hnte", "issued_on": "2023-01-01", "number": "GR20232100012"}, "number"),
        ({"kind": "hnte", "issued_on": "2023-01-01", "number": "GX202321000123"}, "number"),
        ({"kind": "hnte", "issued_on": "2023-01-01", "expires_on": "2026-01-01"}, "expires_on"),
        ({"kind": "gazelle", "issued_on": "2023-01-01"}, "expires_on"),
        ({"kind": "unicorn", "issued_on": "2023-01-01", "expires_on": "2022-12-31"}, "expires_on"),
        ({"kind": "platform", "issued_on": "2023-01-01", "expires_on": "2022-12-31"}, "expires_on"),
        ({"kind": "hnte"}, "issued_on"),
    ],
)
async def test_bad_certifications_are_422_and_write_nothing(app, client, officer, enterprise, body, field):
    response = await client.post(certs_url(enterprise), json=body, headers=officer)
    assert response.status_code == 422
    assert field in [e["loc"][-1] for e in response.json()["errors"]]
    assert await count(app, t.certifications) == 0
    assert await events(app, "enterprise.tier_changed") == []


async def test_a_certification_valid_today_moves_the_tier_and_says_so(app, client, officer, enterprise):
    issued = (today() - timedelta(days=10)).isoformat()
    created = await client.post(
        certs_url(enterprise), json={"kind": "hnte", "issued_on": issued}, headers=officer
    )
    assert created.json()["valid"] is True and created.json()["revoked"] is False
    shown = (await client.get(f"/api/v1/enterprises/{enterprise['id']}", headers=officer)).json()
    assert shown["tier"] == "hnte"
    (event,) = await events(app, "enterprise.tier_changed")
    assert event.subject_id == enterprise["id"]
    assert (event.data["from"], event.data["to"], event.data["date"]) == ("none", "hnte", today().isoformat())
    # A certification that starts next year leaves today's tier alone: the daily sweep reports it then.
    later = (today() + timedelta(days=400)).isoformat()
    await client.post(certs_url(enterprise), json={"kind": "platform", "issued_on": later}, headers=officer)
    assert len(await events(app, "enterprise.tier_changed")) == 1


async def test_revocation_needs_if_match_a_date_and_a_reason_and_is_final(app, client, officer, enterprise):
    issued = (today() - timedelta(days=100)).isoformat()
    created = await client.post(
        certs_url(enterprise), json={"kind": "hnte", "issued_on": issued}, headers=officer
    )
    url = f"{certs_url(enterprise)}/{created.json()['id']}"
    etag = created.headers["etag"]
    revoke = {"revoked": True, "revoked_on": today().isoformat(), "reason": "材料造假"}
    assert (await client.patch(url, json=revoke, headers=officer)).status_code == 428
    no_reason = await client.patch(
        url, json={"revoked": True, "revoked_on": today().isoformat()}, headers=officer | {"If-Match": etag}
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["loc"] == ["body", "reason"]
    lone_date = await client.patch(url, json={"revoked_on": issued}, headers=officer | {"If-Match": etag})
    assert lone_date.status_code == 422
    assert (await client.get(url, headers=officer)).json()["revoked"] is False
    revoked = await client.patch(url, json=revoke, headers=officer | {"If-Match": etag})
    assert revoked.status_code == 200
    body = revoked.json()
    assert (body["revoked"], body["valid"], body["revoked_on"], body["reason"]) == (
        True,
        False,
        today().isoformat(),
        "材料造假",
    )
    twice = await client.patch(url, json=revoke, headers=officer | {"If-Match": revoked.headers["etag"]})
    assert twice.status_code == 409
    undo = await client.patch(
        url, json={"revoked": False}, headers=officer | {"If-Match": revoked.headers["etag"]}
    )
    assert undo.status_code == 409
    tiers = [(e.data["from"], e.data["to"]) for e in await events(app, "enterprise.tier_changed")]
    assert tiers == [("none", "hnte"), ("hnte", "none")]
    history = (
        await client.get(f"/api/v1/enterprises/{enterprise['id']}/tier-history", headers=officer)
    ).json()
    assert [(c["date"], c["from"], c["to"]) for c in history["items"]] == [
        (issued, "none", "hnte"),
        (today().isoformat(), "hnte", "none"),
    ]
    assert "revoked" in history["items"][1]["cause"]


async def test_correcting_the_issue_date_moves_a_derived_expiry(client, officer, enterprise):
    created = await client.post(
        certs_url(enterprise), json={"kind": "hnte", "issued_on": "2020-03-01"}, headers=officer
    )
    url = f"{certs_url(enterprise)}/{created.json()['id']}"
    fixed = await client.patch(
        url,
        json={"issued_on": "2020-02-29", "authority": "辽宁省科技厅"},
        headers=officer | {"If-Match": created.headers["etag"]},
    )
    assert fixed.status_code == 200
    assert (fixed.json()["issued_on"], fixed.json()["expires_on"]) == ("2020-02-29", "2023-02-28")
    kind = await client.patch(
        url, json={"kind": "eaglet"}, headers=officer | {"If-Match": fixed.headers["etag"]}
    )
    assert kind.status_code == 422


async def test_lists_and_foreign_certifications(client, officer, enterprise):
    other = await register(client, officer, name="大普科技")
    mine = await client.post(
        certs_url(enterprise), json={"kind": "tech_sme", "issued_on": "2023-01-05"}, headers=officer
    )
    await client.post(
        certs_url(enterprise), json={"kind": "above_scale", "issued_on": "2022-01-01"}, headers=officer
    )
    listed = (await client.get(certs_url(enterprise), headers=officer)).json()
    assert [c["kind"] for c in listed["items"]] == ["tech_sme", "above_scale"]
    assert all(c["etag"] for c in listed["items"])
    assert listed["items"][0]["valid"] is False  # a tech_sme registration ends with its year
    foreign = await client.get(f"{certs_url(other)}/{mine.json()['id']}", headers=officer)
    assert foreign.status_code == 404
    assert (await client.get(certs_url({"id": "0000nothere0000"}), headers=officer)).status_code == 404
