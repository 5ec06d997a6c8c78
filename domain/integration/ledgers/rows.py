"""Reading a sheet against a ledger: the header matched to columns, each row parsed, a report per row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from domain.integration.ledgers.columns import Column, is_blank, parse_cell
from domain.integration.ledgers.sheet import Sheet, SheetRow, Unreadable, column_letter
from domain.shared.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class RowError:
    """行报告: the row number in the sheet, the column as the sheet names it, and what is wrong."""

    row: int
    column: str | None
    en: str
    zh: str

    def message(self, language: str = "zh") -> str:
        return self.en if language == "en" else self.zh


@dataclass
class ParsedRow:
    """A data row read into field values (blank cells are None); refused when it has errors."""

    number: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class HeaderMap:
    """Which sheet column holds which ledger column, and the headers no column claims (ignored)."""

    columns: dict[int, Column]
    written_as: dict[str, str]  # field → the header as the sheet writes it
    ignored: list[str]

    def header_for(self, domain_field: str | None) -> str | None:
        """The sheet's header of the column a domain field comes from (errors point there)."""
        for column in self.columns.values():
            if domain_field is not None and domain_field in (column.field, *column.targets):
                return self.written_as[column.field]
        return None

    def has(self, name: str) -> bool:
        return name in self.written_as


def normalise(header: str) -> str:
    """Headers compare without spaces, with half-width brackets and in lower case."""
    text = re.sub(r"\s+", "", header).replace("\uff08", "(").replace("\uff09", ")")  # full-width brackets
    return text.lower()


def _names(column: Column) -> set[str]:
    names = {column.zh, column.field, column.header, *column.aliases}
    return {normalise(name) for name in names}


def match_headers(columns: tuple[Column, ...], header: tuple[object, ...], *, one_of=()) -> HeaderMap:
    """Row 1 against the ledger's columns (Chinese headers or English field names); 422 naming what lacks."""
    by_name = {name: column for column in columns for name in _names(column)}
    found: dict[int, Column] = {}
    written_as: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        if isinstance(cell, Unreadable):
            raise _file_error(
                f"header cell {column_letter(index)}1 holds a formula or an error value",
                f"表头单元格 {column_letter(index)}1 含公式或错误值",
            )
        text = str(cell).strip()
        column = by_name.get(normalise(text))
        if column is None:
            ignored.append(text)
            continue
        if column.field in written_as:
            raise _file_error(f"the header {text} appears twice", f"表头“{text}”重复出现")
        found[index], written_as[column.field] = column, text
    missing = [c for c in columns if c.required and c.field not in written_as]
    if missing:
        raise _file_error(
            "missing required headers in row 1: " + ", ".join(f"{c.header} ({c.field})" for c in missing),
            "第1行缺少必需的表头:" + "、".join(c.header for c in missing),
        )
    if one_of and not any(name in written_as for name in one_of):
        options = [c for c in columns if c.field in one_of]
        raise _file_error(
            "row 1 needs one of the headers " + ", ".join(f"{c.header} ({c.field})" for c in options),
            "第1行须至少含以下表头之一:" + "、".join(c.header for c in options),
        )
    return HeaderMap(found, written_as, ignored)


def _file_error(en: str, zh: str) -> InvalidValue:
    return InvalidValue(en, zh, field="file")


def parse_row(headers: HeaderMap, row: SheetRow) -> ParsedRow:
    """Every imported column of the row parsed; a blank required cell or a bad value is a row error."""
    parsed = ParsedRow(row.number, {})
    for index, column in headers.columns.items():
        if not column.imported:
            continue
        written = headers.written_as[column.field]
        try:
            value = parse_cell(column, row.cell(index))
        except InvalidValue as refused:
            parsed.errors.append(RowError(row.number, written, refused.en, refused.zh))
            continue
        if value is None and column.required:
            parsed.errors.append(
                RowError(row.number, written, f"{column.field} is required", f"{column.zh}不能为空")
            )
        parsed.values[column.field] = value
    return parsed


def merge_errors(sheet: Sheet, headers: HeaderMap, numbers: set[int]) -> list[RowError]:
    """A merged range leaves all but its first cell blank: each data row (of `numbers`) it touches in an
    imported column is refused, never guessed. A merge in the header row makes the header unreadable (422).
    """
    errors = []
    for merge in sheet.merges:
        if merge.first_row <= 1:
            raise _file_error(
                f"the header row holds merged cells ({merge.ref}); unmerge them, one header a column",
                f"表头(第1行)含合并单元格 {merge.ref},请取消合并,每列一个表头",
            )
        touched = [
            column
            for index, column in sorted(headers.columns.items())
            if column.imported and merge.first_column - 1 <= index <= merge.last_column - 1
        ]
        if not touched:
            continue  # a merge over columns the ledger does not read changes nothing
        name = headers.written_as[touched[0].field]
        for number in range(merge.first_row, merge.last_row + 1):
            if number in numbers:
                errors.append(
                    RowError(
                        number,
                        name,
                        f"merged cells {merge.ref}: unmerge them and fill in every row",
                        f"合并单元格 {merge.ref}:请取消合并,并在每一行填写完整",
                    )
                )
    return errors


def data_rows(sheet: Sheet) -> list[SheetRow]:
    """The rows that hold anything: wholly blank rows (Excel keeps formatted ones) are no rows."""
    return [row for row in sheet.rows if not all(is_blank(cell) for cell in row.cells)]


def too_many_rows(limit: int) -> InvalidValue:
    """The sheet is over the row limit: refused before anything is written."""
    return _file_error(
        f"the sheet has more than {limit} data rows; split it into several files",
        f"工作表数据行超过{limit}行上限,请拆分为多个文件导入",
    )
