"""Indicators (指标): the plan's Table 1, and the yearly observations reported against them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from domain.planning import events
from domain.planning._values import optional_text, required_text, to_decimal, to_enum
from domain.planning.plan import Plan
from domain.shared.errors import InvalidValue
from domain.shared.events import RecordsEvents
from domain.shared.ids import new_id


class Nature(StrEnum):
    """指标属性: 预期性 (expected) or 约束性 (binding)."""

    EXPECTED = "expected"
    BINDING = "binding"


class Direction(StrEnum):
    """Which way is better: `up`, or `down` (e.g. 23, energy per unit of value added)."""

    UP = "up"
    DOWN = "down"


@dataclass(eq=False, kw_only=True)
class Observation:
    """指标实际值: one year's figure, with its source and a note."""

    id: str = field(default_factory=new_id)
    indicator_id: str
    year: int
    value: Decimal
    source: str | None = None
    note: str | None = None


@dataclass(eq=False, kw_only=True)
class Indicator(RecordsEvents):
    """指标: a row of Table 1 — baseline (2020, may be absent), target (2025; absent until planners set it,
    as in a successor plan's first days), nature and direction."""

    id: str = field(default_factory=new_id)
    plan_id: str
    code: int
    area: str
    name: str
    unit: str
    baseline_year: int = 2020
    baseline_value: Decimal | None = None
    target_year: int = 2025
    target_value: Decimal | None = None
    nature: Nature = Nature.EXPECTED
    direction: Direction = Direction.UP
    note: str | None = None  # e.g. where the plan's prose and Table 1 disagree (recorded, never "fixed")

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check the fields again (call after changing them, e.g. on PATCH)."""
        if isinstance(self.code, bool) or not isinstance(self.code, int) or self.code < 1:
            raise InvalidValue(
                "code must be a whole number from 1", "指标序号须为从1开始的整数", field="code"
            )
        self.area = required_text(self.area, field="area", en="area", zh="领域")
        self.name = required_text(self.name, field="name", en="name", zh="指标名称")
        self.unit = (self.unit or "").strip()
        if not self.baseline_year < self.target_year:
            raise InvalidValue(
                "baseline_year must be before target_year", "基期年份须早于目标年份", field="target_year"
            )
        if self.baseline_value is not None:
            self.baseline_value = to_decimal(
                self.baseline_value, field="baseline_value", en="baseline", zh="基期值"
            )
        if self.target_value is not None:
            self.target_value = to_decimal(self.target_value, field="target_value", en="target", zh="目标值")
        self.nature = to_enum(Nature, self.nature, field="nature")
        self.direction = to_enum(Direction, self.direction, field="direction")
        self.note = optional_text(self.note)

    def observe(
        self,
        year: int,
        value: Decimal | int | str,
        *,
        plan: Plan,
        source: str | None = None,
        note: str | None = None,
        existing: Observation | None = None,
    ) -> Observation:
        """Record the figure of `year` (a plan year); `existing`, that year's earlier figure, is replaced."""
        plan.check_year(year)
        number = to_decimal(value, field="value", en="value", zh="指标值")
        previous = existing.value if existing is not None else None
        if existing is None:
            observation = Observation(indicator_id=self.id, year=year, value=number)
        else:
            if existing.indicator_id != self.id or existing.year != year:
                raise InvalidValue(
                    "the observation replaced is of another year", "被替换的实际值年份不符", field="year"
                )
            observation = existing
        observation.value, observation.source, observation.note = (
            number,
            optional_text(source),
            optional_text(note),
        )
        self.record_event(events.indicator_observed(self, observation, previous))
        return observation
