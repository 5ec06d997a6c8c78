"""培育库: memberships, one open stay per pool, events."""

from __future__ import annotations

from datetime import date

import pytest

from domain.cultivation.pools import (
    PoolKind,
    PoolMembership,
    add_member,
    members_on,
    pool_kind,
    remove_member,
)
from domain.shared.errors import Duplicate, IllegalTransition, InvalidValue, NotFound


def test_the_five_pools_and_their_chinese_names() -> None:
    assert [(p.value, p.zh) for p in PoolKind] == [
        ("tech_sme_reserve", "科技型中小企业培育库"),
        ("hnte_reserve", "高新技术企业培育库"),
        ("high_growth_reserve", "高成长企业培育库"),
        ("listing_reserve", "上市企业后备资源库"),
        ("going_global", "“走出去”企业培育库"),
    ]


def test_an_unknown_pool_is_not_found() -> None:
    assert pool_kind("hnte_reserve") is PoolKind.HNTE_RESERVE
    with pytest.raises(NotFound):
        pool_kind("unicorn_reserve")
    with pytest.raises(NotFound):
        add_member([], pool="unicorn_reserve", enterprise_id="e1", on=date(2023, 1, 1), by="officer1")


def test_adding_records_the_entry_and_the_event() -> None:
    membership = add_member(
        [],
        pool="hnte_reserve",
        enterprise_id="e1",
        on=date(2023, 3, 1),
        by=" officer1 ",
        reason=" 研发投入高 ",
    )
    assert (membership.pool, membership.entered_on, membership.entered_by, membership.reason) == (
        PoolKind.HNTE_RESERVE,
        date(2023, 3, 1),
        "officer1",
        "研发投入高",
    )
    assert membership.is_open
    (event,) = membership.pull_events()
    assert (event.type, event.subject_type, event.subject_id) == ("pool.member_added", "pool", "hnte_reserve")
    assert event.data == {
        "membership_id": membership.id,
        "pool": "hnte_reserve",
        "enterprise_id": "e1",
        "entered_on": "2023-03-01",
        "entered_by": "officer1",
        "reason": "研发投入高",
    }


def test_an_enterprise_is_in_a_pool_at_most_once_at_a_time() -> None:
    first = add_member([], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 3, 1), by="o")
    with pytest.raises(Duplicate):
        add_member([first], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 5, 1), by="o")


def test_it_may_be_in_several_pools_and_others_may_join_the_same_pool() -> None:
    first = add_member([], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 3, 1), by="o")
    other_pool = add_member([first], pool="listing_reserve", enterprise_id="e1", on=date(2023, 3, 1), by="o")
    other_enterprise = add_member(
        [first], pool="hnte_reserve", enterprise_id="e2", on=date(2023, 3, 1), by="o"
    )
    assert other_pool.is_open and other_enterprise.is_open


def test_leaving_records_date_reason_and_event_and_allows_a_later_return() -> None:
    first = add_member([], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 3, 1), by="o")
    first.pull_events()
    left = remove_member(
        [first], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 9, 1), reason="已认定"
    )
    assert left is first and (first.left_on, first.left_reason, first.is_open) == (
        date(2023, 9, 1),
        "已认定",
        False,
    )
    (event,) = first.pull_events()
    assert event.type == "pool.member_removed"
    assert event.data["left_on"] == "2023-09-01" and event.data["reason"] == "已认定"
    again = add_member([first], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 9, 1), by="o")
    assert again.is_open and again.id != first.id


def test_a_return_that_overlaps_an_earlier_stay_is_refused() -> None:
    first = add_member([], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 3, 1), by="o")
    first.leave(date(2023, 9, 1))
    with pytest.raises(Duplicate):
        add_member([first], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 8, 31), by="o")


def test_leaving_twice_or_before_entering_is_refused() -> None:
    membership = PoolMembership(
        pool=PoolKind.GOING_GLOBAL, enterprise_id="e1", entered_on=date(2023, 3, 1), entered_by="o"
    )
    with pytest.raises(InvalidValue) as caught:
        membership.leave(date(2023, 2, 28))
    assert caught.value.field == "left_on"
    membership.leave(date(2023, 3, 1))
    assert membership.left_reason is None
    with pytest.raises(IllegalTransition):
        membership.leave(date(2023, 4, 1))


def test_removing_an_enterprise_that_is_not_in_the_pool_is_not_found() -> None:
    with pytest.raises(NotFound):
        remove_member([], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 3, 1))


def test_who_entered_is_required() -> None:
    with pytest.raises(InvalidValue) as caught:
        add_member([], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 3, 1), by=" ")
    assert caught.value.field == "entered_by"


def test_members_on_a_date() -> None:
    stay = add_member([], pool="hnte_reserve", enterprise_id="e1", on=date(2023, 3, 1), by="o")
    stay.leave(date(2023, 9, 1))
    other = add_member([], pool="hnte_reserve", enterprise_id="e2", on=date(2023, 6, 1), by="o")
    everyone = [stay, other]
    assert members_on(everyone, "hnte_reserve", date(2023, 2, 28)) == []
    assert members_on(everyone, "hnte_reserve", date(2023, 6, 1)) == ["e1", "e2"]
    assert members_on(everyone, "hnte_reserve", date(2023, 9, 1)) == ["e2"]
