"""高新技术企业 (32号): the seven conditions at their boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.cultivation.eligibility import HnteRuleSet
from domain.cultivation.eligibility.base import RuleResult

from .builders import YEAR, by_year, enterprise, metrics, passed, row

RULES = HnteRuleSet()
# Every year 2021–2023: revenue 10,000 (band 4 %), R&D 500 (5 %), 80 % domestic, 70 % high-tech revenue.
YEARLY: dict[str, Any] = {
    "revenue": Decimal(10000),
    "rd_expense": Decimal(500),
    "rd_expense_domestic": Decimal(400),
    "high_tech_revenue": Decimal(7000),
    "employees": 100,
    "tech_staff": 20,
    "class1_ip": 0,
    "class2_ip": 1,
    "innovation_score": Decimal(75),
}


def evaluate(
    registered_on: date | None = date(2015, 4, 1),
    year_changes: dict[int, dict[str, Any]] | None = None,
    years: tuple[int, ...] = (2021, 2022, 2023),
    **changes: Any,
) -> RuleResult:
    """Y = 2023; `changes` apply to 2023, `year_changes` to any year."""
    records = []
    for y in years:
        figures = {**YEARLY, **(year_changes or {}).get(y, {}), **(changes if y == YEAR else {})}
        records.append(metrics(y, **figures))
    return RULES.evaluate(enterprise(registered_on=registered_on), [], by_year(*records), YEAR)


def test_a_qualifying_enterprise_and_its_explanation() -> None:
    result = evaluate()
    assert result.eligible is True and result.missing == []
    assert [c.as_dict() for c in result.criteria] == [
        {"name": "registered_days_min", "actual": 3196, "threshold": 365, "passed": True},
        {"name": "ip_count_min", "actual": 1, "threshold": 1, "passed": True},
        {"name": "tech_staff_share_min", "actual": "0.2000", "threshold": "0.10", "passed": True},
        {"name": "rd_intensity_3y", "actual": "0.0500", "threshold": "0.04", "passed": True},
        {"name": "rd_domestic_share_3y", "actual": "0.8000", "threshold": "0.60", "passed": True},
        {"name": "high_tech_revenue_share_min", "actual": "0.7000", "threshold": "0.60", "passed": True},
        {"name": "innovation_score_above", "actual": "75", "threshold": "70", "passed": True},
    ]


@pytest.mark.parametrize(
    ("year", "registered_on", "days", "expected"),
    [
        (2023, date(2022, 12, 30), 366, True),
        (2023, date(2022, 12, 31), 365, True),
        (2023, date(2023, 1, 1), 364, False),
        (2024, date(2024, 1, 1), 365, True),  # 2024 has 366 days: 1 January is already 365 days before
        (2024, date(2024, 1, 2), 364, False),
    ],
)
def test_registered_at_least_365_days_before_31_december(
    year: int, registered_on: date, days: int, expected: bool
) -> None:
    assert date(year, 12, 31) - registered_on == timedelta(days=days)
    records = by_year(*(metrics(y, **YEARLY) for y in range(year - 2, year + 1)))
    result = RULES.evaluate(enterprise(registered_on=registered_on), [], records, year)
    assert row(result, "registered_days_min") == {
        "name": "registered_days_min",
        "actual": days,
        "threshold": 365,
        "passed": expected,
    }


@pytest.mark.parametrize(
    ("class1", "class2", "expected"),
    [
        (0, 0, False),
        (1, 0, True),
        (0, 1, True),
        (None, 0, None),
        (None, 1, True),
        (2, None, True),
        (None, None, None),
    ],
)
def test_owns_at_least_one_ip_item(class1: int | None, class2: int | None, expected: bool | None) -> None:
    result = evaluate(class1_ip=class1, class2_ip=class2)
    assert passed(result, "ip_count_min") is expected and result.eligible is expected


@pytest.mark.parametrize(("tech_staff", "expected"), [(99, False), (100, True), (101, True)])
def test_tech_staff_at_least_10_percent(tech_staff: int, expected: bool) -> None:
    assert passed(evaluate(employees=1000, tech_staff=tech_staff), "tech_staff_share_min") is expected


@pytest.mark.parametrize(
    ("revenue", "band"),
    [("4999.99", "0.05"), ("5000", "0.05"), ("5000.01", "0.04"), ("20000", "0.04"), ("20000.01", "0.03")],
)
@pytest.mark.parametrize(("offset", "expected"), [("-0.0001", False), ("0", True), ("0.0001", True)])
def test_three_year_rd_intensity_meets_the_band_of_year_ys_revenue(
    revenue: str, band: str, offset: str, expected: bool
) -> None:
    total_revenue = Decimal(revenue) * 3
    rd_2023 = Decimal(band) * total_revenue - 2 * Decimal(100) + Decimal(offset)
    result = evaluate(
        year_changes={y: {"revenue": Decimal(revenue), "rd_expense": Decimal(100)} for y in (2021, 2022)},
        revenue=Decimal(revenue),
        rd_expense=rd_2023,
        rd_expense_domestic=rd_2023,
        high_tech_revenue=Decimal(revenue),
    )
    criterion = row(result, "rd_intensity_3y")
    assert (criterion["threshold"], criterion["passed"]) == (band, expected)


def test_the_band_follows_year_y_not_the_three_year_average() -> None:
    # 2021–2022 revenue 30,000 each (band 3 % territory), 2023 revenue 5,000 → the 5 % band applies.
    big = {"revenue": Decimal(30000), "rd_expense": Decimal(1300), "high_tech_revenue": Decimal(30000)}
    result = evaluate(year_changes={2021: big, 2022: big}, revenue=Decimal(5000), rd_expense=Decimal(200))
    criterion = row(result, "rd_intensity_3y")
    assert criterion == {"name": "rd_intensity_3y", "actual": "0.0430", "threshold": "0.05", "passed": False}


def test_a_young_enterprise_uses_the_years_it_existed() -> None:
    # Registered mid-2022: only 2022 and 2023 count; 2021 has no record and is not needed.
    result = evaluate(registered_on=date(2022, 6, 1), years=(2022, 2023))
    assert passed(result, "rd_intensity_3y") is True and result.eligible is True
    # A record for 2021 (before registration) would not be counted either.
    skewed = evaluate(registered_on=date(2022, 6, 1), year_changes={2021: {"rd_expense": Decimal(0)}})
    assert row(skewed, "rd_intensity_3y")["actual"] == "0.0500"


def test_without_a_registration_date_all_three_years_are_needed() -> None:
    result = evaluate(registered_on=None, years=(2022, 2023))
    assert passed(result, "rd_intensity_3y") is None
    assert result.eligible is None
    assert result.missing == ["registered_on", "rd_expense:2021", "revenue:2021", "rd_expense_domestic:2021"]


def test_zero_revenue_makes_the_intensity_null_not_false() -> None:
    zero = {"revenue": Decimal(0), "rd_expense": Decimal(0), "high_tech_revenue": Decimal(0)}
    result = evaluate(year_changes={2021: zero, 2022: zero}, **zero, rd_expense_domestic=Decimal(0))
    assert passed(result, "rd_intensity_3y") is None
    assert passed(result, "high_tech_revenue_share_min") is None
    assert passed(result, "rd_domestic_share_3y") is None
    assert {"revenue:2023", "rd_expense:2023"} <= set(result.missing)


@pytest.mark.parametrize(("domestic_2023", "expected"), [("99.99", False), ("100", True), ("100.01", True)])
def test_domestic_rd_at_least_60_percent_over_the_same_years(domestic_2023: str, expected: bool) -> None:
    # Σ R&D 1,500; 2021–2022 domestic 400 each: 2023 needs 100 for 900 = 60 %.
    assert passed(evaluate(rd_expense_domestic=Decimal(domestic_2023)), "rd_domestic_share_3y") is expected


@pytest.mark.parametrize(("high_tech", "expected"), [("5999.99", False), ("6000", True), ("6000.01", True)])
def test_high_tech_revenue_at_least_60_percent_in_year_y(high_tech: str, expected: bool) -> None:
    assert passed(evaluate(high_tech_revenue=Decimal(high_tech)), "high_tech_revenue_share_min") is expected


@pytest.mark.parametrize(
    ("score", "expected"), [("69.99", False), ("70", False), ("70.01", True), ("100", True)]
)
def test_innovation_score_strictly_above_70(score: str, expected: bool) -> None:
    result = evaluate(innovation_score=Decimal(score))
    assert passed(result, "innovation_score_above") is expected and result.eligible is expected


def test_a_missing_expert_score_is_null_and_named() -> None:
    result = evaluate(innovation_score=None)
    assert (result.eligible, result.missing) == (None, ["innovation_score:2023"])
    assert row(result, "innovation_score_above") == {
        "name": "innovation_score_above",
        "actual": None,
        "threshold": "70",
        "passed": None,
    }


def test_one_failure_outweighs_missing_data() -> None:
    result = evaluate(innovation_score=None, high_tech_revenue=Decimal(1000))
    assert result.eligible is False and result.missing == ["innovation_score:2023"]


def test_the_ratio_shown_is_cut_not_rounded() -> None:
    # 5,999.99 / 10,000 = 0.599999: shown 0.5999, never 0.6000 beside a failed ≥ 0.60.
    result = evaluate(high_tech_revenue=Decimal("5999.99"))
    assert row(result, "high_tech_revenue_share_min")["actual"] == "0.5999"


def test_band_helper() -> None:
    assert [RULES.rd_band(Decimal(v)) for v in ("0", "5000", "5000.01", "20000", "20000.01")] == [
        Decimal("0.05"),
        Decimal("0.05"),
        Decimal("0.04"),
        Decimal("0.04"),
        Decimal("0.03"),
    ]
