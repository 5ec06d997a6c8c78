"""Indicators (指标): Table 1's rows, their yearly observations, and their assessment in a year."""

from __future__ import annotations

from typing import Any

from domain.planning.assessment import Assessment, assess
from domain.planning.handlers.common import get_indicator, get_plan, referenced_plan
from domain.planning.indicators import Indicator, Observation
from domain.planning.ports import LIVE_INDICATOR_CODES, PlanningUnitOfWork
from domain.shared.errors import Duplicate
from domain.shared.uow import Expectation, no_expectation

INDICATOR_FIELDS = (
    "code",
    "area",
    "name",
    "unit",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "nature",
    "direction",
    "note",
)


async def create_indicator(data: dict[str, Any], *, uow: PlanningUnitOfWork) -> Indicator:
    """Add an indicator to a plan; its code is unique in the plan."""
    plan = await referenced_plan(data["plan_id"], uow=uow)
    values = {key: data[key] for key in INDICATOR_FIELDS if data.get(key) is not None}
    indicator = Indicator(plan_id=plan.id, **values)
    await _check_code_unique(indicator, uow=uow)
    uow.indicators.add(indicator)
    await uow.commit()
    return indicator


async def indicators_page(
    plan_id: str | None, *, after: list | None, limit: int, uow: PlanningUnitOfWork
) -> list[Indicator]:
    """A page of indicators (of a plan, or all) in Table 1 order: by code, then id."""
    return await uow.indicators.in_code_order(plan_id, after=after, limit=limit)


async def update_indicator(
    indicator_id: str, changes: dict[str, Any], *, expect: Expectation, uow: PlanningUnitOfWork
) -> Indicator:
    """Change an indicator's fields (a removed baseline is `null`), as the caller expected it to be."""
    indicator = await get_indicator(indicator_id, uow=uow)
    expect(indicator)
    for key in INDICATOR_FIELDS:
        if key in changes:
            setattr(indicator, key, changes[key])
    indicator.validate()
    await _check_code_unique(indicator, uow=uow)
    await uow.commit()
    return indicator


async def _check_code_unique(indicator: Indicator, *, uow: PlanningUnitOfWork) -> None:
    other = await uow.indicators.by_code(indicator.plan_id, indicator.code)
    if other is not None and other.id != indicator.id:
        raise Duplicate(
            f"the plan has an indicator {indicator.code} already", f"本规划已有序号为 {indicator.code} 的指标"
        )


async def observations_page(
    indicator_id: str, *, after: int | None, limit: int, uow: PlanningUnitOfWork
) -> list[Observation]:
    """A page of the indicator's observations, by year (404 for an unknown indicator)."""
    indicator = await get_indicator(indicator_id, uow=uow)
    return await uow.observations.in_year_order(indicator.id, after=after, limit=limit)


async def record_observation(
    indicator_id: str,
    year: int,
    value: Any,
    *,
    source: str | None,
    note: str | None,
    expect: Expectation,
    uow: PlanningUnitOfWork,
) -> tuple[Observation, bool]:
    """PUT: the figure of a plan year for the indicator by id (`observe`)."""
    indicator = await get_indicator(indicator_id, uow=uow)
    return await observe(indicator, year, value, source=source, note=note, expect=expect, uow=uow)


async def observe(
    indicator: Indicator,
    year: int,
    value: Any,
    *,
    source: str | None,
    note: str | None,
    expect: Expectation = no_expectation,
    uow: PlanningUnitOfWork,
) -> tuple[Observation, bool]:
    """Record the figure of a plan year; a later one replaces it (the audit log keeps the old value).

    `expect` is called with the year's figure (None when there is none yet) before anything changes.
    Returns the observation and whether it is new.
    """
    existing = await uow.observations.of_year(indicator.id, year)
    expect(existing)
    plan = await get_plan(indicator.plan_id, uow=uow)
    observation = indicator.observe(year, value, plan=plan, source=source, note=note, existing=existing)
    if existing is None:
        uow.observations.add(observation)
    await uow.commit()
    return observation, existing is None


async def assess_indicator(indicator_id: str, year: int, *, uow: PlanningUnitOfWork) -> Assessment:
    """The indicator in `year`: expected, actual, completion, status, projection, growth still needed."""
    indicator = await get_indicator(indicator_id, uow=uow)
    plan = await get_plan(indicator.plan_id, uow=uow)
    plan.check_year(year)
    observations = await uow.observations.of_indicators([indicator.id], until_year=year)
    live = indicator.code in LIVE_INDICATOR_CODES
    registry, not_counted = await uow.live_indicators.tally(year) if live else ({}, {})
    return assess(
        indicator,
        observations,
        year,
        plan=plan,
        registry_value=registry.get(indicator.code),
        registry_not_counted=not_counted.get(indicator.code),
    )
