"""What an officer reads of one enterprise: its tier history, its eligibility and its R&D reward."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.cultivation.eligibility import results_for
from domain.cultivation.handlers._common import configured, get_enterprise
from domain.cultivation.ports import CultivationUnitOfWork
from domain.cultivation.rd_reward import rd_reward
from domain.cultivation.sensitive import (
    ELIGIBILITY_READ,
    RD_REWARD_READ,
    RecordReads,
    SensitiveRead,
    conceal_result,
    conceal_reward,
)
from domain.cultivation.tiers import tier_history
from domain.identity.policy import Principal
from domain.shared.errors import InvalidValue

FIRST_YEAR, LAST_YEAR = 1990, 2100


async def tier_history_of(enterprise_id: str, *, uow: CultivationUnitOfWork) -> list[dict[str, str]]:
    """Every tier change its certifications' issues, expiries and revocations made, oldest first."""
    enterprise = await get_enterprise(enterprise_id, uow=uow)
    return [
        change.as_dict() for change in tier_history(await uow.certifications.of_enterprise(enterprise.id))
    ]


async def eligibility(
    enterprise_id: str,
    year: int,
    *,
    uow: CultivationUnitOfWork,
    principal: Principal,
    record_reads: RecordReads,
    cny_per_usd: Decimal | None = None,
) -> dict[str, Any]:
    """{"year", "results"}: every rule set, explained for Y where in force (`in_force: false` where its source
    took effect later); actuals null without read_sensitive."""
    _check_year(year)
    enterprise = await get_enterprise(enterprise_id, uow=uow)
    certifications = await uow.certifications.of_enterprise(enterprise.id)
    metrics = {m.year: m for m in await uow.annual_metrics.of_enterprise(enterprise.id)}
    results = results_for(
        enterprise, certifications, metrics, year, configure=lambda rules: configured(rules, cny_per_usd)
    )
    if not principal.reads_sensitive:
        return {"year": year, "results": [conceal_result(r) for r in results]}
    await record_reads(
        [SensitiveRead(enterprise.id, ELIGIBILITY_READ, {"view": "eligibility", "year": year})]
    )
    return {"year": year, "results": results}


async def rd_reward_of(
    enterprise_id: str,
    year: int,
    *,
    uow: CultivationUnitOfWork,
    principal: Principal,
    record_reads: RecordReads,
) -> dict[str, Any]:
    """{"year", "intensity", "ceiling"} of the R&D reward rule; null figures without read_sensitive."""
    _check_year(year)
    enterprise = await get_enterprise(enterprise_id, uow=uow)
    certifications = await uow.certifications.of_enterprise(enterprise.id)
    record = await uow.annual_metrics.one(enterprise.id, year)
    body = rd_reward(certifications, record, year).as_dict()
    if not principal.reads_sensitive:
        return conceal_reward(body)
    await record_reads([SensitiveRead(enterprise.id, RD_REWARD_READ, {"view": "rd_reward", "year": year})])
    return body


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidValue("year must be between 1990 and 2100", "年份须在1990到2100之间", field="year")
