"""Annual metrics through the handlers: PUT creates or replaces a year; each read of figures is logged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.cultivation.handlers.metrics import find_metrics, metrics_page, read_metrics, write_metrics
from domain.cultivation.sensitive import METRICS_READ
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.handlers.cultivation.support import OFFICER, VIEWER, Expect, Refuse, enterprise_in, metrics_in


@pytest.fixture
def enterprise(uow):
    return enterprise_in(uow, "九夷锂能")


async def test_a_put_creates_the_year_then_replaces_it_whole(uow, enterprise):
    expect = Expect()
    created = await write_metrics(
        enterprise.id,
        2023,
        {"revenue": "12000.50", "rd_expense": 800, "employees": 120},
        uow=uow,
        expect=expect,
    )
    assert expect.shown == [None]  # nothing to match yet: an If-Match then fails, none passes
    assert created.created is True and uow.commits == 1
    record = created.record
    assert (record.enterprise_id, record.year, record.revenue, record.employees) == (
        enterprise.id,
        2023,
        Decimal("12000.5"),
        120,
    )
    assert uow.annual_metrics.items == {record.id: record}
    replaced = await write_metrics(enterprise.id, 2023, {"revenue": 13000}, uow=uow, expect=expect)
    assert expect.shown == [None, record] and replaced.created is False and replaced.record is record
    assert (record.revenue, record.rd_expense, record.employees) == (Decimal(13000), None, None)
    assert len(uow.annual_metrics.items) == 1 and uow.commits == 2


async def test_a_stale_expectation_leaves_the_year_as_it_was(uow, enterprise):
    record = metrics_in(uow, enterprise, 2023, revenue=13000)
    with pytest.raises(Refuse):
        await write_metrics(enterprise.id, 2023, {"revenue": 1}, uow=uow, expect=Expect(refuse=True))
    assert record.revenue == Decimal(13000) and uow.commits == 0


async def test_a_refused_new_year_writes_nothing(uow, enterprise):
    with pytest.raises(Refuse):
        await write_metrics(enterprise.id, 2024, {}, uow=uow, expect=Expect(refuse=True))
    assert uow.annual_metrics.items == {} and uow.commits == 0


@pytest.mark.parametrize(
    ("year", "values", "field"),
    [
        (2023, {"revenue": -1}, "revenue"),
        (2023, {"revenue": "lots"}, "revenue"),
        (2023, {"employees": 10, "tech_staff": 11}, "tech_staff"),
        (2023, {"innovation_score": 100.5}, "innovation_score"),
        (1989, {"revenue": 1}, "year"),
    ],
)
async def test_bad_figures_are_refused_and_nothing_is_written(uow, enterprise, year, values, field):
    with pytest.raises(InvalidValue) as refused:
        await write_metrics(enterprise.id, year, values, uow=uow)
    assert refused.value.field == field
    assert uow.annual_metrics.items == {} and uow.commits == 0


async def test_a_bad_figure_leaves_a_stored_year_as_it_was(uow, enterprise):
    record = metrics_in(uow, enterprise, 2022, employees=50, tech_staff=10)
    with pytest.raises(InvalidValue):
        await write_metrics(enterprise.id, 2022, {"employees": 5, "tech_staff": 10}, uow=uow)
    with pytest.raises(InvalidValue) as unknown:
        await write_metrics(enterprise.id, 2022, {"profit": 5}, uow=uow)
    assert unknown.value.field == "profit"
    assert (record.employees, record.tech_staff) == (50, 10) and uow.commits == 0


async def test_an_unknown_enterprise_has_no_year_to_write_or_read(uow, reads):
    expect = Expect()
    with pytest.raises(NotFound):
        await write_metrics("nothere", 2023, {}, uow=uow, expect=expect)
    with pytest.raises(NotFound):
        await find_metrics("nothere", 2023, uow=uow)
    with pytest.raises(NotFound):
        await metrics_page("nothere", uow=uow, principal=OFFICER, record_reads=reads, after=None, limit=10)
    assert expect.shown == [] and uow.annual_metrics.items == {} and reads.batches == []


async def test_an_officer_reading_a_year_is_logged_a_viewer_is_not(uow, enterprise, reads):
    record = metrics_in(uow, enterprise, 2023, revenue=4800)
    assert await read_metrics(enterprise.id, 2023, uow=uow, principal=VIEWER, record_reads=reads) is record
    assert reads.batches == []
    assert await read_metrics(enterprise.id, 2023, uow=uow, principal=OFFICER, record_reads=reads) is record
    (read,) = reads.reads
    assert (read.enterprise_id, read.fields, dict(read.details)) == (
        enterprise.id,
        METRICS_READ,
        {"view": "metrics", "year": 2023},
    )
    assert uow.commits == 0  # the read log commits the reads, not the handler


async def test_a_year_without_a_record_is_a_404_and_no_read(uow, enterprise, reads):
    assert await find_metrics(enterprise.id, 2020, uow=uow) is None
    with pytest.raises(NotFound):
        await read_metrics(enterprise.id, 2020, uow=uow, principal=OFFICER, record_reads=reads)
    assert reads.batches == []


async def test_the_list_pages_by_year_and_logs_the_years_shown(uow, enterprise, reads):
    other = enterprise_in(uow, "大普科技")
    for year in (2023, 2021, 2022):
        metrics_in(uow, enterprise, year, revenue=year)
    metrics_in(uow, other, 2020)
    page = await metrics_page(
        enterprise.id, uow=uow, principal=OFFICER, record_reads=reads, after=None, limit=2
    )
    assert [r.year for r in page] == [2021, 2022, 2023]  # one more than asked: another page exists
    (read,) = reads.reads
    assert dict(read.details) == {"view": "metrics", "years": [2021, 2022]}  # not the one beyond the page
    rest = await metrics_page(
        enterprise.id, uow=uow, principal=VIEWER, record_reads=reads, after=2022, limit=2
    )
    assert [r.year for r in rest] == [2023] and len(reads.batches) == 1


async def test_an_empty_list_logs_no_read(uow, enterprise, reads):
    assert (
        await metrics_page(enterprise.id, uow=uow, principal=OFFICER, record_reads=reads, after=None, limit=5)
        == []
    )
    assert reads.batches == []
