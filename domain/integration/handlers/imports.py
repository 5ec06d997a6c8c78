"""台账导入: each row through the API's own handlers in its own savepoint; committed once or never."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.integration import ledgers
from domain.integration.importers.base import RowImporter
from domain.integration.importers.cultivation import EnterpriseRows, MetricsRows
from domain.integration.importers.planning import ObservationRows, TaskRows
from domain.integration.importers.reports import ReportRows
from domain.integration.ledgers.rows import (
    HeaderMap,
    ParsedRow,
    RowError,
    data_rows,
    match_headers,
    merge_errors,
    parse_row,
    too_many_rows,
)
from domain.integration.ledgers.sheet import Sheet
from domain.integration.ledgers.specs import LedgerSpec, ledger
from domain.integration.ports import LedgerLookupsPort, LedgerUnitOfWork, RowUnits
from domain.planning.handlers.common import referenced_plan
from domain.planning.plan import Plan
from domain.shared.errors import DomainError, InvalidValue

Progress = Callable[[int, int], None]
IMPORTERS = {
    "enterprises": EnterpriseRows,
    "tasks": TaskRows,
    "progress_reports": ReportRows,
    "indicator_observations": ObservationRows,
    "metrics": MetricsRows,
}


# Deferred rows written at once: round trips per row become round trips per batch.
BATCH_ROWS = 500


@dataclass
class _Written:
    """A deferred row through the handler, its records waiting for the batch to be written."""

    row: ParsedRow
    found: Any
    action: str
    record: Any


@dataclass
class ImportReport:
    """导入报告: data rows read, rows created and updated (unchanged rows count as neither), row errors."""

    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    partial: bool = False

    @property
    def written(self) -> int:
        return self.created + self.updated

    @property
    def refused(self) -> bool:
        """All or nothing: a bad row and no `partial` refuse the whole sheet."""
        return bool(self.errors) and not self.partial


async def import_ledger(
    kind: str,
    sheet: Sheet,
    *,
    uow: LedgerUnitOfWork,
    rows: RowUnits,
    lookups: LedgerLookupsPort,
    today: date,
    plan_id: str | None = None,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import a sheet of `kind`: upsert row by row; commit once unless refused (a bad row without
    `partial`) or a dry run. Unknown kind 404; unreadable header, too many rows, unknown plan 422."""
    spec = ledger(kind)
    headers = match_headers(spec.columns, sheet.header, one_of=spec.one_of)
    found_rows = data_rows(sheet)
    if len(found_rows) > ledgers.MAX_ROWS:
        raise too_many_rows(ledgers.MAX_ROWS)
    plan = await _plan(spec, plan_id, uow=uow)
    parsed = [parse_row(headers, row) for row in found_rows]
    _add_errors(parsed, merge_errors(sheet, headers, {row.number for row in found_rows}))
    importer: RowImporter = IMPORTERS[kind](uow=uow, lookups=lookups, plan=plan, today=today, now=now)
    await importer.prepare([row for row in parsed if not row.errors])
    report = ImportReport(
        kind, len(parsed), ignored_columns=headers.ignored, dry_run=dry_run, partial=partial
    )
    await _import_rows(importer, parsed, rows, headers, report, progress)
    await _afterwards(importer, rows, headers, report)
    if dry_run:
        return report  # the unit of work ends without commit: every savepoint is rolled back with it
    if report.refused:
        report.created = report.updated = 0  # nothing was written
    else:
        await uow.commit()
    return report


async def _import_rows(
    importer: RowImporter,
    parsed: list[ParsedRow],
    rows: RowUnits,
    headers: HeaderMap,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    """Every row in sheet order, deferrable ones in batches; row errors into the report in row order."""
    batch: list[_Written] = []
    for done, row in enumerate(parsed, start=1):
        if not row.errors:
            await _import_row(importer, row, rows, headers, report, batch)
        report.errors.extend(row.errors)
        if len(batch) >= BATCH_ROWS:
            await _write_batch(importer, batch, rows, headers, report)
        if progress is not None:
            progress(done, len(parsed))
    await _write_batch(importer, batch, rows, headers, report)
    report.errors.sort(key=lambda error: error.row)  # a refused batch's rows report after later rows


async def _import_row(
    importer: RowImporter,
    row: ParsedRow,
    rows: RowUnits,
    headers: HeaderMap,
    report: ImportReport,
    batch: list[_Written] | None = None,
) -> None:
    """Run a row: in a savepoint of its own, or (deferrable, when `batch` is given) into the batch."""
    try:
        found = importer.find(row)
        if batch is not None and importer.deferrable(row, found):
            async with rows.deferred() as unit:
                action, written = await importer.apply_deferred(row, found, unit)
            batch.append(_Written(row, found, action, written))
        else:
            # The rows before it are written first: this one may read or change what they wrote. Had they
            # to run again, they hold other records now: the row looks for its own again.
            if await _write_batch(importer, batch, rows, headers, report):
                found = importer.find(row)
            async with rows.row(importer.touched(row, found)) as unit:
                action, written = await importer.apply(row, found, unit)
    except DomainError as refused:
        column = headers.header_for(refused.field)
        row.errors.append(RowError(row.number, column, refused.en, refused.zh))
        return
    importer.remember(row, found, written)
    _count(report, action, 1)


async def _afterwards(
    importer: RowImporter, rows: RowUnits, headers: HeaderMap, report: ImportReport
) -> None:
    """The steps the rows asked to run once all were through, each in its own savepoint; a refused step is
    its row's error (with `partial`, the row's other changes stay written)."""
    for step in importer.afterwards():
        try:
            async with rows.row(step.touched) as unit:
                await step.run(unit)
        except DomainError as refused:
            error = RowError(step.row.number, headers.header_for(refused.field), refused.en, refused.zh)
            step.row.errors.append(error)
            report.errors.append(error)
    report.errors.sort(key=lambda error: error.row)


async def _write_batch(
    importer: RowImporter, batch: list[_Written] | None, rows: RowUnits, headers: HeaderMap, report
) -> bool:
    """Write the deferred rows (their errors, if any, are not yet in the report). Refused by the database
    (a concurrent writer took a key), the batch left nothing: what its rows counted and remembered is taken
    back, and each runs again in its own savepoint, so that each ends as it would have alone (True)."""
    if not batch:
        return False
    written, batch[:] = list(batch), []
    if await rows.flush():
        return False
    for entry in reversed(written):
        importer.forget(entry.row, entry.found, entry.record)
        _count(report, entry.action, -1)
    for entry in written:
        await _import_row(importer, entry.row, rows, headers, report)
        report.errors.extend(entry.row.errors)
    return True


def _count(report: ImportReport, action: str, step: int) -> None:
    if action == "created":
        report.created += step
    elif action == "updated":
        report.updated += step


def _add_errors(parsed: list[ParsedRow], errors: list[RowError]) -> None:
    by_number = {row.number: row for row in parsed}
    for error in errors:
        by_number[error.row].errors.append(error)


async def _plan(spec: LedgerSpec, plan_id: str | None, *, uow: LedgerUnitOfWork) -> Plan | None:
    if not spec.needs_plan:
        return None
    if not plan_id:
        raise InvalidValue(
            f"{spec.kind} belong to a plan: give plan_id",
            f"导入{spec.title}须指定所属规划(plan_id)",
            field="plan_id",
        )
    return await referenced_plan(plan_id, uow=uow)
