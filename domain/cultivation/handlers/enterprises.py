"""Enterprises (企业名录): register, change, read and list them, each with its tier for today.

The tier is the one stored for today where there is one (the unit of work writes it with every change of
the certifications, the daily sweep refreshes it), else derived from the certifications: the same answer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.cultivation.designations import designations_on, kinds_behind
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.handlers.common import get_enterprise
from domain.cultivation.ports import CultivationUnitOfWork
from domain.cultivation.tiers import Tier, tier_on
from domain.shared.errors import Duplicate, InvalidValue, NotFound
from domain.shared.uow import Expectation, no_expectation

# Enterprises read a batch at a time while a tier or designation filter (decided in the domain) skips some.
SCAN_BATCH = 500


@dataclass(frozen=True)
class EnterpriseView:
    """An enterprise with its tier on the day it is shown (梯度: derived, or stored for that day)."""

    enterprise: Enterprise
    tier: Tier


async def enterprise_view(enterprise_id: str, *, uow: CultivationUnitOfWork, today: date) -> EnterpriseView:
    """Read one enterprise with its tier for today (one read: the enterprise and its certifications)."""
    found = await uow.enterprises.with_certifications(enterprise_id)
    if found is None:
        raise NotFound(f"no enterprise {enterprise_id}", f"企业 {enterprise_id} 不存在")
    enterprise, certifications = found
    # One statement: the tier is derived from the certifications read with it (cheaper than a second
    # round trip for the stored tier, which the lists use: `tiers_today`).
    return EnterpriseView(enterprise, tier_on(certifications, today))


async def tiers_today(ids: Collection[str], *, uow: CultivationUnitOfWork, today: date) -> dict[str, Tier]:
    """The tier of each enterprise today: stored for today, or derived from its certifications."""
    tiers = await uow.stored_tiers.stored(ids, today)
    missing = [i for i in ids if i not in tiers]
    if missing:
        certifications = await uow.certifications.of_enterprises(missing)
        tiers |= {i: tier_on(certifications.get(i, ()), today) for i in missing}
    return tiers


async def register_enterprise(data: dict[str, Any], *, uow: CultivationUnitOfWork) -> EnterpriseView:
    """Register an enterprise (`enterprise.registered`); a credit code already registered is a 409."""
    details = {k: v for k, v in data.items() if k != "name"}
    enterprise = Enterprise.register(data.get("name"), **details)
    await _check(enterprise, uow=uow)
    uow.enterprises.add(enterprise)
    await uow.commit()
    return EnterpriseView(enterprise, Tier.NONE)  # no certification yet


async def change_enterprise(
    enterprise_id: str,
    changes: dict[str, Any],
    *,
    uow: CultivationUnitOfWork,
    today: date,
    expect: Expectation = no_expectation,
) -> EnterpriseView:
    """PATCH: the enterprise as the caller saw it (`expect`, with today's tier) changed in some fields."""
    enterprise = await get_enterprise(enterprise_id, uow=uow)  # the entity the unit of work writes back
    view = EnterpriseView(enterprise, tier_on(await uow.certifications.of_enterprise(enterprise.id), today))
    expect(view)
    await _change(view.enterprise, changes, uow=uow)
    return view  # the tier stays: it comes from certifications, which a change of the enterprise leaves


async def update_enterprise(
    enterprise: Enterprise, changes: dict[str, Any], *, uow: CultivationUnitOfWork, today: date
) -> EnterpriseView:
    """Change some fields of an enterprise already loaded (a ledger row) at once; never the tier (derived)."""
    await _change(enterprise, changes, uow=uow)
    return EnterpriseView(enterprise, tier_on(await uow.certifications.of_enterprise(enterprise.id), today))


async def _change(enterprise: Enterprise, changes: dict[str, Any], *, uow: CultivationUnitOfWork) -> None:
    enterprise.update(**changes)
    await _check(enterprise, uow=uow)
    await uow.commit()


async def list_enterprises(
    filters: dict[str, Any], *, uow: CultivationUnitOfWork, today: date, after: str | None, limit: int
) -> list[EnterpriseView]:
    """limit + 1 enterprises in id order after `after`, filtered; `tier` and `designation` hold today.

    The database narrows by the stored filters (and, for tier/designation, to holders of a certification
    of the kinds behind it); the domain decides validity on the day, so the rule lives in one place.
    """
    stored = {k: v for k, v in filters.items() if k not in ("tier", "designation") and v is not None}
    tier, designation = filters.get("tier"), filters.get("designation")
    # Necessary conditions the database can test: a certification of the tier's kind, one of the kinds
    # behind the designation (each group on its own: an hnte may also be a gazelle), listed at all.
    groups = [{str(tier)}] if tier is not None and tier != Tier.NONE else []
    if designation is not None and kinds_behind(designation):
        groups.append({str(k) for k in kinds_behind(designation)})
    narrowing = {"holding": groups, "listed_only": designation == "listed"}
    if tier is None and designation is None:
        rows = await uow.enterprises.search(stored, after=after, limit=limit + 1)
        tiers = await tiers_today([e.id for e in rows], uow=uow, today=today)
        return [EnterpriseView(e, tiers[e.id]) for e in rows]
    found: list[EnterpriseView] = []
    while len(found) <= limit:
        batch = await uow.enterprises.search(stored, after=after, limit=SCAN_BATCH, **narrowing)
        ids = [e.id for e in batch]
        if designation is None:  # the tier alone: as stored for today where it is
            certs, tiers = {}, await tiers_today(ids, uow=uow, today=today)
        else:
            certs = await uow.certifications.of_enterprises(ids)
            tiers = {i: tier_on(certs.get(i, ()), today) for i in ids}
        for enterprise in batch:
            view = EnterpriseView(enterprise, tiers[enterprise.id])
            if (tier is None or view.tier == tier) and (
                designation is None
                or designation in designations_on(enterprise, certs.get(enterprise.id, ()), today, today)
            ):
                found.append(view)
        if len(batch) < SCAN_BATCH:
            break
        after = batch[-1].id
    return found[: limit + 1]


async def _check(enterprise: Enterprise, *, uow: CultivationUnitOfWork) -> None:
    if enterprise.credit_code is not None:
        other = await uow.enterprises.by_credit_code(enterprise.credit_code)
        if other is not None and other.id != enterprise.id:
            raise Duplicate(
                f"credit code {enterprise.credit_code} is already registered (enterprise {other.id})",
                f"统一社会信用代码 {enterprise.credit_code} 已登记(企业 {other.id})",
                field="credit_code",
            )
    if enterprise.officer_id is not None and await uow.users.get(enterprise.officer_id) is None:
        raise InvalidValue(
            f"no user {enterprise.officer_id}", f"用户 {enterprise.officer_id} 不存在", field="officer_id"
        )
