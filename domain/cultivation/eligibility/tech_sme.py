"""科技型中小企业 (国科发政〔2017〕115号): basic conditions, then the hnte route or a 60-point evaluation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.eligibility.base import (
    Check,
    Criterion,
    RuleResult,
    RuleSetBase,
    all_of,
    any_of,
    check,
)
from domain.cultivation.eligibility.checks import at_most, holds_valid, need
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics

# (minimum ratio, points), best band first; every band is "≥".
STAFF_BANDS = tuple(
    (Decimal(p), n) for p, n in (("0.30", 20), ("0.25", 16), ("0.20", 12), ("0.15", 8), ("0.10", 4))
)
RD_REVENUE_BANDS = tuple(
    (Decimal(p), n) for p, n in (("0.06", 50), ("0.05", 40), ("0.04", 30), ("0.03", 20), ("0.02", 10))
)
RD_COST_BANDS = tuple(
    (Decimal(p), n) for p, n in (("0.30", 50), ("0.25", 40), ("0.20", 30), ("0.15", 20), ("0.10", 10))
)
CLASS2_POINTS = (0, 6, 12, 18, 24)  # by class-Ⅱ count 0, 1, 2, 3, ≥4
STAFF_MAX, RD_MAX, RESULTS_MAX, CLASS1_POINTS = 20, 50, 30, 30

# A part's points as an interval (low, high, what would settle it): exact when low == high.
Points = tuple[int, int, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class TechSmeRuleSet(RuleSetBase):
    """科技型中小企业评价: employee/revenue/asset caps, then a valid hnte or score ≥ 60 with tech staff > 0.

    Missing figures make a part's points an interval: the score passes when even the low end reaches 60,
    fails when even the high end stays below, and is null in between.
    """

    name: str = "tech_sme"
    version: int = 1
    effective_from: date = date(2017, 5, 3)
    max_employees: int = 500
    max_revenue: Decimal = Decimal(20000)
    max_total_assets: Decimal = Decimal(20000)
    min_score: int = 60

    def checks(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> Iterator[Check]:
        """employees_max, revenue_max, total_assets_max, qualification_route."""
        record = metrics_by_year.get(year)
        for name, figure_name, limit in (
            ("employees_max", "employees", self.max_employees),
            ("revenue_max", "revenue", self.max_revenue),
            ("total_assets_max", "total_assets", self.max_total_assets),
        ):
            yield at_most(
                name, None if record is None else getattr(record, figure_name), limit, figure_name, year
            )
        yield self._route(certifications, year, score_parts(metrics_by_year, year))

    def conclude(
        self,
        criteria: list[Criterion],
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> RuleResult:
        """The result, with the score (null while a part is unknown) and its three parts."""
        parts = score_parts(metrics_by_year, year)
        exact = {key: (p[0] if p[0] == p[1] else None) for key, p in parts.items()}
        score = None if None in exact.values() else sum(p[0] for p in parts.values())
        return RuleResult.of(self, criteria, score=score, score_parts=exact)

    def _route(self, certifications: Sequence[Certification], year: int, parts: dict[str, Points]) -> Check:
        staff, rd, results = parts["tech_staff"], parts["rd"], parts["results"]
        low, high = staff[0] + rd[0] + results[0], staff[1] + rd[1] + results[1]
        passed = True if low >= self.min_score else (False if high < self.min_score else None)
        settle = tuple(dict.fromkeys(staff[2] + rd[2] + results[2])) if passed is None else ()
        known = staff[0] == staff[1]
        return any_of(
            "qualification_route",
            [
                holds_valid("hnte_valid", certifications, CertificationKind.HNTE, year),
                all_of(
                    "score_route",
                    [
                        check(
                            "score_min",
                            low if low == high else f"{low}-{high}",
                            self.min_score,
                            passed,
                            settle,
                        ),
                        check(
                            "tech_staff_score_positive",
                            staff[0] if known else None,
                            0,
                            staff[0] > 0 if known else None,
                            staff[2],
                        ),
                    ],
                ),
            ],
        )


def score_parts(metrics_by_year: Mapping[int, AnnualMetrics], year: int) -> dict[str, Points]:
    """The three parts of the 115号 score as (low, high, needs): tech_staff (20), rd (50), results (30)."""
    record = metrics_by_year.get(year)
    return {
        "tech_staff": _band_points(record, year, "tech_staff", "employees", STAFF_BANDS, STAFF_MAX),
        "rd": _rd_points(record, year),
        "results": _results_points(record, year),
    }


def _band(
    numerator: Decimal | int, denominator: Decimal | int, bands: tuple[tuple[Decimal, int], ...]
) -> int:
    for minimum, points in bands:
        if numerator >= minimum * denominator:
            return points
    return 0


def _band_points(
    record: AnnualMetrics | None,
    year: int,
    numerator: str,
    denominator: str,
    bands: tuple[tuple[Decimal, int], ...],
    most: int,
) -> Points:
    top = None if record is None else getattr(record, numerator)
    bottom = None if record is None else getattr(record, denominator)
    if top is None or not bottom:  # missing, or a zero denominator: the part is unknown
        lacking = (need(numerator, year),) if top is None else ()
        if not bottom:
            lacking += (need(denominator, year),)
        return 0, most, lacking
    points = _band(top, bottom, bands)
    return points, points, ()


def _rd_points(record: AnnualMetrics | None, year: int) -> Points:
    # The better of R&D / revenue and R&D / total costs: one known ratio at the maximum settles it.
    by_revenue = _band_points(record, year, "rd_expense", "revenue", RD_REVENUE_BANDS, RD_MAX)
    by_cost = _band_points(record, year, "rd_expense", "total_cost", RD_COST_BANDS, RD_MAX)
    low = max(by_revenue[0], by_cost[0])
    high = max(by_revenue[1], by_cost[1]) if low < RD_MAX else RD_MAX
    if low == high:
        return low, high, ()
    return low, high, tuple(dict.fromkeys(by_revenue[2] + by_cost[2]))


def _results_points(record: AnnualMetrics | None, year: int) -> Points:
    class1 = None if record is None else record.class1_ip
    class2 = None if record is None else record.class2_ip
    if class1 is not None and class1 >= 1:
        return CLASS1_POINTS, CLASS1_POINTS, ()
    by_class2 = None if class2 is None else CLASS2_POINTS[min(class2, 4)]
    if class1 == 0:
        if by_class2 is None:
            return 0, CLASS2_POINTS[-1], (need("class2_ip", year),)
        return by_class2, by_class2, ()
    lacking = (need("class1_ip", year),) + (() if class2 is not None else (need("class2_ip", year),))
    return by_class2 or 0, RESULTS_MAX, lacking
