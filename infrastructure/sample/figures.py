"""The sample's yearly figures of the plan's indicators (2021–2025), so that the evaluations, the report's
charts and a successor plan's baselines have something to show. Labelled: each says 示例 in its source and
note; none is an official statistic.

Each indicator moves from its baseline towards its target at a pace of its own (some ahead, some behind,
so that every assessment status appears); 新型研发机构数量 (16) has no figure at all and 单位工业增加值
能耗 (23) none for 2025, so that `no_data` and a successor's missing baseline can be tried too.
"""

from __future__ import annotations

from decimal import Decimal

from domain.planning.handlers.indicators import observe
from infrastructure.seed import planning as seeded_plan

YEARS = range(2021, 2026)
SOURCE = "【示例】统计快报"
NOTE = "示例数据，非官方统计"
NOT_OBSERVED = {16: YEARS, 23: (2025,)}
WHOLE_UNITS = ("个", "家", "件", "项", "人")


def pace(code: int) -> Decimal:
    """How far along its path an indicator gets by 2025: 0.70–1.14 of the way, fixed by its code."""
    return Decimal(70 + (code * 37) % 45) / 100


def figure(indicator, year: int) -> Decimal | None:
    """The sample's figure of `year`, on the straight path from baseline to target at the indicator's pace."""
    if year in NOT_OBSERVED.get(indicator.code, ()) or indicator.target_value is None:
        return None
    start = indicator.baseline_value
    if start is None:  # no baseline in the plan: figures only from 2023, starting at 60 % of the target
        if year < 2023:
            return None
        start = indicator.target_value * Decimal("0.6")
    value = start + (indicator.target_value - start) * pace(indicator.code) * (year - 2020) / 5
    places = Decimal(1) if indicator.unit in WHOLE_UNITS else Decimal("0.01")
    return value.quantize(places)


async def indicator_figures(uow, loaded) -> None:
    """Record the figures of every indicator of the seeded plan through the planning handler."""
    plan = await uow.plans.by_title(seeded_plan.load()["plan"]["title"])
    written = 0
    for indicator in await uow.indicators.of_plan(plan.id):
        for year in YEARS:
            value = figure(indicator, year)
            if value is not None:
                await observe(indicator, year, value, source=SOURCE, note=NOTE, uow=uow)
                written += 1
    loaded.counts["indicator figures"] = written
