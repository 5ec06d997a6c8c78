"""瞪羚 (辽科创办发〔2021〕2号): age, four-year R&D, and growth alternatives tested in exact decimals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.cultivation.eligibility import GazelleRuleSet
from domain.cultivation.eligibility.base import RuleResult

from .builders import YEAR, by_year, enterprise, metrics, passed, row

GAZELLE = GazelleRuleSet()

BASE: dict[int, dict[str, Any]] = {
    2020: {"revenue": Decimal(2000), "rd_expense": Decimal(100), "employees": 100, "equity_financing": 0},
    2021: {"revenue": Decimal(2400), "rd_expense": Decimal(100), "employees": 100, "equity_financing": 0},
    2022: {"revenue": Decimal(3000), "rd_expense": Decimal(100), "employees": 100, "equity_financing": 0},
    # 3,456 = 1.728 × 2,000: exactly 20 % a year
    2023: {"revenue": Decimal(3456), "rd_expense": Decimal(100), "employees": 100, "equity_financing": 0},
}


def gazelle(registered_on: date | None = date(2010, 5, 1), **changes: dict[str, Any]) -> RuleResult:
    """`changes` by year label: y2020=..., y2023=..."""
    records = []
    for year, figures in BASE.items():
        extra = changes.get(f"y{year}", {})
        if extra is None:
            continue
        records.append(metrics(year, **{**figures, **extra}))
    return GAZELLE.evaluate(enterprise(registered_on=registered_on), [], by_year(*records), YEAR)


def test_gazelle_exactly_20_percent_revenue_growth_passes() -> None:
    result = gazelle()
    assert result.eligible is True
    assert row(result, "revenue_cagr_3y") == {
        "name": "revenue_cagr_3y",
        "actual": "0.2000",
        "threshold": "0.20",
        "passed": True,
    }
    assert passed(result, "revenue_growth") is True


def test_gazelle_just_under_20_percent_fails_and_never_shows_20() -> None:
    result = gazelle(y2023={"revenue": Decimal("3455.99")})
    assert passed(result, "revenue_cagr_3y") is False and result.eligible is False
    assert row(result, "revenue_cagr_3y")["actual"] == "0.1999"
    assert passed(gazelle(y2023={"revenue": Decimal("3456.01")}), "revenue_cagr_3y") is True


@pytest.mark.parametrize(("base", "expected"), [("999.99", False), ("1000", False), ("1000.01", True)])
def test_gazelle_revenue_base_strictly_above_1000(base: str, expected: bool) -> None:
    revenue_2023 = Decimal(base) * Decimal("1.728")
    result = gazelle(
        y2020={"revenue": Decimal(base)}, y2022={"revenue": Decimal(base)}, y2023={"revenue": revenue_2023}
    )
    assert passed(result, "revenue_cagr_3y") is True
    assert passed(result, "revenue_base_above") is expected and result.eligible is expected


@pytest.mark.parametrize(("previous", "expected"), [("3455.99", True), ("3456", False), ("3456.01", False)])
def test_gazelle_revenue_must_rise_over_the_year_before(previous: str, expected: bool) -> None:
    result = gazelle(y2022={"revenue": Decimal(previous)})
    assert row(result, "revenue_rising") == {
        "name": "revenue_rising",
        "actual": "3456",
        "threshold": previous,
        "passed": expected,
    }
    assert result.eligible is expected


@pytest.mark.parametrize(("employees_2023", "expected"), [(2196, False), (2197, True), (2198, True)])
def test_gazelle_exactly_30_percent_employee_growth_passes(employees_2023: int, expected: bool) -> None:
    result = gazelle(
        y2020={"employees": 1000, "revenue": Decimal(2000)},
        y2022={"employees": 1500},
        y2023={"employees": employees_2023, "revenue": Decimal(2000)},  # revenue route fails
    )
    assert passed(result, "revenue_growth") is False
    assert passed(result, "employees_cagr_3y") is expected and result.eligible is expected


@pytest.mark.parametrize(("base", "expected"), [(100, False), (101, True)])
def test_gazelle_employee_base_strictly_above_100(base: int, expected: bool) -> None:
    grown = -(-base * 2197 // 1000)  # ⌈2.197 × base⌉
    result = gazelle(
        y2020={"employees": base},
        y2022={"employees": base},
        y2023={"employees": grown, "revenue": Decimal(2000)},
    )
    assert passed(result, "employees_cagr_3y") is True
    assert passed(result, "employees_base_above") is expected and result.eligible is expected


def test_gazelle_employees_must_rise_over_the_year_before() -> None:
    common = {"y2020": {"employees": 200}, "y2023": {"employees": 500, "revenue": Decimal(2000)}}
    assert gazelle(**common, y2022={"employees": 499}).eligible is True
    result = gazelle(**common, y2022={"employees": 500})
    assert passed(result, "employees_rising") is False and result.eligible is False


@pytest.mark.parametrize(("financing", "expected"), [("999.99", False), ("1000", True), ("1000.01", True)])
def test_gazelle_equity_financing_at_least_1000_in_year_y(financing: str, expected: bool) -> None:
    result = gazelle(y2023={"revenue": Decimal(2000), "equity_financing": Decimal(financing)})
    assert passed(result, "equity_financing_min") is expected and result.eligible is expected


@pytest.mark.parametrize(
    ("registered_on", "expected"),
    [(date(2003, 12, 30), False), (date(2003, 12, 31), True), (date(2004, 1, 1), True)],
)
def test_gazelle_registered_at_most_20_years(registered_on: date, expected: bool) -> None:
    result = gazelle(registered_on)
    assert passed(result, "registered_within_20y") is expected and result.eligible is expected
    assert row(result, "registered_within_20y")["threshold"] == "2003-12-31"


@pytest.mark.parametrize(
    ("registered_on", "expected"),
    [(date(2023, 12, 30), True), (date(2023, 12, 31), True), (date(2024, 1, 1), False)],
)
def test_gazelle_registered_after_the_year_was_not_registered_in_it(
    registered_on: date, expected: bool
) -> None:
    assert passed(gazelle(registered_on), "registered_within_20y") is expected


@pytest.mark.parametrize(("rd_2023", "expected"), [("181.39", False), ("181.40", True), ("181.41", True)])
def test_gazelle_four_year_rd_intensity_at_least_2_5_percent(rd_2023: str, expected: bool) -> None:
    # Σ revenue 10,856 → 2.5 % is 271.40; 2020–2022 bring 3 × 30, so 2023 needs 181.40.
    low = {"rd_expense": Decimal(30)}
    result = gazelle(y2020=low, y2021=low, y2022=low, y2023={"rd_expense": Decimal(rd_2023)})
    assert passed(result, "rd_intensity_4y") is expected and result.eligible is expected
    assert row(result, "rd_intensity_4y")["threshold"] == "0.025"


def test_gazelle_uses_the_years_that_exist_and_counts_earlier_revenue_as_zero() -> None:
    # Registered in 2021: R&D over 2021–2023 only; revenue of 2020 is 0 (no record needed), so the
    # revenue route fails outright instead of waiting for data.
    result = gazelle(date(2021, 2, 1), y2020=None, y2023={"revenue": Decimal(3456)})
    assert passed(result, "rd_intensity_4y") is True
    assert row(result, "revenue_base_above")["actual"] == "0"
    assert passed(result, "revenue_growth") is False
    assert (result.eligible, result.missing) == (False, [])
    financed = gazelle(date(2021, 2, 1), y2020=None, y2023={"equity_financing": Decimal(1000)})
    assert financed.eligible is True


def test_gazelle_missing_base_year_is_null_not_false() -> None:
    result = gazelle(y2020=None)
    assert passed(result, "revenue_cagr_3y") is None
    assert passed(result, "growth_any") is None
    assert result.eligible is None
    assert result.missing == ["rd_expense:2020", "revenue:2020"]  # employees fail on rising (100 → 100)


def test_gazelle_any_one_true_alternative_settles_missing_data() -> None:
    result = gazelle(y2020=None, y2023={"equity_financing": Decimal(5000)})
    assert passed(result, "growth_any") is True
    assert passed(result, "rd_intensity_4y") is None  # still needs 2020 for the four-year ratio
    assert result.eligible is None and result.missing == ["rd_expense:2020", "revenue:2020"]


def test_gazelle_mixed_null_and_false_alternatives_are_null() -> None:
    result = gazelle(
        y2020={"employees": 200},
        y2023={"revenue": Decimal(2000), "employees": None, "equity_financing": Decimal(0)},
    )
    assert passed(result, "revenue_growth") is False
    assert passed(result, "employee_growth") is None
    assert passed(result, "equity_financing_min") is False
    assert passed(result, "growth_any") is None and result.eligible is None
    assert result.missing == ["employees:2023"]


def test_gazelle_a_zero_base_makes_the_cagr_null_but_the_route_fails_on_its_base() -> None:
    result = gazelle(y2020={"employees": 0})
    assert passed(result, "employees_cagr_3y") is None
    assert passed(result, "employee_growth") is False
