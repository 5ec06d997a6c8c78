"""The whole registry through the handlers: screening a rule set over it, and the tier pyramid on a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.cultivation.handlers.registry import run_screening, tier_statistics
from domain.cultivation.sensitive import ELIGIBILITY_READ
from domain.shared.errors import InvalidValue
from tests.unit.handlers.cultivation.support import (
    OFFICER,
    TODAY,
    VIEWER,
    certification_in,
    enterprise_in,
    metrics_in,
)


def with_revenue(uow, name: str, main_business_revenue: int, **details):
    enterprise = enterprise_in(uow, name, **details)
    metrics_in(uow, enterprise, 2023, main_business_revenue=main_business_revenue)
    return enterprise


@pytest.fixture
def registry(uow):
    """规上 screening for 2023: one passes, one falls short, one holds it already, one moved out."""
    passing = with_revenue(uow, "达标企业", 2000)
    with_revenue(uow, "差一点", 1999)
    holder = with_revenue(uow, "已是规上", 9000)
    certification_in(uow, holder, "above_scale", date(2020, 1, 1))
    with_revenue(uow, "已迁出", 9000, status="moved_out")
    return passing


async def test_screening_finds_who_passes_and_does_not_hold_the_designation(uow, reads, registry):
    body = await run_screening("above_scale", 2023, uow=uow, principal=OFFICER, record_reads=reads)
    assert (body["rule_set"], body["version"], body["year"]) == ("above_scale", 1, 2023)
    (candidate,) = body["candidates"]
    assert (candidate["enterprise_id"], candidate["name"]) == (registry.id, "达标企业")
    assert candidate["result"]["criteria"] == [
        {"name": "main_business_revenue_min", "actual": "2000", "threshold": "2000", "passed": True}
    ]
    (read,) = reads.reads
    assert (read.enterprise_id, read.fields, dict(read.details)) == (
        registry.id,
        ELIGIBILITY_READ,
        {"view": "screening", "rule_set": "above_scale", "version": 1, "year": 2023},
    )
    assert uow.commits == 0


async def test_batches_of_any_size_screen_the_same(uow, reads, registry):
    whole = await run_screening("above_scale", 2023, uow=uow, principal=OFFICER, record_reads=reads)
    for size in (1, 2, 3):
        batched = await run_screening(
            "above_scale", 2023, uow=uow, principal=OFFICER, record_reads=reads, batch=size
        )
        assert batched == whole


async def test_a_viewer_sees_candidates_without_figures_and_no_read_is_logged(uow, reads, registry):
    body = await run_screening("above_scale", 2023, uow=uow, principal=VIEWER, record_reads=reads)
    (candidate,) = body["candidates"]
    assert candidate["name"] == "达标企业" and candidate["result"]["eligible"] is None
    assert [row["actual"] for row in candidate["result"]["criteria"]] == [None]
    assert reads.batches == []


async def test_no_candidate_no_read(uow, reads):
    with_revenue(uow, "差一点", 1999)
    body = await run_screening("above_scale", 2023, uow=uow, principal=OFFICER, record_reads=reads)
    assert body["candidates"] == [] and reads.batches == []


@pytest.mark.parametrize(
    ("rule_set", "year", "field"),
    [("gold_medal", 2023, "rule_set"), ("eaglet", 2019, "year"), ("hnte", 1989, "year")],
)
async def test_an_unknown_rule_set_or_a_year_before_it_is_refused(uow, reads, rule_set, year, field):
    with pytest.raises(InvalidValue) as refused:
        await run_screening(rule_set, year, uow=uow, principal=OFFICER, record_reads=reads)
    assert refused.value.field == field and reads.batches == []


async def test_the_pyramid_counts_active_enterprises_on_the_date(uow):
    a = enterprise_in(uow, "甲", listed=True, listed_on=date(2021, 6, 1))
    b = enterprise_in(uow, "乙")
    gone = enterprise_in(uow, "丙", status="deregistered")
    certification_in(uow, a, "hnte", date(2022, 1, 1))
    certification_in(uow, a, "little_giant", date(2022, 1, 1))
    certification_in(uow, b, "unicorn", date(2023, 1, 1), expires_on=date(2025, 12, 31))
    certification_in(uow, gone, "hnte", date(2022, 1, 1))
    stats = await tier_statistics(date(2023, 6, 30), today=TODAY, uow=uow)
    assert stats["date"] == "2023-06-30"
    assert stats["by_tier"] == {
        "none": 0,
        "tech_sme": 0,
        "hnte": 1,
        "eaglet": 0,
        "gazelle": 0,
        "unicorn": 1,
        "platform": 0,
    }
    designations = stats["by_designation"]
    assert (designations["hnte"], designations["gazelle_or_unicorn"], designations["listed"]) == (1, 1, 1)
    assert designations["little_giant"] == 1 and designations["eaglet"] == 0
    assert stats["targets"] == {"hnte": None, "eaglet": None, "gazelle_or_unicorn": None, "listed": None}
    early = await tier_statistics(date(2021, 1, 1), today=TODAY, uow=uow)
    assert early["by_tier"]["none"] == 2 and early["by_designation"]["listed"] == 0
    assert uow.commits == 0


async def test_the_pyramid_stands_beside_the_plan_targets_for_2025(uow):
    uow.registry.targets = {
        (8, 2025): Decimal(120),
        (9, 2025): Decimal(60),
        (10, 2025): Decimal("20.0"),
        (11, 2025): Decimal(10),
        (12, 2025): Decimal(99),  # no live indicator
        (8, 2023): Decimal(1),  # another year's
    }
    stats = await tier_statistics(TODAY, today=TODAY, uow=uow)
    assert stats["targets"] == {"hnte": "120", "eaglet": "60", "gazelle_or_unicorn": "20.0", "listed": "10"}
    assert set(stats["by_tier"].values()) == {0}
