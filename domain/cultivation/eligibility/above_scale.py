"""规模以上工业企业: main-business revenue of at least 2,000 万元 in the year."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.cultivation.certifications import Certification
from domain.cultivation.eligibility.base import Check, RuleSetBase
from domain.cultivation.eligibility.checks import at_least, figure
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics


@dataclass(frozen=True, slots=True)
class AboveScaleRuleSet(RuleSetBase):
    """规上企业: main-business revenue in Y ≥ 2,000 (the statistics bureau's line since 2011)."""

    name: str = "above_scale"
    version: int = 1
    effective_from: date = date(2011, 1, 1)
    min_main_business_revenue: Decimal = Decimal(2000)

    def checks(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> Iterator[Check]:
        """main_business_revenue_min."""
        yield from [
            at_least(
                "main_business_revenue_min",
                figure(metrics_by_year, year, "main_business_revenue"),
                self.min_main_business_revenue,
                "main_business_revenue",
                year,
            )
        ]
