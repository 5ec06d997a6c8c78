"""Reading a sheet against a ledger: the header, each row, merged ranges — the report a user gets back."""

from __future__ import annotations

import pytest

from domain.integration.ledgers.rows import data_rows, match_headers, merge_errors, parse_row
from domain.integration.ledgers.sheet import Merge, Sheet, SheetRow, Unreadable, column_letter
from domain.integration.ledgers.specs import ENTERPRISES, METRICS, TASKS, ledger
from domain.shared.errors import InvalidValue, NotFound


def headers_of(spec, *names):
    return match_headers(spec.columns, tuple(names), one_of=spec.one_of)


@pytest.mark.parametrize(
    "written",
    ["营业收入(万元)", "营业收入（万元）", "营业收入", " 营业 收入 ", "revenue", "REVENUE"],
)
def test_a_header_in_chinese_with_or_without_its_unit_or_the_english_field_name(written):
    headers = headers_of(METRICS, "企业名称", "年度", written)
    assert headers.columns[2].field == "revenue" and headers.written_as["revenue"] == written.strip()


def test_a_header_in_another_unit_is_not_read_as_this_one():
    headers = headers_of(METRICS, "企业名称", "年度", "营业收入(元)")
    assert "revenue" not in headers.written_as and headers.ignored == ["营业收入(元)"]


def test_missing_required_headers_are_named_in_both_languages():
    with pytest.raises(InvalidValue) as caught:
        headers_of(TASKS, "任务编号", "牵头部门")
    assert "任务名称" in caught.value.zh and "任务名称 (title)" in caught.value.en
    assert caught.value.field == "file"


def test_metrics_need_the_name_or_the_credit_code():
    with pytest.raises(InvalidValue) as caught:
        headers_of(METRICS, "年度", "营业收入")
    assert "企业名称" in caught.value.zh and "统一社会信用代码" in caught.value.zh
    assert headers_of(METRICS, "年度", "credit_code").has("credit_code")


def test_a_header_twice_or_a_formula_in_the_header_is_refused():
    with pytest.raises(InvalidValue, match="twice"):
        headers_of(ENTERPRISES, "企业名称", "name")
    with pytest.raises(InvalidValue):
        headers_of(ENTERPRISES, "企业名称", Unreadable("a formula", "公式"))


def test_a_row_reports_each_bad_cell_under_its_header_as_written():
    headers = headers_of(ENTERPRISES, "name", "注册日期", "是否上市", "当前梯度")
    parsed = parse_row(headers, SheetRow(7, (None, "2021-13-01", "是", "高新技术企业")))
    assert [(e.row, e.column) for e in parsed.errors] == [(7, "name"), (7, "注册日期")]
    assert parsed.values == {"name": None, "listed": True}  # the tier is shown in exports, never read


def test_errors_of_a_domain_field_point_at_the_column_that_feeds_it():
    headers = headers_of(TASKS, "任务名称", "上级任务编号", "配合部门")
    assert headers.header_for("parent_id") == "上级任务编号"
    assert headers.header_for("co_department_ids") == "配合部门"
    assert headers.header_for("due_date") is None and headers.header_for(None) is None


def test_merged_ranges_refuse_each_data_row_they_touch_in_a_read_column():
    headers = headers_of(ENTERPRISES, "企业名称", "注册日期", "备注")
    sheet = Sheet(
        headers_of and ("企业名称", "注册日期", "备注"),
        merges=[Merge("B2:B3", 2, 2, 3, 2), Merge("C2:C9", 2, 3, 9, 3), Merge("A5:A6", 5, 1, 6, 1)],
    )
    errors = merge_errors(sheet, headers, {2, 3, 4, 5})
    assert [(e.row, e.column) for e in errors] == [(2, "注册日期"), (3, "注册日期"), (5, "企业名称")]
    assert "B2:B3" in errors[0].zh


def test_a_merged_header_makes_the_sheet_unreadable():
    headers = headers_of(ENTERPRISES, "企业名称")
    with pytest.raises(InvalidValue, match="header row"):
        merge_errors(Sheet(("企业名称",), merges=[Merge("A1:B1", 1, 1, 1, 2)]), headers, {2})


def test_blank_rows_are_no_data_rows():
    rows = [SheetRow(2, ("甲",)), SheetRow(3, (None, " ")), SheetRow(4, ()), SheetRow(5, (None, "乙"))]
    assert [row.number for row in data_rows(Sheet(("企业名称",), rows))] == [2, 5]


@pytest.mark.parametrize("index, letters", [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (702, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_an_unknown_kind_is_not_found():
    with pytest.raises(NotFound):
        ledger("chains")
