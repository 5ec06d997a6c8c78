"""Hostile workbooks made in the test: a real .xlsx whose first sheet carries a header row and then as
many blank rows as it takes to unpack to a given size (the zip-bomb of issue 15, finding 8)."""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


BLANK_ROW = '<row><c t="inlineStr"><is><t></t></is></c></row>'


def blank_rows(
    sheet_bytes: int = 0, header: tuple[str, ...] = ("企业名称",), *, count: int | None = None, data: str = ""
) -> bytes:
    """A workbook whose sheet XML is about `sheet_bytes` long (or holds `count` blank rows): the header,
    then blank rows (empty cells), then one data row when `data` is given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = "".join(_cell(f"{chr(65 + i)}1", text) for i, text in enumerate(header))
            written = sheet.write(f'{SHEET_HEAD}<row r="1">{head}</row>'.encode())
            # Rows without numbers: each one is the row after, and a thousand alike compress to nothing.
            if count is not None:
                sheet.write((BLANK_ROW * count).encode())
            chunk = (BLANK_ROW * 1000).encode()
            while written < sheet_bytes:
                written += sheet.write(chunk)
            if data:
                sheet.write(f"<row>{_cell('A' + str(2 + (count or 0)), data)}</row>".encode())
            sheet.write(SHEET_TAIL.encode())
    return out.getvalue()


def unpacked_size(content: bytes) -> int:
    """What the archive says its parts unpack to, in all."""
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
