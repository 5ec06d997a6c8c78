"""Schemas of the Excel ledgers (台账): the import report."""

from __future__ import annotations

from pydantic import Field

from domain.integration.ledgers.specs import LedgerSpec
from services.api.schemas.base import ReadModel


class RowErrorOut(ReadModel):
    row: int = Field(description="the sheet's row number: row 1 is the header, the first data row 2")
    column: str | None = Field(description="the column's header as the sheet writes it; null for the row")
    message: str = Field(description="what is wrong, in Chinese (English with Accept-Language: en)")


class ImportReportOut(ReadModel):
    rows: int = Field(description="data rows read (blank rows are not counted)")
    written: int = Field(description="rows created or changed; a row equal to what is stored writes nothing")
    created: int
    updated: int
    dry_run: bool = Field(description="true: nothing was written; `written`: good rows that would change")
    ignored_columns: list[str] = Field(description="headers no column of this ledger claims (not read)")
    errors: list[RowErrorOut]


def columns_description(spec: LedgerSpec, summary: str) -> str:
    """The route's OpenAPI description: what it does and the ledger's columns (header, field, role)."""
    lines = [
        summary,
        "",
        "Columns (row 1; Chinese header or English field name; other headers are ignored):",
        "",
    ]
    for column in spec.columns:
        roles = {"required": column.required, "key": column.key, "export only": not column.imported}
        role = next((name for name, holds in roles.items() if holds), "")
        lines.append(f"- {column.header} `{column.field}` ({column.type.value}{', ' + role if role else ''})")
    return "\n".join(lines)
