"""The sample's indicator figures: on each indicator's path at its own pace, with the gaps they are meant
to show (no figure at all for 16, none for 2025 for 23), whole numbers where the unit counts things."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.planning.indicators import Indicator
from infrastructure.sample.figures import YEARS, figure, pace
from infrastructure.seed.planning import load


def seeded() -> list[Indicator]:
    return [
        Indicator(
            plan_id="plan",
            code=row["code"],
            area=row["area"],
            name=row["name"],
            unit=row["unit"],
            baseline_value=None if row["baseline_value"] is None else Decimal(row["baseline_value"]),
            target_value=None if row["target_value"] is None else Decimal(row["target_value"]),
        )
        for row in load()["indicators"]
    ]


def test_paces_differ_between_indicators_and_stay_between_70_and_114_percent():
    paces = {code: pace(code) for code in range(1, 25)}
    assert min(paces.values()) >= Decimal("0.70") and max(paces.values()) <= Decimal("1.14")
    assert any(p >= 1 for p in paces.values()) and any(p < Decimal("0.8") for p in paces.values())


@pytest.mark.parametrize("indicator", seeded(), ids=lambda i: str(i.code))
def test_each_figure_lies_on_the_path_from_baseline_to_target(indicator):
    values = {year: figure(indicator, year) for year in YEARS}
    if indicator.code == 16:
        assert set(values.values()) == {None}
        return
    assert (values[2025] is None) == (indicator.code == 23)
    known = [v for v in values.values() if v is not None]
    assert known, "an indicator with a target has figures"
    if indicator.unit in ("个", "家", "件", "项", "人"):
        assert all(v == v.to_integral_value() for v in known)
    if indicator.baseline_value is not None and indicator.target_value != indicator.baseline_value:
        rising = indicator.target_value > indicator.baseline_value
        assert known == sorted(known, reverse=not rising)  # every year further along the path
