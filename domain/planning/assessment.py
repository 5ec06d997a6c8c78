"""Assessment (评估) of an indicator in a year of the plan: DOMAIN.md §1's formulas, in exact decimals.

Every value is a Decimal. The required annual growth has a fractional power; Decimal computes it too
(correctly rounded to the context's 28 digits), so no float enters any comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.planning.indicators import Direction, Indicator, Nature, Observation
from domain.planning.plan import Plan

AT_RISK_BAND = Decimal("0.1")  # shortfall ≤ 10 % of |T − B| (of |T| without a baseline)


class AssessmentStatus(StrEnum):
    """指标进度状态."""

    NO_DATA = "no_data"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


@dataclass(frozen=True, slots=True)
class Assessment:
    """指标评估: expected vs actual in year Y, completion, status, projection to T0, growth still needed.

    `completion_ratio` and `required_annual_growth` are fractions (0.5 = 50 %), not points.
    """

    indicator_id: str
    year: int
    expected_value: Decimal | None  # None while the indicator has no target
    actual_value: Decimal | None
    completion_ratio: Decimal | None
    status: AssessmentStatus
    projected_value: Decimal | None
    required_annual_growth: Decimal | None
    registry_value: int | None = None
    registry_not_counted: int | None = None  # 11: listed enterprises left out, their listing date unknown


def expected_value(indicator: Indicator, year: int) -> Decimal | None:
    """E(Y) = B + (T − B) × (Y − B0) / (T0 − B0); without a baseline, T; without a target, none."""
    base, target = indicator.baseline_value, indicator.target_value
    if target is None:
        return None
    if base is None:
        return target
    return base + (target - base) * (year - indicator.baseline_year) / (
        indicator.target_year - indicator.baseline_year
    )


def completion_ratio(indicator: Indicator, actual: Decimal | None) -> Decimal | None:
    """(A − B) / (T − B); without a baseline A / T (`up`) or T / A (`down`); None when a denominator is 0
    or the target is not set."""
    base, target = indicator.baseline_value, indicator.target_value
    if actual is None or target is None:
        return None
    if base is not None:
        numerator, denominator = actual - base, target - base
    elif indicator.direction is Direction.UP:
        numerator, denominator = actual, target
    else:
        numerator, denominator = target, actual
    return None if denominator == 0 else numerator / denominator


def status_of(indicator: Indicator, actual: Decimal | None, expected: Decimal | None) -> AssessmentStatus:
    """On track at or beyond E(Y) in the indicator's direction; at risk within the band (`expected` only);
    no data without an actual, or without a target to measure it against."""
    base, target = indicator.baseline_value, indicator.target_value
    if actual is None or expected is None or target is None:
        return AssessmentStatus.NO_DATA
    shortfall = expected - actual if indicator.direction is Direction.UP else actual - expected
    if shortfall <= 0:
        return AssessmentStatus.ON_TRACK
    span = abs(target - base) if base is not None else abs(target)
    if indicator.nature is Nature.EXPECTED and shortfall <= AT_RISK_BAND * span:
        return AssessmentStatus.AT_RISK
    return AssessmentStatus.OFF_TRACK


def projected_value(indicator: Indicator, observations: Iterable[Observation], year: int) -> Decimal | None:
    """Least squares through (B0, B) and each observation up to Y, read at T0; None under 2 points."""
    points = [(Decimal(o.year), o.value) for o in observations if o.year <= year]
    if indicator.baseline_value is not None:
        points.append((Decimal(indicator.baseline_year), indicator.baseline_value))
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:  # every point in one year: no line
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    return mean_y + slope * (indicator.target_year - mean_x)


def required_annual_growth(indicator: Indicator, actual: Decimal | None, year: int) -> Decimal | None:
    """(T / A)^(1 / (T0 − Y)) − 1; None when A or T is missing, A ≤ 0, Y ≥ T0, or T / A < 0."""
    target = indicator.target_value
    if target is None or actual is None or actual <= 0 or year >= indicator.target_year:
        return None
    ratio = target / actual
    if ratio < 0:
        return None
    return ratio ** (Decimal(1) / (indicator.target_year - year)) - 1


def assess(
    indicator: Indicator,
    observations: Iterable[Observation],
    year: int,
    *,
    plan: Plan,
    registry_value: int | None = None,
    registry_not_counted: int | None = None,
) -> Assessment:
    """Assess `indicator` in `year` (a year of the plan, else 422) from its observations up to that year.

    `registry_value` (the live count of indicators 8–11) is shown beside the reported figure whenever both
    exist, so it is dropped while the year has no observation; so is `registry_not_counted`, what that
    count leaves out for want of a date (indicator 11: listed enterprises whose listing date is unknown).
    """
    plan.check_year(year)
    own = [o for o in observations if o.indicator_id == indicator.id and o.year <= year]
    actual = next((o.value for o in own if o.year == year), None)
    expected = expected_value(indicator, year)
    return Assessment(
        indicator_id=indicator.id,
        year=year,
        expected_value=expected,
        actual_value=actual,
        completion_ratio=completion_ratio(indicator, actual),
        status=status_of(indicator, actual, expected),
        projected_value=projected_value(indicator, own, year),
        required_annual_growth=required_annual_growth(indicator, actual, year),
        registry_value=registry_value if actual is not None else None,
        registry_not_counted=registry_not_counted
        if actual is not None and registry_value is not None
        else None,
    )
