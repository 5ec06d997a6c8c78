"""Annual metrics (年度经营数据): one record per enterprise and year, replaced whole by PUT."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.cultivation.handlers._common import get_enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.ports import CultivationUnitOfWork
from domain.cultivation.sensitive import METRICS_READ, RecordReads, SensitiveRead
from domain.identity.policy import Principal
from domain.shared.errors import NotFound
from domain.shared.uow import Expectation, no_expectation


async def metrics_page(
    enterprise_id: str,
    *,
    uow: CultivationUnitOfWork,
    principal: Principal,
    record_reads: RecordReads,
    after: int | None,
    limit: int,
) -> list[AnnualMetrics]:
    """limit + 1 records of the enterprise by year; a reader of figures is audited for the years shown."""
    enterprise = await get_enterprise(enterprise_id, uow=uow)
    records = await uow.annual_metrics.page_of(enterprise.id, after=after, limit=limit)
    shown = [r.year for r in records[:limit]]
    if shown and principal.reads_sensitive:
        await record_reads([SensitiveRead(enterprise.id, METRICS_READ, {"view": "metrics", "years": shown})])
    return records


async def find_metrics(enterprise_id: str, year: int, *, uow: CultivationUnitOfWork) -> AnnualMetrics | None:
    """The record of that year, None when there is none (the enterprise must exist)."""
    enterprise = await get_enterprise(enterprise_id, uow=uow)
    return await uow.annual_metrics.one(enterprise.id, year)


async def read_metrics(
    enterprise_id: str,
    year: int,
    *,
    uow: CultivationUnitOfWork,
    principal: Principal,
    record_reads: RecordReads,
) -> AnnualMetrics:
    """The record of that year (404 without one); a reader of figures is audited."""
    record = await find_metrics(enterprise_id, year, uow=uow)
    if record is None:
        raise NotFound(
            f"enterprise {enterprise_id} has no metrics for {year}",
            f"企业 {enterprise_id} 无{year}年经营数据",
        )
    if principal.reads_sensitive:
        await record_reads(
            [SensitiveRead(record.enterprise_id, METRICS_READ, {"view": "metrics", "year": year})]
        )
    return record


@dataclass(frozen=True)
class MetricsWritten:
    """The year's record after a PUT, and whether the PUT created it (201) rather than replaced it (200)."""

    record: AnnualMetrics
    created: bool


async def write_metrics(
    enterprise_id: str,
    year: int,
    values: dict[str, Any],
    *,
    uow: CultivationUnitOfWork,
    expect: Expectation = no_expectation,
) -> MetricsWritten:
    """PUT: create or replace the year's record of an existing enterprise; `expect` is what the caller saw
    of the record (If-Match), called with None when the year has none yet."""
    current = await find_metrics(enterprise_id, year, uow=uow)
    expect(current)
    record = await put_metrics(enterprise_id, year, values, current, uow=uow)
    return MetricsWritten(record, created=current is None)


async def put_metrics(
    enterprise_id: str,
    year: int,
    values: dict[str, Any],
    current: AnnualMetrics | None,
    *,
    uow: CultivationUnitOfWork,
) -> AnnualMetrics:
    """Create or replace the year's record: figures not given become null. Every figure is checked first."""
    if current is None:
        current = AnnualMetrics(enterprise_id=enterprise_id, year=year, **values)
        uow.annual_metrics.add(current)
    else:
        current.replace_values(**values)
    await uow.commit()
    return current
