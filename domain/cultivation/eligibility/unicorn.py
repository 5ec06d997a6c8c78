"""独角兽企业 (辽科创办发〔2021〕2号): young, unlisted, venture-backed, valued at US$1 billion or more."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.cultivation.certifications import Certification
from domain.cultivation.eligibility.base import Check, RuleSetBase, check
from domain.cultivation.eligibility.checks import at_least, need, registered_within
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.shared.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class UnicornRuleSet(RuleSetBase):
    """独角兽企业: registered ≤ 10 years, not listed on 31 Dec Y, equity financing > 0 in some year ≤ Y,
    latest valuation (≤ Y) ≥ US$1 billion at `cny_per_usd` (a setting; `dataclasses.replace` to change it).
    """

    name: str = "unicorn"
    version: int = 1
    effective_from: date = date(2021, 1, 1)
    max_registered_years: int = 10
    min_valuation_usd: Decimal = Decimal(100000)  # US$1 billion in 万美元
    cny_per_usd: Decimal = Decimal("7.0")

    def __post_init__(self) -> None:
        if not isinstance(self.cny_per_usd, Decimal) or not self.cny_per_usd > 0:
            raise InvalidValue(
                "the CNY/USD rate must be a positive decimal", "人民币兑美元汇率须为正数", field="cny_per_usd"
            )

    @property
    def min_valuation(self) -> Decimal:
        """The valuation floor in 万元: 100,000 万美元 × the rate (700,000 at 7.0)."""
        return (self.min_valuation_usd * self.cny_per_usd).normalize() + 0  # + 0 turns 7E+5 back to 700000

    def checks(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> Iterator[Check]:
        """registered_within_10y, not_listed, venture_investment, valuation_min."""
        yield registered_within(
            f"registered_within_{self.max_registered_years}y", enterprise, year, self.max_registered_years
        )
        listed = enterprise.is_listed_on(date(year, 12, 31))
        if listed is None:  # unknown whether, or since when: null, never "not listed"
            lacking = "listed" if enterprise.listed is None else "listed_on"
            yield check("not_listed", None, True, None, (lacking,))
        else:
            yield check("not_listed", not listed, True, not listed)
        yield _venture_investment(metrics_by_year, year)
        latest = max(
            (y for y, m in metrics_by_year.items() if y <= year and m.valuation is not None), default=None
        )
        yield at_least(
            "valuation_min",
            None if latest is None else metrics_by_year[latest].valuation,
            self.min_valuation,
            "valuation",
            year,
        )


def _venture_investment(metrics_by_year: Mapping[int, AnnualMetrics], year: int) -> Check:
    # True on any year ≤ Y with financing > 0; false only when every recorded year ≤ Y says 0.
    raised = Decimal(0)
    lacking: list[str] = []
    recorded = False
    for y, record in sorted(metrics_by_year.items()):
        if y > year:
            continue
        recorded = True
        if record.equity_financing is None:
            lacking.append(need("equity_financing", y))
        else:
            raised += record.equity_financing
    if raised > 0:
        return check("venture_investment", str(raised), "0", True)
    if lacking or not recorded:
        return check(
            "venture_investment", None, "0", None, tuple(lacking) or (need("equity_financing", year),)
        )
    return check("venture_investment", str(raised), "0", False)
