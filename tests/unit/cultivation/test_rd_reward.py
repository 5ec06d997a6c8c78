"""研发奖励: ceiling of 10 % of R&D for tech_sme-or-above enterprises with intensity > 5 %."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.cultivation.rd_reward import rd_reward
from domain.cultivation.tiers import Tier

from .builders import YEAR, cert, metrics

TECH_SME = [cert("tech_sme", date(2023, 3, 1))]


@pytest.mark.parametrize(
    ("rd", "ceiling"),
    [("500", Decimal(0)), ("499.99", Decimal(0)), ("500.01", Decimal("50.001")), ("1200", Decimal(120))],
)
def test_intensity_strictly_above_5_percent_earns_10_percent_of_rd(rd: str, ceiling: Decimal) -> None:
    reward = rd_reward(TECH_SME, metrics(revenue=Decimal(10000), rd_expense=Decimal(rd)), YEAR)
    assert reward.intensity == Decimal(rd) / 10000
    assert reward.ceiling == ceiling


def test_exactly_5_percent_earns_nothing() -> None:
    reward = rd_reward(TECH_SME, metrics(revenue=Decimal(10000), rd_expense=Decimal(500)), YEAR)
    assert (reward.intensity, reward.ceiling) == (Decimal("0.05"), Decimal(0))
    assert reward.as_dict() == {"year": 2023, "intensity": 0.05, "ceiling": "0"}


def test_the_tier_is_the_one_on_31_december() -> None:
    data = metrics(revenue=Decimal(10000), rd_expense=Decimal(800))
    assert rd_reward([], data, YEAR).ceiling == 0
    assert rd_reward([], data, YEAR).tier is Tier.NONE
    lapsed = [cert("hnte", date(2020, 12, 31))]  # last valid day 2023-12-30
    assert rd_reward(lapsed, data, YEAR).ceiling == 0
    valid = [cert("hnte", date(2021, 1, 1))]  # valid on 2023-12-31
    reward = rd_reward(valid, data, YEAR)
    assert (reward.tier, reward.ceiling) == (Tier.HNTE, Decimal(80))
    assert reward.as_dict() == {"year": 2023, "intensity": 0.08, "ceiling": "80.0"}


def test_designations_beside_the_ladder_do_not_qualify() -> None:
    data = metrics(revenue=Decimal(10000), rd_expense=Decimal(800))
    assert rd_reward([cert("little_giant", date(2022, 1, 1))], data, YEAR).ceiling == 0


@pytest.mark.parametrize(
    ("revenue", "rd"),
    [(None, Decimal(800)), (Decimal(0), Decimal(800)), (Decimal(10000), None)],
)
def test_missing_revenue_or_rd_gives_null_intensity_and_ceiling(
    revenue: Decimal | None, rd: Decimal | None
) -> None:
    reward = rd_reward(TECH_SME, metrics(revenue=revenue, rd_expense=rd), YEAR)
    assert (reward.intensity, reward.ceiling) == (None, None)
    assert reward.as_dict() == {"year": 2023, "intensity": None, "ceiling": None}


def test_no_metrics_record() -> None:
    assert rd_reward(TECH_SME, None, YEAR).ceiling is None
    assert rd_reward([], None, YEAR).ceiling == 0  # no qualifying tier: nothing to compute


def test_metrics_of_another_year_are_refused() -> None:
    from domain.shared.errors import InvalidValue

    with pytest.raises(InvalidValue) as caught:
        rd_reward(TECH_SME, metrics(2022, revenue=Decimal(1), rd_expense=Decimal(1)), YEAR)
    assert caught.value.field == "year"
