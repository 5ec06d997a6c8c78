"""研发奖励 (plan 六(一)2): up to 10 % of R&D expense at tier tech_sme or above with intensity > 5 %."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.cultivation.certifications import Certification
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.tiers import RANKS, Tier, tier_on
from domain.shared.errors import InvalidValue

MIN_INTENSITY = Decimal("0.05")  # strictly above
REWARD_SHARE = Decimal("0.1")  # exact: 800 → 80.0


@dataclass(frozen=True, slots=True)
class RdReward:
    """研发奖励上限 for year Y: `intensity` = R&D / revenue (exact Decimal, None without revenue or R&D);
    `ceiling` in 万元 (exact Decimal; 0 when not entitled; None when the tier qualifies but data is missing).
    """

    year: int
    tier: Tier
    intensity: Decimal | None
    ceiling: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        """The API's body: intensity as a number (a float, unrounded), ceiling as a decimal string."""
        return {
            "year": self.year,
            "intensity": None if self.intensity is None else float(self.intensity),
            "ceiling": None if self.ceiling is None else str(self.ceiling),
        }


def rd_reward(certifications: Iterable[Certification], metrics: AnnualMetrics | None, year: int) -> RdReward:
    """The reward ceiling of year Y: tier on 31 Dec Y ≥ tech_sme and R&D / revenue > 5 % → 10 % of R&D."""
    if metrics is not None and metrics.year != year:
        raise InvalidValue(f"the metrics are of {metrics.year}, not {year}", "经营数据年份不符", field="year")
    tier = tier_on(certifications, date(year, 12, 31))
    rd = None if metrics is None else metrics.rd_expense
    revenue = None if metrics is None else metrics.revenue
    intensity = rd / revenue if rd is not None and revenue else None
    if RANKS[tier] < RANKS[Tier.TECH_SME]:
        ceiling: Decimal | None = Decimal(0)
    elif intensity is None:
        ceiling = None
    else:
        ceiling = rd * REWARD_SHARE if rd > MIN_INTENSITY * revenue else Decimal(0)
    return RdReward(year, tier, intensity, ceiling)
