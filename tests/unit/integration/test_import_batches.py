"""New rows wait for a batch; a batch the database refuses is taken back and its rows run one by one."""

from __future__ import annotations

from contextlib import asynccontextmanager

from domain.cultivation.enterprises import Enterprise
from domain.integration.handlers import imports
from domain.integration.handlers.imports import ImportReport
from domain.integration.importers.base import CREATED, RowImporter
from domain.integration.importers.cultivation import EnterpriseIndex
from domain.integration.ledgers.rows import HeaderMap, ParsedRow
from domain.shared.errors import Duplicate
from tests.unit.cultivation.builders import with_check_character

CODE_A = with_check_character("91210300MA0U6X8Q1")


def test_the_index_forgets_a_new_enterprise_whose_batch_was_refused():
    kept, dropped = Enterprise(name="甲公司"), Enterprise(name="甲公司", credit_code=CODE_A)
    index = EnterpriseIndex([kept])
    index.add(dropped)
    index.forget(dropped)
    assert index.find(None, "甲公司") is kept and index.find(CODE_A, None) is None
    assert dropped.id not in index.known
    alone = Enterprise(name="乙公司")
    index.add(alone)
    index.forget(alone)
    assert index.find(None, "乙公司") is None


class Rows:
    """The RowUnits port in memory: `flush` answers as scripted."""

    def __init__(self, flushes: list[bool]) -> None:
        self.flushes, self.calls = flushes, []

    @asynccontextmanager
    async def deferred(self):
        self.calls.append("deferred")
        yield object()

    @asynccontextmanager
    async def row(self, touched):
        self.calls.append("row")
        yield object()

    async def flush(self) -> bool:
        self.calls.append("flush")
        return self.flushes.pop(0)


class Names(RowImporter):
    """Rows naming records: new ones deferred; on their own, "taken" is refused as the database would."""

    def __init__(self) -> None:
        self.known: list[str] = []

    def find(self, row):
        return None

    def deferrable(self, row, found) -> bool:
        return True

    async def apply_deferred(self, row, found, unit):
        return CREATED, row.values["name"]

    async def apply(self, row, found, unit):
        if row.values["name"] == "taken":
            raise Duplicate("taken", "已占用", field="name")
        return CREATED, row.values["name"]

    def remember(self, row, found, written) -> None:
        self.known.append(written)

    def forget(self, row, found, written) -> None:
        assert self.known[-1] == written  # taken back last first
        self.known.pop()


async def _run(names: list[str], flushes: list[bool], monkeypatch) -> tuple[ImportReport, Names, Rows]:
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    importer, rows = Names(), Rows(flushes)
    headers = HeaderMap({}, {}, [])
    report = ImportReport("names", len(names))
    parsed = [ParsedRow(number, {"name": name}) for number, name in enumerate(names, start=2)]
    await imports._import_rows(importer, parsed, rows, headers, report, None)
    return report, importer, rows


async def test_full_batches_are_flushed_as_they_fill_and_the_last_at_the_end(monkeypatch):
    report, importer, rows = await _run(["a", "b", "c"], [True, True], monkeypatch)
    assert rows.calls == ["deferred", "deferred", "flush", "deferred", "flush"]
    assert (report.created, report.errors, importer.known) == (3, [], ["a", "b", "c"])


async def test_a_refused_batch_is_taken_back_and_run_row_by_row(monkeypatch):
    report, importer, rows = await _run(["a", "taken", "c"], [False, True], monkeypatch)
    assert rows.calls == ["deferred", "deferred", "flush", "row", "row", "deferred", "flush"]
    assert report.created == 2 and importer.known == ["a", "c"]
    assert [(e.row, e.zh) for e in report.errors] == [(3, "已占用")]
