"""独角兽, 平台化大企业 and 规上企业: valuation at a rate, advisory criteria, the 2,000 line."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.cultivation.eligibility import AboveScaleRuleSet, PlatformRuleSet, UnicornRuleSet
from domain.cultivation.eligibility.base import RuleResult
from domain.shared.errors import InvalidValue

from .builders import YEAR, by_year, cert, enterprise, metrics, passed, row

UNICORN = UnicornRuleSet()


def unicorn(rules: UnicornRuleSet = UNICORN, company: Any = None, **figures: Any) -> RuleResult:
    figures = {"valuation": Decimal(700000), "equity_financing": Decimal(5000), **figures}
    company = company or enterprise(registered_on=date(2016, 1, 1), listed=False)
    return rules.evaluate(company, [], by_year(metrics(YEAR, **figures)), YEAR)


@pytest.mark.parametrize(
    ("valuation", "expected"), [("699999.99", False), ("700000", True), ("700000.01", True)]
)
def test_unicorn_valuation_of_us_1_billion_at_7_0(valuation: str, expected: bool) -> None:
    result = unicorn(valuation=Decimal(valuation))
    assert row(result, "valuation_min") == {
        "name": "valuation_min",
        "actual": valuation,
        "threshold": "700000",
        "passed": expected,
    }
    assert result.eligible is expected


@pytest.mark.parametrize(("valuation", "expected"), [("724999.99", False), ("725000", True)])
def test_unicorn_valuation_at_another_rate(valuation: str, expected: bool) -> None:
    rules = dataclasses.replace(UNICORN, cny_per_usd=Decimal("7.25"))
    assert rules.min_valuation == Decimal(725000)
    result = unicorn(rules, valuation=Decimal(valuation))
    assert row(result, "valuation_min")["threshold"] == "725000"
    assert passed(result, "valuation_min") is expected


@pytest.mark.parametrize("rate", [Decimal(0), Decimal("-7"), 7.0])
def test_unicorn_rate_must_be_a_positive_decimal(rate: Any) -> None:
    with pytest.raises(InvalidValue) as caught:
        UnicornRuleSet(cny_per_usd=rate)
    assert caught.value.field == "cny_per_usd"


@pytest.mark.parametrize(
    ("registered_on", "expected"),
    [(date(2013, 12, 30), False), (date(2013, 12, 31), True), (date(2014, 1, 1), True)],
)
def test_unicorn_registered_at_most_10_years(registered_on: date, expected: bool) -> None:
    result = unicorn(company=enterprise(registered_on=registered_on, listed=False))
    assert passed(result, "registered_within_10y") is expected and result.eligible is expected


@pytest.mark.parametrize(
    ("listed_on", "expected"),
    [(date(2023, 12, 31), False), (date(2024, 1, 2), True), (None, None)],  # no date: not known
)
def test_unicorn_not_listed_on_31_december(listed_on: date | None, expected: bool | None) -> None:
    company = enterprise(
        registered_on=date(2016, 1, 1), listed=True, listed_on=listed_on, stock_code="688001"
    )
    result = unicorn(company=company)
    assert passed(result, "not_listed") is expected and result.eligible is expected
    if expected is None:
        assert result.missing == ["listed_on"]


def test_unicorn_not_listed_is_null_while_listing_is_not_known() -> None:
    result = unicorn(company=enterprise(registered_on=date(2016, 1, 1)))
    assert row(result, "not_listed") == {
        "name": "not_listed",
        "actual": None,
        "threshold": True,
        "passed": None,
    }
    assert result.eligible is None and result.missing == ["listed"]


def test_unicorn_venture_investment_in_any_year_up_to_y() -> None:
    company = enterprise(registered_on=date(2016, 1, 1), listed=False)
    records = by_year(
        metrics(2019, equity_financing=Decimal(300)),
        metrics(2022, equity_financing=Decimal(0)),
        metrics(2023, equity_financing=Decimal(0), valuation=Decimal(800000)),
    )
    result = UNICORN.evaluate(company, [], records, YEAR)
    assert row(result, "venture_investment") == {
        "name": "venture_investment",
        "actual": "300",
        "threshold": "0",
        "passed": True,
    }
    assert result.eligible is True


def test_unicorn_financing_only_after_y_does_not_count() -> None:
    company = enterprise(registered_on=date(2016, 1, 1), listed=False)
    records = by_year(
        metrics(2023, equity_financing=Decimal(0), valuation=Decimal(800000)),
        metrics(2024, equity_financing=Decimal(9000)),
    )
    assert passed(UNICORN.evaluate(company, [], records, YEAR), "venture_investment") is False


def test_unicorn_venture_investment_unknown_is_null() -> None:
    result = unicorn(equity_financing=None)
    assert passed(result, "venture_investment") is None
    assert (result.eligible, result.missing) == (None, ["equity_financing:2023"])
    no_metrics = UNICORN.evaluate(enterprise(registered_on=date(2016, 1, 1), listed=False), [], {}, YEAR)
    assert no_metrics.missing == ["equity_financing:2023", "valuation:2023"]


def test_unicorn_uses_the_latest_valuation_up_to_y() -> None:
    company = enterprise(registered_on=date(2016, 1, 1), listed=False)
    records = by_year(
        metrics(2021, valuation=Decimal(100000), equity_financing=Decimal(10)),
        metrics(2022, valuation=Decimal(750000)),
        metrics(2023, valuation=None, equity_financing=Decimal(0)),
        metrics(2024, valuation=Decimal(1)),
    )
    result = UNICORN.evaluate(company, [], records, YEAR)
    assert row(result, "valuation_min")["actual"] == "750000" and result.eligible is True


PLATFORM = PlatformRuleSet()


@pytest.mark.parametrize(
    ("revenue", "expected"), [("99999.99", False), ("100000", True), ("100000.01", True)]
)
def test_platform_revenue_at_least_100000(revenue: str, expected: bool) -> None:
    data = by_year(metrics(revenue=Decimal(revenue), runs_platform=True))
    result = PLATFORM.evaluate(enterprise(), [cert("hnte", date(2022, 1, 1))], data, YEAR)
    assert passed(result, "revenue_min") is expected and result.eligible is expected


def test_platform_needs_a_valid_hnte_and_the_expert_flag() -> None:
    data = by_year(metrics(revenue=Decimal(200000), runs_platform=True))
    assert PLATFORM.evaluate(enterprise(), [], data, YEAR).eligible is False
    unknown = by_year(metrics(revenue=Decimal(200000)))
    result = PLATFORM.evaluate(enterprise(), [cert("hnte", date(2022, 1, 1))], unknown, YEAR)
    assert (result.eligible, result.missing) == (None, ["runs_platform:2023"])
    assert [c.name for c in result.criteria] == ["revenue_min", "hnte_valid", "runs_platform"]


ABOVE_SCALE = AboveScaleRuleSet()


@pytest.mark.parametrize(("revenue", "expected"), [("1999.99", False), ("2000", True), ("2000.01", True)])
def test_above_scale_main_business_revenue_at_least_2000(revenue: str, expected: bool) -> None:
    data = by_year(metrics(main_business_revenue=Decimal(revenue), revenue=Decimal(1)))
    result = ABOVE_SCALE.evaluate(enterprise(), [], data, YEAR)
    assert result.eligible is expected
    assert row(result, "main_business_revenue_min")["actual"] == revenue


def test_above_scale_looks_at_main_business_revenue_not_revenue() -> None:
    data = by_year(metrics(revenue=Decimal(50000)))
    result = ABOVE_SCALE.evaluate(enterprise(), [], data, YEAR)
    assert (result.eligible, result.missing) == (None, ["main_business_revenue:2023"])
