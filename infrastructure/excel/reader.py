"""Reading an uploaded .xlsx: streamed (read_only); formulas never run; macros, non-workbooks refused."""

from __future__ import annotations

import logging
import re
import zipfile
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from domain.integration.ledgers.columns import is_blank
from domain.integration.ledgers.limits import Deadline, too_many_blank_rows, unpacks_too_large
from domain.integration.ledgers.rows import too_many_rows
from domain.integration.ledgers.sheet import Merge, Sheet, SheetRow
from domain.shared.errors import InvalidValue, TooLarge
from infrastructure.excel.cells import cell_value

log = logging.getLogger("gaoxin.excel")

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97–2003) and password-protected workbooks
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam", ".xlsb")
# A 10 MiB upload may unpack to far more: past this, it is no ledger but a zip bomb (the default of
# GAOXIN_IMPORT_MAX_UNPACKED_BYTES: 1.5 × the 86 MiB of the largest legitimate workbook, measured).
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
CHUNK = 1 << 20


def refused(en: str, zh: str) -> InvalidValue:
    return InvalidValue(en, zh, field="file")


def read_sheet(
    content: bytes,
    *,
    filename: str | None,
    max_rows: int,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    deadline: Deadline | None = None,
) -> Sheet:
    """The first worksheet: header, non-blank data rows (at most `max_rows`, else 422) and merged ranges.

    Refused before parsing when it unpacks to more than `max_unpacked` bytes (413); while parsing, as soon
    as it holds more than `max_rows` blank rows or the deadline passes (422).
    """
    archive = _open_archive(content, filename, max_unpacked)
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl meets a corrupt file with many kinds of error; each means the same
        log.info("unreadable workbook: %s", type(exc).__name__)
        raise _not_a_workbook() from None
    try:
        if not workbook.worksheets:
            raise refused("the workbook has no worksheet", "工作簿中没有工作表")
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()  # never trust the file's <dimension>: it could claim a million columns
        header, rows = _rows(worksheet, max_rows, deadline)
        merges = _merges(archive, getattr(worksheet, "_worksheet_path", "xl/worksheets/sheet1.xml"))
    except (InvalidValue, TooLarge):
        raise
    except Exception as exc:
        log.info("unreadable worksheet: %s", type(exc).__name__)
        raise _not_a_workbook() from None
    finally:
        workbook.close()
        archive.close()
    return Sheet(header, rows, merges)


def _open_archive(content: bytes, filename: str | None, max_unpacked: int) -> zipfile.ZipFile:
    name = (filename or "").lower()
    if name.endswith(MACRO_EXTENSIONS):
        raise _macros()
    if content.startswith(OLE_MAGIC):
        raise refused(
            "this is an .xls (Excel 97–2003) or a password-protected workbook: "
            "save it as .xlsx without a password",
            "该文件为旧版 .xls 或加密的工作簿,请另存为不加密的 .xlsx 后导入",
        )
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_workbook() from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_a_workbook()
    if "xl/vbaProject.bin" in names or b"macroEnabled" in archive.read("[Content_Types].xml"):
        raise _macros()
    # The sizes the archive declares bound what it yields: zipfile stops at them (and fails the CRC).
    if unpacked > max_unpacked:
        raise unpacks_too_large(unpacked, max_unpacked)
    return archive


def _rows(worksheet, max_rows: int, deadline: Deadline | None) -> tuple[tuple[object, ...], list[SheetRow]]:
    header: tuple[object, ...] = ()
    rows: list[SheetRow] = []
    blank = 0
    for number, cells in enumerate(worksheet.iter_rows(min_row=1), start=1):
        if deadline is not None:
            deadline.check()
        values = tuple(cell_value(getattr(cell, "data_type", None), cell.value) for cell in cells)
        if number == 1:
            header = values
        elif not all(is_blank(value) for value in values):
            rows.append(SheetRow(number, values))
            if len(rows) > max_rows:  # stop reading: nothing of an oversized sheet is imported
                raise too_many_rows(max_rows)
        else:
            blank += 1
            if blank > max_rows:
                raise too_many_blank_rows(max_rows)
    return header, rows


def _merges(archive: zipfile.ZipFile, path: str) -> list[Merge]:
    """Merged ranges from the sheet's XML (read-only worksheets do not parse them), scanned in chunks."""
    found: list[Merge] = []
    tail = b""
    with archive.open(path.lstrip("/")) as part:
        while chunk := part.read(CHUNK):
            text = tail + chunk
            for match in MERGE_CELL.finditer(text):
                ref = match.group(1).decode()
                first_column, first_row, last_column, last_row = range_boundaries(ref)
                found.append(Merge(ref, first_row, first_column, last_row, last_column))
            tail = text[-200:]  # a tag cut by the chunk's end is found whole next time (dupes drop below)
    return list({merge.ref: merge for merge in found}.values())


def _not_a_workbook() -> InvalidValue:
    return refused(
        "the file is not an .xlsx workbook (or it is damaged); save it from Excel as .xlsx",
        "该文件不是有效的 .xlsx 工作簿(或已损坏),请在 Excel 中另存为 .xlsx",
    )


def _macros() -> InvalidValue:
    return refused(
        "workbooks with macros (.xlsm) are refused: save it as .xlsx without macros",
        "不接受含宏的工作簿(.xlsm),请另存为不含宏的 .xlsx",
    )
