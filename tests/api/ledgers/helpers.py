"""Workbooks made by openpyxl in the test, uploads through real HTTP, and reading exports back."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from infrastructure.db.tables.identity import audit_log
from infrastructure.db.tables.outbox import outbox

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list[Any]], *, merge: str | None = None, formula: str | None = None) -> bytes:
    """An .xlsx whose first sheet holds `rows` (row 1 the header); optionally a merge, a formula cell."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if formula:
        cell, text = formula.split("=", 1)
        sheet[cell] = "=" + text
    output = BytesIO()
    book.save(output)
    return output.getvalue()


async def upload(
    client: httpx.AsyncClient, kind: str, content: bytes, headers: dict, *, name: str = "台账.xlsx", **params
) -> httpx.Response:
    query = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
    return await client.post(
        f"/api/v1/imports/{kind}", files={"file": (name, content, XLSX)}, params=query, headers=headers
    )


async def export(client: httpx.AsyncClient, kind: str, headers: dict, **params) -> bytes:
    response = await client.get(f"/api/v1/exports/{kind}.xlsx", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    return response.content


def sheets(content: bytes) -> dict[str, list[list[Any]]]:
    """Every worksheet of a workbook as rows of values."""
    book = load_workbook(BytesIO(content), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
    }


def first_sheet(content: bytes) -> list[dict[str, Any]]:
    """The first worksheet's data rows as dicts by header."""
    rows = next(iter(sheets(content).values()))
    width = len(rows[0])
    return [dict(zip(rows[0], [*row, *[None] * (width - len(row))], strict=False)) for row in rows[1:]]


async def count(app, table) -> int:
    async with app.state.session_factory() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


async def event_types(app) -> list[str]:
    async with app.state.session_factory() as session:
        return list(await session.scalars(select(outbox.c.type).order_by(outbox.c.id)))


async def audit_actions(app) -> list[str]:
    async with app.state.session_factory() as session:
        return list(await session.scalars(select(audit_log.c.action).order_by(audit_log.c.id)))
