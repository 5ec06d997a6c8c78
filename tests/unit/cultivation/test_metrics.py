"""年度经营数据: validation of one year's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.cultivation.metrics import AMOUNT_FIELDS, COUNT_FIELDS, METRIC_FIELDS, AnnualMetrics
from domain.shared.errors import InvalidValue

from .builders import metrics


def test_the_fields_are_the_api_metrics_body() -> None:
    assert METRIC_FIELDS == (
        "revenue",
        "main_business_revenue",
        "high_tech_revenue",
        "rd_expense",
        "rd_expense_domestic",
        "total_cost",
        "employees",
        "tech_staff",
        "total_assets",
        "tax",
        "exports",
        "class1_ip",
        "class2_ip",
        "valuation",
        "equity_financing",
        "innovation_score",
        "award",
        "runs_platform",
    )


def test_every_figure_is_optional() -> None:
    record = metrics(2023)
    assert all(getattr(record, name) is None for name in METRIC_FIELDS)


@pytest.mark.parametrize("year", [1990, 2100])
def test_years_at_the_bounds_are_accepted(year: int) -> None:
    assert metrics(year).year == year


@pytest.mark.parametrize("year", [1989, 2101, True, "2023"])
def test_years_outside_1990_2100_are_refused(year: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        AnnualMetrics(enterprise_id="e1", year=year)  # type: ignore[arg-type]
    assert caught.value.field == "year"


@pytest.mark.parametrize("name", AMOUNT_FIELDS)
def test_a_negative_amount_is_refused_naming_the_field(name: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        metrics(**{name: Decimal("-0.01")})
    assert caught.value.field == name
    assert getattr(metrics(**{name: Decimal(0)}), name) == 0


@pytest.mark.parametrize("name", COUNT_FIELDS)
def test_a_negative_count_is_refused_naming_the_field(name: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        metrics(**{name: -1})
    assert caught.value.field == name


@pytest.mark.parametrize("value", [True, 1.5, "3", Decimal(3)])
def test_counts_are_whole_numbers(value: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        metrics(employees=value)
    assert caught.value.field == "employees"


def test_amounts_become_exact_decimals() -> None:
    record = metrics(revenue=1234, rd_expense="56.70", total_cost=0.1, valuation=Decimal("2E+4"))
    assert record.revenue == Decimal(1234) and isinstance(record.revenue, Decimal)
    assert str(record.rd_expense) == "56.70"
    assert record.total_cost == Decimal("0.1")  # not 0.1000000000000000055…
    assert str(record.valuation) == "20000"


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", True, [1]])
def test_an_amount_that_is_no_number_is_refused(value: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        metrics(revenue=value)
    assert caught.value.field == "revenue"


def test_tech_staff_may_equal_but_not_exceed_employees() -> None:
    assert metrics(employees=50, tech_staff=50).tech_staff == 50
    with pytest.raises(InvalidValue) as caught:
        metrics(employees=50, tech_staff=51)
    assert caught.value.field == "tech_staff"


@pytest.mark.parametrize("score", ["0", "100", "70.01"])
def test_innovation_score_is_0_to_100(score: str) -> None:
    assert metrics(innovation_score=score).innovation_score == Decimal(score)


@pytest.mark.parametrize("score", ["-0.01", "100.01"])
def test_innovation_score_outside_0_100_is_refused(score: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        metrics(innovation_score=score)
    assert caught.value.field == "innovation_score"


@pytest.mark.parametrize("name", ["award", "runs_platform"])
def test_expert_flags_are_booleans(name: str) -> None:
    assert getattr(metrics(**{name: True}), name) is True
    with pytest.raises(InvalidValue) as caught:
        metrics(**{name: 1})
    assert caught.value.field == name


def test_replace_values_is_a_put_validated_before_anything_changes() -> None:
    record = metrics(revenue=100, employees=10, tech_staff=5)
    before = record.id
    with pytest.raises(InvalidValue):
        record.replace_values(revenue=200, employees=3, tech_staff=5)
    assert (record.revenue, record.employees) == (100, 10)
    record.replace_values(revenue="300")
    assert (record.id, record.revenue, record.employees, record.tech_staff) == (before, 300, None, None)
    with pytest.raises(InvalidValue) as caught:
        record.replace_values(turnover=1)
    assert caught.value.field == "turnover"


def test_as_dict_uses_decimal_strings_for_amounts() -> None:
    body = metrics(revenue="1234.5", employees=12, award=False).as_dict()
    assert body["revenue"] == "1234.5" and body["employees"] == 12 and body["award"] is False
    assert body["tax"] is None and body["year"] == 2023
