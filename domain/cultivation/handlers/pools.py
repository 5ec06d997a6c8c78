"""Pools (培育库): who is in each, entering and leaving with dates, reasons and who did it."""

from __future__ import annotations

from datetime import date

from domain.cultivation.pools import PoolMembership, add_member, pool_kind, remove_member
from domain.cultivation.ports import CultivationUnitOfWork
from domain.shared.errors import InvalidValue


async def members_page(
    pool: str, *, uow: CultivationUnitOfWork, after: str | None, limit: int
) -> list[PoolMembership]:
    """limit + 1 current members of the pool in order of entry; an unknown pool is a 404."""
    return await uow.pool_memberships.open_page(pool_kind(pool), after=after, limit=limit)


async def enter_pool(
    pool: str, enterprise_id: str, reason: str | None, *, uow: CultivationUnitOfWork, by: str, today: date
) -> PoolMembership:
    """入库 today (`pool.member_added`); already in the pool is a 409, an unknown enterprise a 422."""
    kind = pool_kind(pool)
    if await uow.enterprises.get(enterprise_id) is None:
        raise InvalidValue(
            f"no enterprise {enterprise_id}", f"企业 {enterprise_id} 不存在", field="enterprise_id"
        )
    memberships = await uow.pool_memberships.of_enterprise(enterprise_id)
    membership = add_member(
        memberships, pool=kind, enterprise_id=enterprise_id, on=today, by=by, reason=reason
    )
    uow.pool_memberships.add(membership)
    await uow.commit()
    return membership


async def leave_pool(
    pool: str, enterprise_id: str, reason: str | None, *, uow: CultivationUnitOfWork, today: date
) -> PoolMembership:
    """出库 today (`pool.member_removed`); an enterprise not in the pool is a 404."""
    kind = pool_kind(pool)
    memberships = await uow.pool_memberships.of_enterprise(enterprise_id)
    membership = remove_member(memberships, pool=kind, enterprise_id=enterprise_id, on=today, reason=reason)
    await uow.commit()
    return membership
