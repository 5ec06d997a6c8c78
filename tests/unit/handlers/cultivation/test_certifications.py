"""Certifications through the handlers: recorded with their expiry, corrected, revoked once; tier events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.cultivation.handlers.certifications import (
    add_certification,
    certifications_page,
    change_certification,
    get_certification,
)
from domain.shared.errors import IllegalTransition, InvalidValue, NotFound
from tests.unit.handlers.cultivation.support import TODAY, Expect, Refuse, certification_in, enterprise_in

RECENTLY = TODAY - timedelta(days=100)


@pytest.fixture
def enterprise(uow):
    return enterprise_in(uow, "荣信兴业")


def tier_changes(uow) -> list[tuple[str, str, str, str]]:
    return [
        (e.subject_id, e.data["from"], e.data["to"], e.data["date"])
        for e in uow.published
        if e.type == "enterprise.tier_changed"
    ]


@pytest.mark.parametrize(
    ("data", "expires_on"),
    [
        ({"kind": "hnte", "issued_on": date(2021, 11, 24), "number": "gr202121000123"}, date(2024, 11, 23)),
        ({"kind": "hnte", "issued_on": date(2024, 2, 29)}, date(2027, 2, 28)),
        ({"kind": "tech_sme", "issued_on": date(2023, 5, 10)}, date(2023, 12, 31)),
        (
            {"kind": "eaglet", "issued_on": date(2022, 1, 1), "expires_on": date(2024, 12, 31)},
            date(2024, 12, 31),
        ),
        ({"kind": "platform", "issued_on": date(2022, 1, 1)}, None),
    ],
)
async def test_a_recorded_certification_has_its_expiry_derived_given_or_open(
    uow, enterprise, data, expires_on
):
    certification = await add_certification(enterprise.id, data, uow=uow, today=TODAY)
    assert certification.expires_on == expires_on and certification.enterprise_id == enterprise.id
    assert uow.certifications.items == {certification.id: certification} and uow.commits == 1


async def test_a_certification_valid_today_moves_the_tier_and_says_so(uow, enterprise):
    certification = await add_certification(
        enterprise.id,
        {"kind": "hnte", "issued_on": RECENTLY, "number": "GR202421000001"},
        uow=uow,
        today=TODAY,
    )
    assert certification.number == "GR202421000001"
    assert tier_changes(uow) == [(enterprise.id, "none", "hnte", TODAY.isoformat())]
    assert uow.published[0].data["cause"] == "hnte GR202421000001 recorded"
    # One that starts next year leaves today's tier alone (the daily sweep tells it then); a lower rung too.
    await add_certification(
        enterprise.id, {"kind": "platform", "issued_on": TODAY + timedelta(days=400)}, uow=uow, today=TODAY
    )
    await add_certification(enterprise.id, {"kind": "tech_sme", "issued_on": TODAY}, uow=uow, today=TODAY)
    assert len(tier_changes(uow)) == 1 and uow.commits == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "gold_medal", "issued_on": date(2023, 1, 1)}, "kind"),
        ({"kind": "hnte", "issued_on": date(2023, 1, 1), "number": "GX202321000123"}, "number"),
        ({"kind": "hnte", "issued_on": date(2023, 1, 1), "expires_on": date(2026, 1, 1)}, "expires_on"),
        ({"kind": "gazelle", "issued_on": date(2023, 1, 1)}, "expires_on"),
        ({"kind": "hnte", "issued_on": None}, "issued_on"),
    ],
)
async def test_a_bad_certification_is_refused_and_nothing_written(uow, enterprise, data, field):
    with pytest.raises(InvalidValue) as refused:
        await add_certification(enterprise.id, data, uow=uow, today=TODAY)
    assert refused.value.field == field
    assert uow.certifications.items == {} and uow.commits == 0 and uow.published == []


async def test_an_unknown_enterprise_has_no_certification_to_add_or_list(uow):
    with pytest.raises(NotFound):
        await add_certification("nothere", {"kind": "hnte", "issued_on": RECENTLY}, uow=uow, today=TODAY)
    with pytest.raises(NotFound):
        await certifications_page("nothere", uow=uow, after=None, limit=10)
    assert uow.certifications.items == {} and uow.commits == 0


async def test_the_list_pages_the_enterprise_own_in_recording_order(uow, enterprise):
    other = enterprise_in(uow, "大普科技")
    mine = [
        certification_in(uow, enterprise, kind, date(2023, 1, 5))
        for kind in ("tech_sme", "above_scale", "hnte")
    ]
    certification_in(uow, other, "hnte", date(2023, 1, 5))
    ordered = sorted(mine, key=lambda c: c.id)
    assert await certifications_page(enterprise.id, uow=uow, after=None, limit=10) == ordered
    assert await certifications_page(enterprise.id, uow=uow, after=None, limit=1) == ordered[:2]
    assert await certifications_page(enterprise.id, uow=uow, after=ordered[0].id, limit=5) == ordered[1:]


async def test_a_certification_is_found_only_under_its_own_enterprise(uow, enterprise):
    other = enterprise_in(uow, "大普科技")
    certification = certification_in(uow, enterprise, "hnte", RECENTLY)
    assert await get_certification(enterprise.id, certification.id, uow=uow) is certification
    with pytest.raises(NotFound):
        await get_certification(other.id, certification.id, uow=uow)
    with pytest.raises(NotFound):
        await get_certification(enterprise.id, "nothere", uow=uow)


async def test_revoking_checks_the_expectation_ends_the_tier_and_is_final(uow, enterprise):
    certification = certification_in(uow, enterprise, "hnte", RECENTLY)
    expect = Expect()
    revoke = {"revoked": True, "revoked_on": TODAY, "reason": " 材料造假 "}
    revoked = await change_certification(
        enterprise.id, certification.id, revoke, uow=uow, today=TODAY, expect=expect
    )
    assert expect.shown == [certification] and revoked is certification
    assert (revoked.revoked, revoked.revoked_on, revoked.revoke_reason) == (True, TODAY, "材料造假")
    assert not revoked.valid_on(TODAY) and uow.commits == 1
    assert tier_changes(uow) == [(enterprise.id, "hnte", "none", TODAY.isoformat())]
    assert "revoked" in uow.published[0].data["cause"]
    with pytest.raises(IllegalTransition):
        await change_certification(enterprise.id, certification.id, revoke, uow=uow, today=TODAY)
    with pytest.raises(IllegalTransition):
        await change_certification(enterprise.id, certification.id, {"revoked": False}, uow=uow, today=TODAY)
    assert uow.commits == 1 and len(uow.published) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"revoked": True, "revoked_on": TODAY}, "reason"),
        ({"revoked": True, "reason": "材料造假"}, "revoked_on"),
        ({"revoked": True, "revoked_on": RECENTLY - timedelta(days=1), "reason": "早于认定"}, "revoked_on"),
        ({"revoked_on": TODAY}, "revoked"),
    ],
)
async def test_a_revocation_needs_a_date_and_a_reason_with_the_flag(uow, enterprise, changes, field):
    certification = certification_in(uow, enterprise, "hnte", RECENTLY)
    with pytest.raises(InvalidValue) as refused:
        await change_certification(enterprise.id, certification.id, changes, uow=uow, today=TODAY)
    assert refused.value.field == field
    assert certification.revoked is False and uow.commits == 0 and uow.published == []


async def test_a_stale_expectation_refuses_before_anything_changes(uow, enterprise):
    certification = certification_in(uow, enterprise, "hnte", RECENTLY)
    with pytest.raises(Refuse):
        await change_certification(
            enterprise.id,
            certification.id,
            {"revoked": True, "revoked_on": TODAY, "reason": "材料造假"},
            uow=uow,
            today=TODAY,
            expect=Expect(refuse=True),
        )
    assert certification.revoked is False and uow.commits == 0


async def test_an_unknown_certification_is_a_404_before_any_expectation(uow, enterprise):
    expect = Expect()
    with pytest.raises(NotFound):
        await change_certification(
            enterprise.id, "nothere", {"authority": "x"}, uow=uow, today=TODAY, expect=expect
        )
    assert expect.shown == []


async def test_correcting_the_issue_date_moves_a_derived_expiry_and_may_move_the_tier(uow, enterprise):
    certification = certification_in(uow, enterprise, "hnte", date(2020, 3, 1))  # lapsed by today
    fixed = await change_certification(
        enterprise.id,
        certification.id,
        {"issued_on": date(2020, 2, 29), "authority": " 辽宁省科技厅 "},
        uow=uow,
        today=TODAY,
    )
    assert (fixed.issued_on, fixed.expires_on, fixed.authority) == (
        date(2020, 2, 29),
        date(2023, 2, 28),
        "辽宁省科技厅",
    )
    assert tier_changes(uow) == [] and uow.commits == 1
    await change_certification(enterprise.id, certification.id, {"issued_on": RECENTLY}, uow=uow, today=TODAY)
    assert tier_changes(uow) == [(enterprise.id, "none", "hnte", TODAY.isoformat())]
    assert "corrected" in uow.published[0].data["cause"]


async def test_a_refused_correction_leaves_every_field_as_it_was(uow, enterprise):
    certification = certification_in(uow, enterprise, "hnte", date(2022, 1, 1), authority="科技厅")
    with pytest.raises(InvalidValue) as refused:
        await change_certification(
            enterprise.id,
            certification.id,
            {"authority": "新机关", "expires_on": date(2030, 1, 1)},
            uow=uow,
            today=TODAY,
        )
    assert refused.value.field == "expires_on"
    assert (certification.authority, certification.expires_on) == ("科技厅", date(2024, 12, 31))
    assert uow.commits == 0
