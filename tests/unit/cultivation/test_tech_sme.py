"""科技型中小企业 (115号): basic conditions, the 100-point score and the hnte route."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.cultivation.eligibility import TechSmeRuleSet
from domain.cultivation.eligibility.base import RuleResult

from .builders import YEAR, by_year, cert, enterprise, metrics, passed, row

RULES = TechSmeRuleSet()
FIGURES: dict[str, Any] = {
    # 20 % tech staff (12), R&D 6 % of revenue (50), one invention patent (30): score 92
    "employees": 100,
    "tech_staff": 20,
    "revenue": Decimal(10000),
    "total_assets": Decimal(10000),
    "rd_expense": Decimal(600),
    "total_cost": Decimal(1000000),
    "class1_ip": 1,
    "class2_ip": 0,
}


def evaluate(certifications: list[Any] | None = None, **changes: Any) -> RuleResult:
    return RULES.evaluate(
        enterprise(), certifications or [], by_year(metrics(YEAR, **{**FIGURES, **changes})), YEAR
    )


def test_a_qualifying_enterprise() -> None:
    result = evaluate()
    assert (result.eligible, result.score, result.score_parts) == (
        True,
        92,
        {"tech_staff": 12, "rd": 50, "results": 30},
    )
    assert [c.name for c in result.criteria] == [
        "employees_max",
        "revenue_max",
        "total_assets_max",
        "qualification_route",
    ]


@pytest.mark.parametrize(("employees", "expected"), [(499, True), (500, True), (501, False)])
def test_employees_at_most_500(employees: int, expected: bool) -> None:
    result = evaluate(employees=employees, tech_staff=employees // 5)
    assert passed(result, "employees_max") is expected and result.eligible is expected
    assert (
        row(result, "employees_max")["actual"] == employees
        and row(result, "employees_max")["threshold"] == 500
    )


@pytest.mark.parametrize("figure", ["revenue", "total_assets"])
@pytest.mark.parametrize(("amount", "expected"), [("19999.99", True), ("20000", True), ("20000.01", False)])
def test_revenue_and_assets_at_most_20000(figure: str, amount: str, expected: bool) -> None:
    changes: dict[str, Any] = {figure: Decimal(amount)}
    if figure == "revenue":
        changes["rd_expense"] = Decimal(amount) * Decimal("0.06")
    result = evaluate(**changes)
    assert passed(result, f"{figure}_max") is expected and result.eligible is expected
    assert row(result, f"{figure}_max") | {"passed": None} == {
        "name": f"{figure}_max",
        "actual": amount,
        "threshold": "20000",
        "passed": None,
    }


@pytest.mark.parametrize(
    ("tech_staff", "points"),
    [
        (3001, 20), (3000, 20), (2999, 16),
        (2500, 16), (2499, 12),
        (2000, 12), (1999, 8),
        (1500, 8), (1499, 4),
        (1000, 4), (999, 0), (0, 0),
    ],
)  # fmt: skip
def test_tech_staff_bands(tech_staff: int, points: int) -> None:
    assert evaluate(employees=10000, tech_staff=tech_staff).score_parts["tech_staff"] == points


@pytest.mark.parametrize(
    ("rd", "points"),
    [
        ("600.01", 50), ("600", 50), ("599.99", 40),
        ("500", 40), ("499.99", 30),
        ("400", 30), ("399.99", 20),
        ("300", 20), ("299.99", 10),
        ("200", 10), ("199.99", 0),
    ],
)  # fmt: skip
def test_rd_to_revenue_bands(rd: str, points: int) -> None:
    # revenue 10,000; total costs so large that the cost ratio scores nothing
    assert evaluate(rd_expense=Decimal(rd)).score_parts["rd"] == points


@pytest.mark.parametrize(
    ("rd", "points"),
    [
        ("3000.01", 50), ("3000", 50), ("2999.99", 40),
        ("2500", 40), ("2499.99", 30),
        ("2000", 30), ("1999.99", 20),
        ("1500", 20), ("1499.99", 10),
        ("1000", 10), ("999.99", 0),
    ],
)  # fmt: skip
def test_rd_to_total_costs_bands(rd: str, points: int) -> None:
    # total costs 10,000; revenue so large that the revenue ratio scores nothing
    result = evaluate(rd_expense=Decimal(rd), total_cost=Decimal(10000), revenue=Decimal(1000000))
    assert result.score_parts["rd"] == points


def test_rd_takes_the_better_of_the_two_ratios() -> None:
    # R&D 300: 3 % of revenue (20) but 20 % of total costs (30)
    assert evaluate(rd_expense=Decimal(300), total_cost=Decimal(1500)).score_parts["rd"] == 30
    # R&D 600: 6 % of revenue (50) beats 10 % of costs (10)
    assert evaluate(rd_expense=Decimal(600), total_cost=Decimal(6000)).score_parts["rd"] == 50


@pytest.mark.parametrize(
    ("class1", "class2", "points"),
    [
        (2, 0, 30),
        (1, 0, 30),
        (1, 9, 30),
        (0, 5, 24),
        (0, 4, 24),
        (0, 3, 18),
        (0, 2, 12),
        (0, 1, 6),
        (0, 0, 0),
    ],
)
def test_results_bands(class1: int, class2: int, points: int) -> None:
    assert evaluate(class1_ip=class1, class2_ip=class2).score_parts["results"] == points


def test_score_60_passes_and_the_highest_score_below_it_fails() -> None:
    # Every band is even, so 59 cannot occur: 58 is the highest failing score.
    at_60 = evaluate(
        tech_staff=20, rd_expense=Decimal(300), class1_ip=0, class2_ip=3, total_cost=Decimal(1500)
    )
    assert (at_60.score, at_60.score_parts) == (60, {"tech_staff": 12, "rd": 30, "results": 18})
    assert at_60.eligible is True and passed(at_60, "score_min") is True
    at_58 = evaluate(tech_staff=10, rd_expense=Decimal(400), class1_ip=0, class2_ip=4)
    assert (at_58.score, at_58.eligible) == (4 + 30 + 24, False)
    assert row(at_58, "score_min") == {"name": "score_min", "actual": 58, "threshold": 60, "passed": False}


def test_a_high_score_with_no_tech_staff_points_fails() -> None:
    result = evaluate(tech_staff=9)  # 9 % → 0 points; R&D 50 + results 30 = 80
    assert (result.score, result.eligible) == (80, False)
    assert passed(result, "score_min") is True
    assert row(result, "tech_staff_score_positive") == {
        "name": "tech_staff_score_positive",
        "actual": 0,
        "threshold": 0,
        "passed": False,
    }
    assert evaluate(tech_staff=10).eligible is True  # 10 % → 4 points


def test_the_direct_route_is_a_valid_hnte_on_31_december() -> None:
    weak = {"tech_staff": 0, "rd_expense": Decimal(0), "class1_ip": 0}
    assert evaluate(**weak).eligible is False
    valid = cert("hnte", date(2021, 1, 1))  # valid through 2023-12-31
    assert evaluate([valid], **weak).eligible is True
    lapsed = cert("hnte", date(2020, 12, 31))  # last day 2023-12-30
    assert evaluate([lapsed], **weak).eligible is False


def test_the_direct_route_does_not_excuse_the_basic_conditions() -> None:
    assert evaluate([cert("hnte", date(2022, 1, 1))], employees=501, tech_staff=100).eligible is False


def test_missing_caps_make_the_result_null_and_name_the_figure() -> None:
    result = evaluate(total_assets=None)
    assert (result.eligible, result.missing) == (None, ["total_assets:2023"])
    assert row(result, "total_assets_max")["actual"] is None


def test_a_missing_ratio_that_cannot_change_the_outcome_does_not_block_it() -> None:
    # R&D 6 % of revenue already gives the part's maximum: total costs do not matter.
    result = evaluate(total_cost=None)
    assert (result.eligible, result.score_parts["rd"], result.score) == (True, 50, 92)


def test_a_missing_figure_that_could_lift_the_score_makes_it_null() -> None:
    # Revenue ratio 3 % (20) + staff 12 + results 18 = 50; total costs unknown could add up to 30.
    result = evaluate(rd_expense=Decimal(300), total_cost=None, class1_ip=0, class2_ip=3)
    assert (result.eligible, result.score, result.score_parts["rd"]) == (None, None, None)
    assert result.score_parts == {"tech_staff": 12, "rd": None, "results": 18}
    assert row(result, "score_min")["actual"] == "50-80"
    assert result.missing == ["total_cost:2023"]


def test_missing_data_does_not_hide_a_certain_failure() -> None:
    # Staff 4, results 0, R&D unknown (≤ 50): at most 54 < 60 whatever R&D turns out to be.
    result = evaluate(tech_staff=10, rd_expense=None, class1_ip=0, class2_ip=0)
    assert result.eligible is False and passed(result, "score_min") is False
    assert row(result, "score_min")["actual"] == "4-54"


def test_zero_employees_makes_the_staff_ratio_null() -> None:
    result = evaluate(employees=0, tech_staff=0)
    assert result.score_parts["tech_staff"] is None
    assert passed(result, "tech_staff_score_positive") is None
    assert result.eligible is None and "employees:2023" in result.missing


def test_no_metrics_at_all_is_null_not_false() -> None:
    result = RULES.evaluate(enterprise(), [], {}, YEAR)
    assert result.eligible is None
    assert result.missing[:3] == ["employees:2023", "revenue:2023", "total_assets:2023"]
    assert result.score is None and result.score_parts == {"tech_staff": None, "rd": None, "results": None}


def test_unknown_ip_with_class2_known_narrows_the_results_part() -> None:
    result = evaluate(class1_ip=None, class2_ip=4, tech_staff=20, rd_expense=Decimal(200))
    # staff 12 + rd 10 + results 24..30 = 46..52: below 60 either way
    assert result.eligible is False and row(result, "score_min")["actual"] == "46-52"
