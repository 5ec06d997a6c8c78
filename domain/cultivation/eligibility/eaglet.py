"""雏鹰企业 (辽科创办发〔2021〕2号): young, and any one of IP, a valid hnte or an award."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.eligibility.base import Check, RuleSetBase, any_of
from domain.cultivation.eligibility.checks import at_least, figure, flag, holds_valid, registered_within
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics


@dataclass(frozen=True, slots=True)
class EagletRuleSet(RuleSetBase):
    """雏鹰企业: registered ≤ 10 years; ≥ 1 class-Ⅰ IP, ≥ 2 class-Ⅱ IP, a valid hnte or an award (expert)."""

    name: str = "eaglet"
    version: int = 1
    effective_from: date = date(2021, 1, 1)
    max_registered_years: int = 10
    min_class1_ip: int = 1
    min_class2_ip: int = 2

    def checks(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> Iterator[Check]:
        """registered_within_10y, innovation_any."""
        yield registered_within(
            f"registered_within_{self.max_registered_years}y", enterprise, year, self.max_registered_years
        )
        yield any_of(
            "innovation_any",
            [
                at_least(
                    "class1_ip_min",
                    figure(metrics_by_year, year, "class1_ip"),
                    self.min_class1_ip,
                    "class1_ip",
                    year,
                ),
                at_least(
                    "class2_ip_min",
                    figure(metrics_by_year, year, "class2_ip"),
                    self.min_class2_ip,
                    "class2_ip",
                    year,
                ),
                holds_valid("hnte_valid", certifications, CertificationKind.HNTE, year),
                flag("award", figure(metrics_by_year, year, "award"), "award", year),
            ],
        )
