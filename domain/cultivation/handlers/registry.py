"""The whole registry at once: screening a rule set over it, and the tier pyramid on a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.cultivation.handlers.common import rules_for
from domain.cultivation.intervals import holder_counts, listed_count
from domain.cultivation.ports import CultivationUnitOfWork
from domain.cultivation.scopes import scope_of
from domain.cultivation.screening import Candidate, screen
from domain.cultivation.sensitive import ELIGIBILITY_READ, RecordReads, SensitiveRead, conceal_result
from domain.cultivation.stats import LIVE_INDICATORS, REGISTRY_BATCH
from domain.identity.policy import Principal

TARGET_YEAR = 2025  # the plan's targets (Table 1) are for its last year


async def run_screening(
    rule_set: str,
    year: int,
    *,
    uow: CultivationUnitOfWork,
    principal: Principal,
    record_reads: RecordReads,
    cny_per_usd: Decimal | None = None,
    batch: int = REGISTRY_BATCH,
) -> dict[str, Any]:
    """筛选: the active enterprises the rule set finds eligible for Y that do not hold the designation.

    Per `batch` enterprises in id order, three bulk reads (enterprises, their certifications, the
    metrics the version reads) and the domain's `screen`; each candidate shown with figures is an
    audited read of that enterprise.
    """
    rules = rules_for(rule_set, year, cny_per_usd)
    first, last = scope_of(rules).years(year)
    candidates: list[Candidate] = []
    async for enterprises, certifications in uow.registry.in_batches(batch):
        within = (enterprises[0].id, enterprises[-1].id)
        metrics = await uow.registry.metrics(first, last, scope_of(rules).figures, within=within)
        candidates += screen(rules.name, year, enterprises, certifications, metrics, rule_set=rules)
    shown = [c.as_dict() for c in candidates]
    if not principal.reads_sensitive:
        shown = [{**c, "result": conceal_result(c["result"])} for c in shown]
    elif candidates:
        details = {"view": "screening", "rule_set": rules.name, "version": rules.version, "year": year}
        await record_reads([SensitiveRead(c.enterprise_id, ELIGIBILITY_READ, details) for c in candidates])
    return {"rule_set": rules.name, "version": rules.version, "year": year, "candidates": shown}


async def tier_statistics(on: date, *, today: date, uow: CultivationUnitOfWork) -> dict[str, Any]:
    """{"date", "by_tier", "by_designation", "targets"}: active enterprises on that date, and the plan's
    2025 targets of indicators 8–11 keyed like `by_designation` (null where the plan is not loaded).
    `listed` counts those known listed that day (a listed enterprise without a listing date: from today).
    Read from the stored validity intervals covering that day, by index, not from the whole registry."""
    tiers = uow.stored_tiers
    listed = listed_count(await tiers.listings(), on, today)
    by_tier, by_designation = holder_counts(
        await tiers.active_count(), await tiers.holding_sets_on(on), listed
    )
    targets = await uow.registry.indicator_targets(sorted(LIVE_INDICATORS), TARGET_YEAR)
    return {
        "date": on.isoformat(),
        "by_tier": by_tier,
        "by_designation": by_designation,
        "targets": {
            key: None if targets.get(code) is None else format(targets[code], "f")
            for code, key in LIVE_INDICATORS.items()
        },
    }
