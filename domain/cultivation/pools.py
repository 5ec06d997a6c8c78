"""培育库: the five cultivation pools and who is in them, entered and left with dates and reasons."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.cultivation import events
from domain.shared.errors import Duplicate, IllegalTransition, InvalidValue, NotFound
from domain.shared.events import RecordsEvents
from domain.shared.ids import new_id


class PoolKind(StrEnum):
    """培育库: one of the plan's five pools."""

    TECH_SME_RESERVE = "tech_sme_reserve"
    HNTE_RESERVE = "hnte_reserve"
    HIGH_GROWTH_RESERVE = "high_growth_reserve"
    LISTING_RESERVE = "listing_reserve"
    GOING_GLOBAL = "going_global"

    @property
    def zh(self) -> str:
        """The pool's Chinese name."""
        return POOL_NAMES_ZH[self]


POOL_NAMES_ZH = {
    PoolKind.TECH_SME_RESERVE: "科技型中小企业培育库",
    PoolKind.HNTE_RESERVE: "高新技术企业培育库",
    PoolKind.HIGH_GROWTH_RESERVE: "高成长企业培育库",
    PoolKind.LISTING_RESERVE: "上市企业后备资源库",
    PoolKind.GOING_GLOBAL: "“走出去”企业培育库",
}


def pool_kind(slug: str) -> PoolKind:
    """The pool a path names; an unknown pool is NotFound (404)."""
    try:
        return PoolKind(slug)
    except ValueError:
        raise NotFound(f"unknown pool {slug!r}", f"未知培育库 {slug!r}") from None


@dataclass(eq=False, kw_only=True)
class PoolMembership(RecordsEvents):
    """入库记录: an enterprise in a pool from `entered_on` until `left_on` (open while None)."""

    pool: PoolKind
    enterprise_id: str
    entered_on: date
    entered_by: str
    reason: str | None = None
    left_on: date | None = None
    left_reason: str | None = None
    id: str = field(default_factory=new_id)

    @property
    def is_open(self) -> bool:
        """Still in the pool."""
        return self.left_on is None

    def leave(self, on: date, reason: str | None = None) -> None:
        """出库: leave the pool on `on` (not before entering); leaving twice is refused (409)."""
        if not self.is_open:
            raise IllegalTransition("the enterprise has already left this pool", "该企业已出库")
        if on < self.entered_on:
            raise InvalidValue("left_on is before entered_on", "出库日期早于入库日期", field="left_on")
        self.left_on, self.left_reason = on, (reason or "").strip() or None
        self.record_event(events.pool_member_removed(self))


def add_member(
    memberships: Iterable[PoolMembership],
    *,
    pool: PoolKind | str,
    enterprise_id: str,
    on: date,
    by: str,
    reason: str | None = None,
) -> PoolMembership:
    """入库: put an enterprise in a pool; Duplicate (409) while it is in it or if `on` overlaps a past stay.

    `memberships` are the enterprise's existing memberships (of any pool); records `pool.member_added`.
    """
    kind = pool_kind(pool)
    if not isinstance(by, str) or not by.strip():
        raise InvalidValue("entered_by is required", "须记录入库操作人", field="entered_by")
    for existing in memberships:
        if existing.pool != kind or existing.enterprise_id != enterprise_id:
            continue
        if existing.is_open or on < existing.left_on:
            raise Duplicate("the enterprise is already in this pool", "该企业已在此培育库中")
    membership = PoolMembership(
        pool=kind,
        enterprise_id=enterprise_id,
        entered_on=on,
        entered_by=by.strip(),
        reason=(reason or "").strip() or None,
    )
    membership.record_event(events.pool_member_added(membership))
    return membership


def remove_member(
    memberships: Iterable[PoolMembership],
    *,
    pool: PoolKind | str,
    enterprise_id: str,
    on: date,
    reason: str | None = None,
) -> PoolMembership:
    """出库: end the open membership of that enterprise in that pool; NotFound (404) when it is not in it."""
    kind = pool_kind(pool)
    for existing in memberships:
        if existing.pool == kind and existing.enterprise_id == enterprise_id and existing.is_open:
            existing.leave(on, reason)
            return existing
    raise NotFound("the enterprise is not in this pool", "该企业不在此培育库中")


def members_on(memberships: Iterable[PoolMembership], pool: PoolKind | str, on: date) -> list[str]:
    """The enterprise ids in a pool on a date (entered_on ≤ date < left_on)."""
    kind = pool_kind(pool)
    return [
        m.enterprise_id
        for m in memberships
        if m.pool == kind and m.entered_on <= on and (m.left_on is None or on < m.left_on)
    ]
