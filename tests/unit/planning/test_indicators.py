from decimal import Decimal

import pytest

from domain.planning.indicators import Direction, Indicator, Nature, Observation
from domain.shared.errors import InvalidValue

from .builders import PLAN


def energy(**fields):
    values = {
        "plan_id": "plan",
        "code": 23,
        "area": "生态宜居",
        "name": "单位工业增加值综合能耗",
        "unit": "吨标准煤/万元",
        "target_value": "0.4",
        "nature": "binding",
        "direction": "down",
    }
    values.update(fields)
    return Indicator(**values)


def test_indicator_23_as_table_1_gives_it():
    made = energy()
    assert (made.baseline_year, made.baseline_value, made.target_year, made.target_value) == (
        2020,
        None,
        2025,
        Decimal("0.4"),
    )
    assert (made.nature, made.direction) == (Nature.BINDING, Direction.DOWN)


def test_a_float_baseline_is_kept_as_its_decimal():
    assert energy(baseline_value=95.3).baseline_value == Decimal("95.3")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": 0}, "code"),
        ({"code": "1"}, "code"),
        ({"name": ""}, "name"),
        ({"area": " "}, "area"),
        ({"nature": "mandatory"}, "nature"),
        ({"direction": "sideways"}, "direction"),
        ({"target_value": "n/a"}, "target_value"),
        ({"baseline_value": "-"}, "baseline_value"),
        ({"baseline_year": 2025}, "target_year"),
    ],
)
def test_invalid_fields_are_named(fields, field):
    with pytest.raises(InvalidValue) as refused:
        energy(**fields)
    assert refused.value.field == field


@pytest.mark.parametrize("year", [2021, 2025])
def test_an_observation_in_a_plan_year_is_recorded(year):
    indicator = energy()
    made = indicator.observe(year, "0.45", plan=PLAN, source="统计局", note="初步核算")
    assert (made.indicator_id, made.year, made.value, made.source, made.note) == (
        indicator.id,
        year,
        Decimal("0.45"),
        "统计局",
        "初步核算",
    )
    [event] = indicator.pull_events()
    assert (event.type, event.subject_type, event.subject_id) == (
        "indicator.observed",
        "indicator",
        indicator.id,
    )
    assert (
        event.data["year"] == year and event.data["value"] == "0.45" and event.data["previous_value"] is None
    )


@pytest.mark.parametrize("year", [2020, 2026])
def test_an_observation_outside_the_plan_is_refused(year):
    indicator = energy()
    with pytest.raises(InvalidValue) as refused:
        indicator.observe(year, "0.45", plan=PLAN)
    assert refused.value.field == "year"
    assert indicator.pull_events() == []


def test_a_later_figure_for_the_same_year_replaces_the_earlier_one():
    indicator = energy()
    first = indicator.observe(2023, "0.45", plan=PLAN, source="快报")
    again = indicator.observe(2023, "0.43", plan=PLAN, source="年报", existing=first)
    assert again is first
    assert (again.value, again.source) == (Decimal("0.43"), "年报")
    assert indicator.pull_events()[-1].data["previous_value"] == "0.45"


def test_the_replaced_observation_must_be_of_that_year():
    indicator = energy()
    other = Observation(indicator_id=indicator.id, year=2022, value=Decimal(1))
    with pytest.raises(InvalidValue):
        indicator.observe(2023, "0.43", plan=PLAN, existing=other)


def test_a_value_that_is_no_number_is_refused():
    with pytest.raises(InvalidValue) as refused:
        energy().observe(2023, "about 0.4", plan=PLAN)
    assert refused.value.field == "value"
