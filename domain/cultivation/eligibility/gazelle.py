"""瞪羚企业 (辽科创办发〔2021〕2号): R&D ≥ 2.5 % over four years and fast growth or financing."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from domain.cultivation.certifications import Certification
from domain.cultivation.eligibility.base import Check, Criterion, RuleSetBase, all_of, any_of, verdict
from domain.cultivation.eligibility.checks import (
    at_least,
    compared,
    existing_years,
    need,
    quotient,
    ratio_at_least,
    registered_within,
    shown,
)
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics

_STEP = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class GazelleRuleSet(RuleSetBase):
    """瞪羚企业: registered ≤ 20 years; R&D / revenue over Y−3..Y ≥ 2.5 %; and any one of revenue growth
    (CAGR ≥ 20 %, rev_{Y−3} > 1,000, rev_Y > rev_{Y−1}), employee growth (CAGR ≥ 30 %, emp_{Y−3} > 100,
    emp_Y > emp_{Y−1}) or equity financing in Y ≥ 1,000.

    A three-year CAGR of r is tested exactly as value_Y ≥ (1 + r)³ × value_{Y−3} (1.728, 2.197).
    Years before the registration year count as zero: the enterprise did not exist then.
    """

    name: str = "gazelle"
    version: int = 1
    effective_from: date = date(2021, 1, 1)
    max_registered_years: int = 20
    min_rd_intensity: Decimal = Decimal("0.025")
    min_revenue_cagr: Decimal = Decimal("0.20")
    min_base_revenue: Decimal = Decimal(1000)
    min_employee_cagr: Decimal = Decimal("0.30")
    min_base_employees: int = 100
    min_equity_financing: Decimal = Decimal(1000)

    def checks(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> Iterator[Check]:
        """registered_within_20y, rd_intensity_4y, growth_any."""
        yield registered_within(
            f"registered_within_{self.max_registered_years}y", enterprise, year, self.max_registered_years
        )
        years = existing_years(enterprise, year - 3, year)
        yield ratio_at_least(
            "rd_intensity_4y",
            *quotient(metrics_by_year, years, "rd_expense", "revenue", (year,)),
            self.min_rd_intensity,
        )
        first = enterprise.registered_on.year if enterprise.registered_on is not None else None
        records = ((year, metrics_by_year.get(year)), (year - 1, metrics_by_year.get(year - 1)))
        records += ((year - 3, metrics_by_year.get(year - 3)),)
        this_year = records[0][1]
        yield any_of(
            "growth_any",
            [
                _growth("revenue", first, records, self.min_revenue_cagr, self.min_base_revenue, Decimal(0)),
                _growth("employees", first, records, self.min_employee_cagr, self.min_base_employees, 0),
                at_least(
                    "equity_financing_min",
                    None if this_year is None else this_year.equity_financing,
                    self.min_equity_financing,
                    "equity_financing",
                    year,
                ),
            ],
        )


def _growth(
    name: str,
    first: int | None,
    records: tuple[tuple[int, AnnualMetrics | None], ...],
    min_cagr: Decimal,
    min_base: Any,
    zero: Any,
) -> Check:
    # Y, Y−1, Y−3; a year before registration is zero, not missing.
    now, previous, base = [
        zero if first is not None and y < first else (None if record is None else getattr(record, name))
        for y, record in records
    ]
    # A missing value or a zero base makes the CAGR null, never false.
    decisions = (
        None if now is None or not base else now >= _cube(min_cagr) * base,
        None if base is None else base > min_base,
        None if now is None or previous is None else now > previous,
    )
    args = (name, records[0][0], now, previous, base, min_cagr, min_base, decisions)
    return Check(verdict(decisions), _growth_row, args)


def _growth_row(
    passed: bool | None,
    name: str,
    year: int,
    now: Any,
    previous: Any,
    base: Any,
    min_cagr: Decimal,
    min_base: Any,
    decisions: tuple[bool | None, bool | None, bool | None],
) -> Criterion:
    growing, large, rising = decisions
    members = [
        Check(growing, _cagr, (f"{name}_cagr_3y", now, base, min_cagr, name, year)),
        Check(large, compared, (f"{name}_base_above", base, min_base, name, year - 3)),
        Check(rising, _rising, (f"{name}_rising", now, previous, name, year)),
    ]
    return all_of("employee_growth" if name == "employees" else "revenue_growth", members).row()


def _cagr(
    passed: bool | None, name: str, now: Any, base: Any, min_cagr: Decimal, figure_name: str, year: int
) -> Criterion:
    threshold = str(min_cagr)
    if passed is None:
        lacking = ((need(figure_name, year),) if now is None else ()) + (
            () if base else (need(figure_name, year - 3),)
        )
        return Criterion(name, None, threshold, None, lacking)
    # Shown only: the float cube root is clamped so that the figure never contradicts the exact test.
    text = f"{(float(now) / float(base)) ** (1 / 3) - 1:.4f}"
    if passed is not (Decimal(text) >= min_cagr):
        text = str(min_cagr.quantize(_STEP) - (0 if passed else _STEP))
    return Criterion(name, text, threshold, passed)


def _rising(
    passed: bool | None, name: str, now: Any, previous: Any, figure_name: str, year: int
) -> Criterion:
    lacking = ((need(figure_name, year),) if now is None else ()) + (
        (need(figure_name, year - 1),) if previous is None else ()
    )
    return Criterion(name, shown(now), shown(previous), passed, lacking)


@cache
def _cube(rate: Decimal) -> Decimal:
    return (1 + rate) ** 3
