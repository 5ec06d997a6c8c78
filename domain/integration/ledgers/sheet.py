"""A worksheet as the reader hands it over: the header row, the data rows and the merged ranges, each cell
a plain value (or `Unreadable`); what a workbook file holds is the reader's business (infrastructure/excel).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A cell the reader could take no value from (in Excel: a formula, which is never executed, or an
    error value such as #DIV/0!), with what to tell the user: always a row error."""

    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One data row: its number in the sheet (the first data row is 2) and its cell values by column."""

    number: int
    cells: tuple[object, ...]

    def cell(self, index: int) -> object:
        return self.cells[index] if index < len(self.cells) else None


@dataclass(frozen=True, slots=True)
class Merge:
    """合并单元格: a merged range, 1-based and inclusive (`ref` as Excel writes it, e.g. A2:A3)."""

    ref: str
    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclass(frozen=True, slots=True)
class Sheet:
    """The first worksheet of a workbook: row 1 is the header."""

    header: tuple[object, ...]
    rows: list[SheetRow] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Table:
    """A worksheet to write: its title, header row, data rows; cells whose text is a key of `fills` get
    that background colour (the red/yellow/green lights). The rows may be read once only (a generator)."""

    title: str
    headers: list[str]
    rows: Iterable[list[object]]
    fills: dict[str, str] = field(default_factory=dict)
