"""Finding 11: text that starts like a formula (=, +, -, @, tab, CR) is exported with one literal leading
`'`, so that a CSV made of the workbook holds no live formula; the import takes that one `'` off again,
and refuses only real formula cells: an export of anything the API accepted re-imports unchanged."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.api.ledgers.helpers import export, first_sheet, upload, workbook

HYPERLINK = '=HYPERLINK("http://evil.example","点击")'
NAMES = [
    HYPERLINK,
    "+86 0412 5555 1234 公司",
    "-连锁- 有限公司",
    "@某人 科技",
    "'=已带引号",  # text that itself starts with a quote before =
    "''+两个引号",
    "'普通引号",  # a quote before no formula character stays as it is
    "普通公司",
]
LIVE = ("=", "+", "-", "@", "\t", "\r")


def _as_csv(content: bytes) -> list[list[str]]:
    """The first sheet as a CSV conversion writes it: each cell's value as text."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return list(csv.reader(io.StringIO(out.getvalue())))


async def test_formula_like_text_is_exported_inert_and_re_imports_unchanged(client, admin):
    for name in NAMES:
        body = {"name": name, "aliases": [name + "别名"]}
        created = await client.post("/api/v1/enterprises", json=body, headers=admin)
        assert created.status_code == 201, (name, created.text)
    content = await export(client, "enterprises", admin)

    cells = [value for row in _as_csv(content)[1:] for value in row]
    assert [value for value in cells if value.startswith(LIVE)] == []  # nothing a spreadsheet would run
    shown = {row["企业名称"] for row in first_sheet(content)}
    assert "'" + HYPERLINK in shown and "'" + "''+两个引号" in shown
    assert "'普通引号" in shown and "普通公司" in shown

    again = await upload(client, "enterprises", content, admin, dry_run=True)
    assert again.status_code == 200, again.text
    assert again.json()["errors"] == [] and again.json()["written"] == 0  # every row found unchanged
    listed = (await client.get("/api/v1/enterprises", params={"limit": 50}, headers=admin)).json()["items"]
    assert sorted(e["name"] for e in listed) == sorted(NAMES)


async def test_a_sheet_typed_by_hand_with_the_quote_is_read_without_it(client, admin):
    sheet = workbook([["企业名称"], ["'=甲公司"], ["'-乙公司"], ["''@丙公司"], ["'丁公司"]])
    response = await upload(client, "enterprises", sheet, admin)
    assert response.status_code == 200, response.text
    listed = (await client.get("/api/v1/enterprises", headers=admin)).json()["items"]
    assert sorted(e["name"] for e in listed) == sorted(["=甲公司", "-乙公司", "'@丙公司", "'丁公司"])


async def test_a_real_formula_cell_is_still_refused(client, admin):
    sheet = workbook([["企业名称"], ["甲公司"]], formula='A2=CONCAT("a","b")')
    response = await upload(client, "enterprises", sheet, admin)
    assert response.status_code == 422, response.text
    assert "公式" in response.json()["errors"][0]["message"]
