"""Pools through the handlers: entering and leaving today with who and why, once at a time; their events."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.cultivation.handlers.pools import enter_pool, leave_pool, members_page
from domain.cultivation.pools import PoolKind, PoolMembership
from domain.shared.errors import Duplicate, InvalidValue, NotFound
from tests.unit.handlers.cultivation.support import TODAY, enterprise_in

POOL = "high_growth_reserve"


@pytest.fixture
def enterprise(uow):
    return enterprise_in(uow, "爱母医疗")


async def test_entering_records_who_when_and_why_and_announces_it(uow, enterprise):
    membership = await enter_pool(POOL, enterprise.id, " 高成长 ", uow=uow, by="officer_li", today=TODAY)
    assert (membership.pool, membership.enterprise_id, membership.entered_on) == (
        PoolKind.HIGH_GROWTH_RESERVE,
        enterprise.id,
        TODAY,
    )
    assert (membership.entered_by, membership.reason, membership.is_open) == ("officer_li", "高成长", True)
    assert uow.pool_memberships.items == {membership.id: membership} and uow.commits == 1
    (event,) = uow.published
    assert (event.type, event.subject_type, event.subject_id) == ("pool.member_added", "pool", POOL)
    assert event.data == {
        "membership_id": membership.id,
        "pool": POOL,
        "enterprise_id": enterprise.id,
        "entered_on": TODAY.isoformat(),
        "entered_by": "officer_li",
        "reason": "高成长",
    }


async def test_entering_twice_is_a_409_but_another_pool_is_fine(uow, enterprise):
    await enter_pool(POOL, enterprise.id, None, uow=uow, by="officer_li", today=TODAY)
    with pytest.raises(Duplicate):
        await enter_pool(POOL, enterprise.id, None, uow=uow, by="officer_li", today=TODAY)
    assert len(uow.pool_memberships.items) == 1 and uow.commits == 1
    await enter_pool("going_global", enterprise.id, None, uow=uow, by="officer_li", today=TODAY)
    assert len(uow.pool_memberships.items) == 2 and uow.published_types() == ["pool.member_added"] * 2


async def test_an_unknown_enterprise_is_a_422_and_an_unknown_pool_a_404(uow, enterprise):
    with pytest.raises(InvalidValue) as unknown:
        await enter_pool(POOL, "nothere", None, uow=uow, by="officer_li", today=TODAY)
    assert unknown.value.field == "enterprise_id"
    for write in (
        enter_pool("gold_reserve", enterprise.id, None, uow=uow, by="officer_li", today=TODAY),
        leave_pool("gold_reserve", enterprise.id, None, uow=uow, today=TODAY),
        members_page("gold_reserve", uow=uow, after=None, limit=10),
    ):
        with pytest.raises(NotFound):
            await write
    assert uow.pool_memberships.items == {} and uow.commits == 0 and uow.published == []


async def test_leaving_ends_the_open_stay_today_and_announces_it(uow, enterprise):
    stay = PoolMembership(
        pool=PoolKind.HIGH_GROWTH_RESERVE,
        enterprise_id=enterprise.id,
        entered_on=TODAY - timedelta(days=40),
        entered_by="officer_li",
    )
    uow.pool_memberships.add(stay)
    left = await leave_pool(POOL, enterprise.id, "已上市", uow=uow, today=TODAY)
    assert left is stay and (stay.left_on, stay.left_reason, stay.is_open) == (TODAY, "已上市", False)
    assert uow.commits == 1
    (event,) = uow.published
    assert (event.type, event.data["enterprise_id"], event.data["left_on"], event.data["reason"]) == (
        "pool.member_removed",
        enterprise.id,
        TODAY.isoformat(),
        "已上市",
    )
    again = await enter_pool(POOL, enterprise.id, None, uow=uow, by="officer_li", today=TODAY)
    assert again is not stay and again.is_open  # a new stay after the last one ended


async def test_leaving_a_pool_one_is_not_in_is_a_404(uow, enterprise):
    await enter_pool("going_global", enterprise.id, None, uow=uow, by="officer_li", today=TODAY)
    with pytest.raises(NotFound):
        await leave_pool(POOL, enterprise.id, None, uow=uow, today=TODAY)
    assert uow.commits == 1 and uow.published_types() == ["pool.member_added"]


async def test_the_members_are_the_open_stays_in_order_of_entry(uow):
    first, second, third = (enterprise_in(uow, name) for name in ("甲", "乙", "丙"))
    for enterprise in (first, second, third):
        await enter_pool(POOL, enterprise.id, None, uow=uow, by="officer_li", today=TODAY)
    await enter_pool("going_global", first.id, None, uow=uow, by="officer_li", today=TODAY)
    await leave_pool(POOL, second.id, None, uow=uow, today=TODAY)
    members = await members_page(POOL, uow=uow, after=None, limit=10)
    assert sorted(m.enterprise_id for m in members) == sorted([first.id, third.id])
    assert [m.id for m in members] == sorted(m.id for m in members)  # the keyset, as the database pages
    assert len(await members_page(POOL, uow=uow, after=None, limit=1)) == 2  # one more: another page
    assert await members_page(POOL, uow=uow, after=members[0].id, limit=10) == members[1:]
