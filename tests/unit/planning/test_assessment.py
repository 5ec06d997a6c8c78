from decimal import Decimal

import pytest

from domain.planning.assessment import AssessmentStatus, assess
from domain.planning.indicators import Direction, Nature
from domain.shared.errors import InvalidValue

from .builders import ENERGY, GDP, PLAN, REVENUE, indicator, observation

ON, RISK, OFF, NONE = (
    AssessmentStatus.ON_TRACK,
    AssessmentStatus.AT_RISK,
    AssessmentStatus.OFF_TRACK,
    AssessmentStatus.NO_DATA,
)


def assessed(ind, year, **values):
    return assess(ind, [observation(ind, int(y[1:]), v) for y, v in values.items()], year, plan=PLAN)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2021, "105.64"), (2022, "115.98"), (2023, "126.32"), (2024, "136.66"), (2025, "147")],
)
def test_expected_value_runs_straight_from_baseline_to_target(year, expected):
    assert assessed(GDP, year).expected_value == Decimal(expected)


def test_without_a_baseline_the_expected_value_is_the_target():
    assert assessed(REVENUE, 2022).expected_value == Decimal(1000)


@pytest.mark.parametrize(
    ("actual", "status"),
    [("126.33", ON), ("126.32", ON), ("126.31", RISK), ("121.15", RISK), ("121.14", OFF)],
    ids=["beyond", "at-expected", "just-short", "short-by-exactly-10pct", "short-by-more"],
)
def test_status_of_an_expected_indicator_with_a_baseline(actual, status):
    # E(2023) = 126.32; the band is 10 % of |147 − 95.3| = 5.17.
    assert assessed(GDP, 2023, y2023=actual).status is status


@pytest.mark.parametrize(("actual", "status"), [("126.32", ON), ("126.31", OFF), ("121.15", OFF)])
def test_a_binding_indicator_has_no_at_risk_band(actual, status):
    binding = indicator(baseline="95.3", target="147", nature=Nature.BINDING)
    assert assessed(binding, 2023, y2023=actual).status is status


@pytest.mark.parametrize(
    ("actual", "status", "ratio"),
    [("0.69", ON, "0.62"), ("0.7", ON, "0.6"), ("0.75", RISK, "0.5"), ("0.7501", OFF, "0.4998")],
)
def test_lower_is_better_for_a_down_indicator(actual, status, ratio):
    # 1.0 → 0.5 going down: E(2023) = 0.7, the band is 10 % of 0.5 = 0.05.
    down = indicator(baseline="1.0", target="0.5", direction=Direction.DOWN)
    result = assessed(down, 2023, y2023=actual)
    assert (result.status, result.completion_ratio) == (status, Decimal(ratio))


@pytest.mark.parametrize(("actual", "status"), [("0.39", ON), ("0.4", ON), ("0.41", OFF), ("0.5", OFF)])
def test_indicator_23_binding_down_without_baseline(actual, status):
    result = assessed(ENERGY, 2023, y2023=actual)
    assert (result.expected_value, result.status) == (Decimal("0.4"), status)


@pytest.mark.parametrize(("actual", "ratio"), [("0.4", "1"), ("0.5", "0.8"), ("0.32", "1.25")])
def test_a_down_indicator_without_baseline_completes_as_t_over_a(actual, ratio):
    assert assessed(ENERGY, 2023, y2023=actual).completion_ratio == Decimal(ratio)


@pytest.mark.parametrize(("actual", "status"), [("0.44", RISK), ("0.4401", OFF)])
def test_the_band_without_a_baseline_is_10_percent_of_the_target(actual, status):
    expected_down = indicator(baseline=None, target="0.4", direction=Direction.DOWN, code=23)
    assert assessed(expected_down, 2023, y2023=actual).status is status


@pytest.mark.parametrize(
    ("actual", "status", "ratio"), [("1000", ON, "1"), ("900", RISK, "0.9"), ("899.99", OFF, "0.89999")]
)
def test_an_up_indicator_without_baseline_completes_as_a_over_t(actual, status, ratio):
    result = assessed(REVENUE, 2023, y2023=actual)
    assert (result.status, result.completion_ratio) == (status, Decimal(ratio))


def test_completion_ratio_with_a_baseline():
    assert assessed(GDP, 2023, y2023="121.15").completion_ratio == Decimal("0.5")  # 25.85 / 51.7


@pytest.mark.parametrize(
    ("ind", "actual"),
    [
        (indicator(baseline="5", target="5"), "5"),
        (indicator(baseline=None, target="0"), "3"),
        (indicator(baseline=None, target="0.4", direction=Direction.DOWN), "0"),
    ],
    ids=["target-equals-baseline", "up-target-0", "down-actual-0"],
)
def test_a_zero_denominator_gives_no_completion_ratio(ind, actual):
    assert assessed(ind, 2023, y2023=actual).completion_ratio is None


def test_a_target_equal_to_its_baseline_has_no_band():
    flat = indicator(baseline="5", target="5")
    assert assessed(flat, 2023, y2023="5").status is ON
    assert assessed(flat, 2023, y2023="4.99").status is OFF


def test_without_an_observation_of_the_year_there_is_no_data():
    result = assessed(GDP, 2023, y2022="120")
    assert (result.status, result.actual_value, result.completion_ratio, result.required_annual_growth) == (
        NONE,
        None,
        None,
        None,
    )
    assert result.expected_value == Decimal("126.32")


def test_the_projection_of_a_year_on_the_planned_line_reaches_the_target():
    assert assessed(GDP, 2021, y2021="105.64").projected_value == Decimal(147)


def test_the_projection_is_the_least_squares_line_read_at_2025():
    parks = indicator(baseline="0", target="4", code=12)  # 12: 特色产业园数量 0 → 4
    # (2020, 0), (2021, 1), (2022, 5): mean (2021, 2), slope 5 / 2 → 2 + 2.5 × 4 = 12.
    assert assessed(parks, 2022, y2021="1", y2022="5").projected_value == Decimal(12)


def test_the_projection_without_a_baseline_uses_the_observations_only():
    assert assessed(REVENUE, 2022, y2021="200", y2022="300").projected_value == Decimal(600)


@pytest.mark.parametrize(
    ("ind", "values"),
    [(GDP, {}), (REVENUE, {"y2022": "300"})],
    ids=["baseline-only", "one-observation-no-baseline"],
)
def test_no_projection_from_a_single_point(ind, values):
    assert assessed(ind, 2022, **values).projected_value is None


def test_observations_after_the_year_are_not_used():
    result = assessed(REVENUE, 2022, y2021="200", y2022="300", y2023="1000")
    assert (result.actual_value, result.projected_value) == (Decimal(300), Decimal(600))


def test_observations_of_other_indicators_are_not_used():
    result = assess(GDP, [observation(REVENUE, 2023, "130")], 2023, plan=PLAN)
    assert result.status is NONE


def growth_target(target="121"):
    return indicator(baseline=None, target=target, code=5)


def test_required_growth_over_two_years():
    growth = assessed(growth_target(), 2023, y2023="100").required_annual_growth
    assert abs(growth - Decimal("0.1")) < Decimal("1e-25")  # √1.21 − 1


def test_required_growth_over_one_year_is_the_whole_gap():
    assert assessed(growth_target(), 2024, y2024="100").required_annual_growth == Decimal("0.21")


def test_required_growth_over_three_years():
    growth = assessed(growth_target("133.1"), 2022, y2022="100").required_annual_growth
    assert abs(growth - Decimal("0.1")) < Decimal("1e-25")  # ∛1.331 − 1


def test_required_growth_is_negative_when_a_is_past_the_target():
    growth = assessed(growth_target("100"), 2024, y2024="125").required_annual_growth
    assert growth == Decimal("-0.2")


@pytest.mark.parametrize(
    ("target", "year", "actual"),
    [("121", 2025, "100"), ("121", 2023, "0"), ("121", 2023, "-5"), ("-10", 2023, "5")],
    ids=["Y-is-T0", "A-zero", "A-negative", "no-real-root"],
)
def test_no_required_growth(target, year, actual):
    assert assessed(growth_target(target), year, **{f"y{year}": actual}).required_annual_growth is None


@pytest.mark.parametrize("year", [2020, 2026])
def test_a_year_outside_the_plan_is_refused(year):
    with pytest.raises(InvalidValue) as refused:
        assessed(GDP, year)
    assert refused.value.field == "year"


def test_the_registry_count_shows_beside_a_reported_figure_only():
    hnte = indicator(baseline="111", target="160", code=8)
    reported = assess(hnte, [observation(hnte, 2023, "140")], 2023, plan=PLAN, registry_value=137)
    missing = assess(hnte, [], 2023, plan=PLAN, registry_value=137)
    assert (reported.registry_value, missing.registry_value) == (137, None)
