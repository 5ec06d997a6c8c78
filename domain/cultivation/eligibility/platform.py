"""平台化大企业 (the zone's own designation): advisory criteria shown to the officer, who designates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.eligibility.base import Check, RuleSetBase
from domain.cultivation.eligibility.checks import at_least, figure, flag, holds_valid
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics


@dataclass(frozen=True, slots=True)
class PlatformRuleSet(RuleSetBase):
    """平台化大企业 (advisory): revenue ≥ 100,000 (十亿级), a valid hnte, runs a platform (expert input)."""

    name: str = "platform"
    version: int = 1
    effective_from: date = date(2021, 1, 1)
    min_revenue: Decimal = Decimal(100000)

    def checks(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> Iterator[Check]:
        """revenue_min, hnte_valid, runs_platform."""
        yield from [
            at_least(
                "revenue_min",
                figure(metrics_by_year, year, "revenue"),
                self.min_revenue,
                "revenue",
                year,
            ),
            holds_valid("hnte_valid", certifications, CertificationKind.HNTE, year),
            flag("runs_platform", figure(metrics_by_year, year, "runs_platform"), "runs_platform", year),
        ]
