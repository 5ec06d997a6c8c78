"""高新技术企业 (国科发火〔2016〕32号, guidance 195号): seven conditions, all required."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.cultivation.certifications import Certification
from domain.cultivation.eligibility.base import Check, RuleSetBase, check
from domain.cultivation.eligibility.checks import above, existing_years, need, quotient, ratio_at_least
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics

# The three-year R&D intensity a year-Y revenue asks for: (revenue up to and including, minimum intensity).
RD_BANDS = ((Decimal(5000), Decimal("0.05")), (Decimal(20000), Decimal("0.04")), (None, Decimal("0.03")))


@dataclass(frozen=True, slots=True)
class HnteRuleSet(RuleSetBase):
    """高新技术企业认定: 365 days, IP, staff 10 %, R&D by revenue band, 60 %, 60 %, score > 70."""

    name: str = "hnte"
    version: int = 1
    effective_from: date = date(2016, 1, 29)
    min_registered_days: int = 365
    min_ip: int = 1
    min_tech_staff_share: Decimal = Decimal("0.10")
    rd_bands: tuple[tuple[Decimal | None, Decimal], ...] = RD_BANDS
    min_domestic_rd_share: Decimal = Decimal("0.60")
    min_high_tech_share: Decimal = Decimal("0.60")
    innovation_score_above: Decimal = Decimal(70)

    def rd_band(self, revenue: Decimal) -> Decimal:
        """The three-year R&D intensity year Y's revenue asks for (≤ 5,000: 5 %; ≤ 20,000: 4 %; else 3 %)."""
        for ceiling, minimum in self.rd_bands:
            if ceiling is None or revenue <= ceiling:
                return minimum
        raise AssertionError("the last band has no ceiling")

    def checks(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> Iterator[Check]:
        """The seven conditions in 32号's order; the R&D ratios cover Y−2..Y (fewer years when registered
        later)."""
        record = metrics_by_year.get(year)
        yield self._registered(enterprise, year)
        yield self._ip(record, year)
        yield ratio_at_least(
            "tech_staff_share_min",
            *quotient(metrics_by_year, (year,), "tech_staff", "employees"),
            self.min_tech_staff_share,
        )
        years = existing_years(enterprise, year - 2, year)
        revenue = None if record is None else record.revenue
        yield ratio_at_least(
            "rd_intensity_3y",
            *quotient(metrics_by_year, years, "rd_expense", "revenue", (year,)),
            None if revenue is None else self.rd_band(revenue),
        )
        yield ratio_at_least(
            "rd_domestic_share_3y",
            *quotient(metrics_by_year, years, "rd_expense_domestic", "rd_expense", (year,)),
            self.min_domestic_rd_share,
        )
        yield ratio_at_least(
            "high_tech_revenue_share_min",
            *quotient(metrics_by_year, (year,), "high_tech_revenue", "revenue"),
            self.min_high_tech_share,
        )
        yield above(
            "innovation_score_above",
            None if record is None else record.innovation_score,
            self.innovation_score_above,
            "innovation_score",
            year,
        )

    def _registered(self, enterprise: Enterprise, year: int) -> Check:
        # Days from registration to 31 December of Y; a leap year has 366 of them.
        if enterprise.registered_on is None:
            return check("registered_days_min", None, self.min_registered_days, None, ("registered_on",))
        days = (date(year, 12, 31) - enterprise.registered_on).days
        return check("registered_days_min", days, self.min_registered_days, days >= self.min_registered_days)

    def _ip(self, record: AnnualMetrics | None, year: int) -> Check:
        # Class Ⅰ and Ⅱ together; one known count that already reaches the minimum settles it.
        class1 = None if record is None else record.class1_ip
        class2 = None if record is None else record.class2_ip
        held = (class1 or 0) + (class2 or 0)
        if held >= self.min_ip:
            return check("ip_count_min", held, self.min_ip, True)
        if class1 is None or class2 is None:
            lacking = tuple(
                need(n, year) for n, v in (("class1_ip", class1), ("class2_ip", class2)) if v is None
            )
            return check("ip_count_min", None, self.min_ip, None, lacking)
        return check("ip_count_min", held, self.min_ip, False)
