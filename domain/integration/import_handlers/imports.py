"""台账导入: each row through the API's own handlers in its own savepoint; committed once or never."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from domain.integration import ledgers
from domain.integration.import_handlers.base import RowImporter
from domain.integration.import_handlers.cultivation import EnterpriseRows, MetricsRows
from domain.integration.import_handlers.planning import ObservationRows, TaskRows
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
from domain.planning.handlers.common import referenced_plan
from domain.shared.errors import DomainError, InvalidValue

Progress = Callable[[int, int], None]
IMPORTERS = {
    "enterprises": EnterpriseRows,
    "tasks": TaskRows,
    "indicator_observations": ObservationRows,
    "metrics": MetricsRows,
}


class RowUnits(Protocol):
    """The port that runs one row: a savepoint, and a unit of work whose `commit()` only flushes.

    `touched` are the existing records the row may change: a refused row leaves them as they were.
    """

    def row(self, touched: list[Any]) -> Any: ...


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
    uow,
    rows: RowUnits,
    lookups,
    today: date,
    plan_id: str | None = None,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
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
    importer: RowImporter = IMPORTERS[kind](uow=uow, lookups=lookups, plan=plan, today=today)
    await importer.prepare([row for row in parsed if not row.errors])
    report = ImportReport(
        kind, len(parsed), ignored_columns=headers.ignored, dry_run=dry_run, partial=partial
    )
    for done, row in enumerate(parsed, start=1):
        if not row.errors:
            await _import_row(importer, row, rows, headers, report)
        report.errors.extend(row.errors)
        if progress is not None:
            progress(done, len(parsed))
    if dry_run:
        return report  # the unit of work ends without commit: every savepoint is rolled back with it
    if report.refused:
        report.created = report.updated = 0  # nothing was written
    else:
        await uow.commit()
    return report


async def _import_row(
    importer: RowImporter, row: ParsedRow, rows: RowUnits, headers: HeaderMap, report
) -> None:
    try:
        found = importer.find(row)
        async with rows.row(importer.touched(row, found)) as unit:
            action, written = await importer.apply(row, found, unit)
    except DomainError as refused:
        column = headers.header_for(refused.field)
        row.errors.append(RowError(row.number, column, refused.en, refused.zh))
        return
    importer.remember(row, found, written)
    if action == "created":
        report.created += 1
    elif action == "updated":
        report.updated += 1


def _add_errors(parsed: list[ParsedRow], errors: list[RowError]) -> None:
    by_number = {row.number: row for row in parsed}
    for error in errors:
        by_number[error.row].errors.append(error)


async def _plan(spec: LedgerSpec, plan_id: str | None, *, uow):
    if not spec.needs_plan:
        return None
    if not plan_id:
        raise InvalidValue(
            f"{spec.kind} belong to a plan: give plan_id",
            f"导入{spec.title}须指定所属规划(plan_id)",
            field="plan_id",
        )
    return await referenced_plan(plan_id, uow=uow)
