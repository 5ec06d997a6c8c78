"""What the cultivation handlers share: finding an enterprise, and the rule set version of a year."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from domain.cultivation.eligibility import REGISTRY, rule_set_for
from domain.cultivation.eligibility.base import RuleSet
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.events import enterprise_tier_changed
from domain.cultivation.ports import CultivationUnitOfWork
from domain.cultivation.tiers import Tier, TierChange
from domain.shared.errors import InvalidValue, NotFound
from domain.shared.events import DomainEvent


async def get_enterprise(enterprise_id: str, *, uow: CultivationUnitOfWork) -> Enterprise:
    """The enterprise, or NotFound (404)."""
    enterprise = await uow.enterprises.get(enterprise_id)
    if enterprise is None:
        raise NotFound(f"no enterprise {enterprise_id}", f"企业 {enterprise_id} 不存在")
    return enterprise


def configured(rule_set: RuleSet, cny_per_usd: Decimal | None) -> RuleSet:
    """The rule set with the service's CNY/USD rate (GAOXIN_CNY_PER_USD) where it converts one."""
    if cny_per_usd is None or getattr(rule_set, "cny_per_usd", cny_per_usd) == cny_per_usd:
        return rule_set
    return dataclasses.replace(rule_set, cny_per_usd=cny_per_usd)  # type: ignore[type-var]


def rules_for(name: str, year: int, cny_per_usd: Decimal | None = None) -> RuleSet:
    """The version that applies to year Y; an unknown rule set or a year before every version is a 422
    (both arrive in a request body, not in the path)."""
    try:
        return configured(rule_set_for(name, year), cny_per_usd)
    except NotFound as missing:
        field = "rule_set" if name not in REGISTRY.names() else "year"
        raise InvalidValue(missing.en, missing.zh, field=field) from None


def tier_changed(enterprise_id: str, before: Tier, after: Tier, on: date, cause: str) -> DomainEvent | None:
    """`enterprise.tier_changed` when a write moved today's tier; None when the tier stayed."""
    if before is after:
        return None
    return enterprise_tier_changed(enterprise_id, TierChange(on, before, after, cause))
