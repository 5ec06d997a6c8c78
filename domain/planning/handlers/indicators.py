"""Indicators (指标): Table 1's rows, their yearly observations, and their assessment in a year."""

from __future__ import annotations

from typing import Any

from domain.planning.assessment import Assessment, assess
from domain.planning.handlers.common import get_plan, referenced_plan
from domain.planning.indicators import Indicator, Observation
from domain.planning.ports import LIVE_INDICATOR_CODES, PlanningUnitOfWork
from domain.shared.errors import Duplicate

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


async def update_indicator(
    indicator: Indicator, changes: dict[str, Any], *, uow: PlanningUnitOfWork
) -> Indicator:
    """Change an indicator's fields (a removed baseline is `null`)."""
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


async def observe(
    indicator: Indicator,
    year: int,
    value: Any,
    *,
    source: str | None,
    note: str | None,
    uow: PlanningUnitOfWork,
) -> tuple[Observation, bool]:
    """Record the figure of a plan year; a later one replaces it (the audit log keeps the old value).

    Returns the observation and whether it is new.
    """
    plan = await get_plan(indicator.plan_id, uow=uow)
    existing = await uow.observations.of_year(indicator.id, year)
    observation = indicator.observe(year, value, plan=plan, source=source, note=note, existing=existing)
    if existing is None:
        uow.observations.add(observation)
    await uow.commit()
    return observation, existing is None


async def assess_indicator(indicator: Indicator, year: int, *, uow: PlanningUnitOfWork) -> Assessment:
    """The indicator in `year`: expected, actual, completion, status, projection, growth still needed."""
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
