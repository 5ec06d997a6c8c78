"""The "Bad input" of issue 7 for ledgers: each a clear problem or a row report, and nothing half-written."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.integration import ledgers
from infrastructure.db.tables import cultivation as t
from tests.api.cultivation.helpers import CODE_A, CODE_B
from tests.api.ledgers.helpers import count, upload, workbook

HEADER = ["企业名称", "统一社会信用代码", "注册日期"]


def problem_detail(response, status: int = 422) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()["detail"]


async def test_missing_required_header_is_422_naming_it(app, client, officer):
    response = await upload(
        client, "enterprises", workbook([["统一社会信用代码", "注册日期"], [CODE_A, None]]), officer
    )
    assert "企业名称" in problem_detail(response)
    english = await upload(
        client, "enterprises", workbook([["credit_code"], [CODE_A]]), officer | {"Accept-Language": "en"}
    )
    assert "企业名称 (name)" in problem_detail(english)
    assert await count(app, t.enterprises) == 0


async def test_a_formula_is_never_run_but_reported_on_its_row(app, client, officer):
    content = workbook(
        [HEADER, ["甲公司", CODE_A, None], ["乙公司", None, None]], formula="C3=DATE(2021,5,20)"
    )
    body = (await upload(client, "enterprises", content, officer)).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "注册日期")]
    assert "公式" in body["errors"][0]["message"]
    typed = workbook([HEADER, ['=HYPERLINK("http://evil")', None, None]])
    assert (await upload(client, "enterprises", typed, officer)).json()["errors"][0]["row"] == 2
    assert await count(app, t.enterprises) == 0


async def test_merged_cells_are_a_row_report_never_a_guess(app, client, officer):
    content = workbook(
        [HEADER, ["甲公司", CODE_A, "2021-01-01"], ["乙公司", CODE_B, None], ["丙公司", None, None]],
        merge="C3:C4",
    )
    body = (await upload(client, "enterprises", content, officer, partial=True)).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "注册日期"), (4, "注册日期")]
    assert "C3:C4" in body["errors"][0]["message"] and body["written"] == 1


async def test_merged_header_is_422(client, officer):
    content = workbook([["企业名称", None, "注册日期"], ["甲公司", CODE_A, None]], merge="A1:B1")
    assert "合并单元格" in problem_detail(await upload(client, "enterprises", content, officer))


@pytest.mark.parametrize(
    "cell, expected",
    [("2021-05-20", "2021-05-20"), ("2021/5/20", "2021-05-20"), ("2021年5月20日", "2021-05-20")],
)
async def test_dates_as_text_in_unambiguous_forms_are_read(client, officer, cell, expected):
    response = await upload(client, "enterprises", workbook([HEADER, ["甲公司", None, cell]]), officer)
    assert response.status_code == 200, response.text
    listed = (await client.get("/api/v1/enterprises", headers=officer)).json()["items"]
    assert listed[0]["registered_on"] == expected


@pytest.mark.parametrize("cell", ["20/05/2021", "2021-02-30", "44336", "明年"])
async def test_ambiguous_or_impossible_dates_are_row_errors(app, client, officer, cell):
    body = (await upload(client, "enterprises", workbook([HEADER, ["甲公司", None, cell]]), officer)).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "注册日期")]
    assert await count(app, t.enterprises) == 0


@pytest.mark.parametrize(
    "content, name, words",
    [
        ("name,credit_code\n甲公司,\n".encode(), "台账.csv", "不是有效的 .xlsx"),
        (b"", "台账.xlsx", "不是有效的 .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "台账.xls", ".xls"),
        (b"PK\x03\x04broken zip", "台账.xlsx", "不是有效的 .xlsx"),
    ],
)
async def test_a_file_that_is_no_xlsx_is_422_saying_so(client, officer, content, name, words):
    assert words in problem_detail(await upload(client, "enterprises", content, officer, name=name))


async def test_workbooks_with_macros_are_refused(client, officer):
    plain = workbook([HEADER, ["甲公司", None, None]])
    assert ".xlsm" in problem_detail(await upload(client, "enterprises", plain, officer, name="台账.xlsm"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"')
    assert "宏" in problem_detail(await upload(client, "enterprises", buffer.getvalue(), officer))


async def test_over_the_row_limit_is_422_before_anything_is_written(app, client, officer, monkeypatch):
    monkeypatch.setattr(ledgers, "MAX_ROWS", 3)
    rows = [[f"公司{i}", None, None] for i in range(4)]
    detail = problem_detail(await upload(client, "enterprises", workbook([HEADER, *rows]), officer))
    assert "3" in detail and "拆分" in detail
    assert await count(app, t.enterprises) == 0
    at_limit = await upload(client, "enterprises", workbook([HEADER, *rows[:3], [None, None, None]]), officer)
    assert at_limit.status_code == 200 and at_limit.json()["written"] == 3


async def test_blank_rows_are_no_rows_and_unknown_headers_are_named_not_read(client, officer):
    content = workbook(
        [[*HEADER, "备注"], ["甲公司", None, None, "重点企业"], [None, None, None, None], ["乙公司"]]
    )
    body = (await upload(client, "enterprises", content, officer)).json()
    assert (body["rows"], body["written"], body["ignored_columns"]) == (2, 2, ["备注"])


async def test_unknown_kinds_are_404(client, officer):
    assert (await upload(client, "chains", workbook([["x"]]), officer)).status_code == 404
    assert (await client.get("/api/v1/exports/chains.xlsx", headers=officer)).status_code == 404


async def test_a_file_over_the_upload_limit_is_413(client, officer):
    response = await upload(client, "enterprises", b"PK" + b"\0" * (10 * 1024 * 1024 + 1), officer)
    assert response.status_code == 413
