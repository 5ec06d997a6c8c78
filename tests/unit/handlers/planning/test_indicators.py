"""The indicator handlers without a database: Table 1's rows, yearly figures, the assessment of a year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.planning.assessment import AssessmentStatus
from domain.planning.handlers import indicators
from domain.planning.indicators import Indicator, Observation
from domain.shared.errors import Duplicate, InvalidValue, NotFound
from tests.unit.handlers.planning.world import Expecting, Stale, world

GDP = {"plan_id": "plan", "code": 2, "area": "经济发展", "name": "地区生产总值", "unit": "亿元"}


def with_gdp():
    """The plan with Table 1's row 2: 地区生产总值 95.3 (2020) → 147 (2025)."""
    uow = world()
    uow.indicators.items["gdp"] = Indicator(
        id="gdp", **{k: v for k, v in GDP.items()}, baseline_value=Decimal("95.3"), target_value=Decimal(147)
    )
    return uow


async def test_an_indicator_is_added_to_its_plan():
    uow = world()
    made = await indicators.create_indicator(GDP | {"baseline_value": "95.3", "target_value": "147"}, uow=uow)
    assert uow.indicators.items[made.id] is made and made.target_value == Decimal(147)
    assert (made.baseline_year, made.target_year) == (2020, 2025)
    assert uow.commits == 1


async def test_an_indicator_of_an_unknown_plan_or_a_taken_code_is_refused():
    uow = with_gdp()
    with pytest.raises(InvalidValue) as unknown:
        await indicators.create_indicator(GDP | {"plan_id": "nope", "target_value": 1}, uow=uow)
    assert unknown.value.field == "plan_id"
    with pytest.raises(Duplicate):
        await indicators.create_indicator(GDP | {"target_value": 1}, uow=uow)
    assert set(uow.indicators.items) == {"gdp"} and uow.commits == 0


async def test_a_change_is_checked_against_what_the_caller_expected():
    uow = with_gdp()
    expect = Expecting()
    changed = await indicators.update_indicator(
        "gdp", {"baseline_value": None, "note": " 表1为准 "}, expect=expect, uow=uow
    )
    assert expect.shown == [uow.indicators.items["gdp"]]
    assert changed.baseline_value is None and changed.note == "表1为准" and uow.commits == 1


async def test_a_stale_or_invalid_change_is_refused():
    uow = with_gdp()
    with pytest.raises(Stale):
        await indicators.update_indicator("gdp", {"name": "x"}, expect=Expecting(stale=True), uow=uow)
    assert uow.indicators.items["gdp"].name == "地区生产总值"
    with pytest.raises(InvalidValue) as years:
        await indicators.update_indicator("gdp", {"baseline_year": 2025}, expect=Expecting(), uow=uow)
    assert years.value.field == "target_year"
    with pytest.raises(NotFound):
        await indicators.update_indicator("nope", {"name": "x"}, expect=Expecting(), uow=uow)
    assert uow.commits == 0


async def test_the_first_figure_of_a_year_is_new_and_raises_indicator_observed():
    uow = with_gdp()
    expect = Expecting()
    observation, created = await indicators.record_observation(
        "gdp", 2023, "120.5", source=" 统计局 ", note=None, expect=expect, uow=uow
    )
    assert created and expect.shown == [None]  # nothing there yet: the caller is shown no version
    assert uow.observations.items[observation.id].value == Decimal("120.5") and observation.source == "统计局"
    [event] = uow.published
    assert event.type == "indicator.observed" and event.subject_id == "gdp"
    assert (event.data["year"], event.data["value"], event.data["previous_value"]) == (2023, "120.5", None)
    assert uow.commits == 1


async def test_a_later_figure_replaces_the_year_and_names_the_previous_value():
    uow = with_gdp()
    first = Observation(id="obs-2023", indicator_id="gdp", year=2023, value=Decimal("120.5"))
    uow.observations.items[first.id] = first
    expect = Expecting()
    observation, created = await indicators.record_observation(
        "gdp", 2023, 121.8, source=None, note="修正", expect=expect, uow=uow
    )
    assert not created and observation is first and expect.shown == [first]
    assert list(uow.observations.items) == ["obs-2023"] and first.value == Decimal("121.8")
    assert uow.published[-1].data["previous_value"] == "120.5"


async def test_a_figure_expected_stale_or_outside_the_plan_is_not_written():
    uow = with_gdp()
    with pytest.raises(Stale):
        await indicators.record_observation(
            "gdp", 2023, 1, source=None, note=None, expect=Expecting(stale=True), uow=uow
        )
    with pytest.raises(InvalidValue) as outside:
        await indicators.record_observation(
            "gdp", 2026, 1, source=None, note=None, expect=Expecting(), uow=uow
        )
    assert outside.value.field == "year"
    with pytest.raises(InvalidValue) as not_a_number:
        await indicators.record_observation(
            "gdp", 2023, "很多", source=None, note=None, expect=Expecting(), uow=uow
        )
    assert not_a_number.value.field == "value"
    assert uow.observations.items == {} and uow.published == [] and uow.commits == 0


async def test_the_assessment_reads_the_figures_up_to_the_year():
    uow = with_gdp()
    for year, value in ((2022, "110"), (2023, "126.32"), (2024, "200")):
        uow.observations.add(Observation(indicator_id="gdp", year=year, value=Decimal(value)))
    assessment = await indicators.assess_indicator("gdp", 2023, uow=uow)
    # E(2023) = 95.3 + (147 − 95.3) × 3/5; the 2024 figure is not read for 2023.
    assert assessment.expected_value == Decimal("126.32") and assessment.actual_value == Decimal("126.32")
    assert assessment.status is AssessmentStatus.ON_TRACK and assessment.registry_value is None
    with pytest.raises(InvalidValue):
        await indicators.assess_indicator("gdp", 2030, uow=uow)


async def test_a_live_indicator_shows_the_registry_count_beside_the_years_figure():
    uow = world()
    for ident, code in (("hnte", 8), ("listed", 11)):
        uow.indicators.items[ident] = Indicator(
            id=ident, plan_id="plan", code=code, area="创新", name=ident, unit="家", target_value=100
        )
    uow.observations.add(Observation(indicator_id="hnte", year=2024, value=Decimal(60)))
    uow.observations.add(Observation(indicator_id="listed", year=2024, value=Decimal(6)))
    uow.live_indicators.counts, uow.live_indicators.not_counted = {8: 64, 11: 5}, {11: 2}
    hnte = await indicators.assess_indicator("hnte", 2024, uow=uow)
    listed = await indicators.assess_indicator("listed", 2024, uow=uow)
    assert (hnte.registry_value, hnte.registry_not_counted) == (64, None)
    assert (listed.registry_value, listed.registry_not_counted) == (5, 2)
    unobserved = await indicators.assess_indicator("hnte", 2023, uow=uow)
    assert unobserved.registry_value is None  # shown beside a reported figure only


async def test_pages_of_indicators_go_by_code_and_of_observations_by_year():
    uow = world()
    for code in (3, 1, 2):
        await indicators.create_indicator(GDP | {"code": code, "target_value": 1}, uow=uow)
    first = await indicators.indicators_page("plan", after=None, limit=1, uow=uow)
    assert [i.code for i in first] == [1, 2]
    rest = await indicators.indicators_page("plan", after=[first[0].code, first[0].id], limit=5, uow=uow)
    assert [i.code for i in rest] == [2, 3]
    some = first[0]
    for year in (2024, 2022):
        uow.observations.add(Observation(indicator_id=some.id, year=year, value=Decimal(1)))
    page = await indicators.observations_page(some.id, after=2022, limit=5, uow=uow)
    assert [o.year for o in page] == [2024]
    with pytest.raises(NotFound):
        await indicators.observations_page("nope", after=None, limit=5, uow=uow)
