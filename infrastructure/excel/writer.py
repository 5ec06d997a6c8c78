"""Writing workbooks (write_only: a large ledger streams): dates as dates, text as text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from domain.integration.ledgers.sheet import Table
from infrastructure.excel.cells import quote_text

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60


def write_workbook(tables: list[Table], *, then: Callable[[Workbook], None] | None = None) -> bytes:
    """The tables as an .xlsx workbook, one worksheet each, in order; `then` adds its own sheets after them
    (the evaluation's charts: infrastructure/reports/workbook.py)."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])  # Excel's limit on sheet names
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, _width(header) + 4)
        sheet.append([_header(sheet, text) for text in table.headers])
        fills = {text: PatternFill("solid", fgColor=colour) for text, colour in table.fills.items()}
        for row in table.rows:
            sheet.append([_cell(sheet, value, fills) for value in row])
    if then is not None:
        then(workbook)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _header(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.alignment = Alignment(vertical="center")
    return cell


def _cell(sheet, value: object, fills: dict[str, PatternFill]) -> object:
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = _number(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        value = cell_text(value)
        # Text that could be read as a formula gets its leading quote (the ledger's rule), and a string
        # cell: an export never writes a formula, neither in Excel nor in a CSV made of it.
        cell = WriteOnlyCell(sheet, value=quote_text(value))
        cell.data_type = "s"
        if value in fills:
            cell.fill = fills[value]
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    return value


def cell_text(text: str) -> str:
    """Text a worksheet (XML 1.0) can hold: a control character stored in a title becomes U+FFFD rather than
    breaking the whole export."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _number(value: Decimal) -> float | int | str:
    """A number Excel holds exactly (a double); else its digits as text, so that nothing is rounded away."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else format(value, "f")


def _width(text: str) -> int:
    return sum(2 if ord(character) > 0x2E7F else 1 for character in text)
