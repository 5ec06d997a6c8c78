"""A cell turned into a value: what a staff member types in Excel, and what the ledger makes of it."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.integration.ledgers.columns import Column, ValueType, format_cell, parse_cell
from domain.integration.ledgers.sheet import Unreadable
from domain.integration.ledgers.specs import ENTERPRISES, METRICS, TASKS
from domain.shared.errors import InvalidValue

TEXT = Column("股票代码", "stock_code")
INT = Column("年度", "year", ValueType.INT)
AMOUNT = Column("营业收入", "revenue", ValueType.DECIMAL, unit="万元")
DAY = Column("注册日期", "registered_on", ValueType.DATE)
FLAG = Column("是否上市", "listed", ValueType.BOOL)
NAMES = Column("配合部门", "co_departments", ValueType.LIST)
STATUS = ENTERPRISES.column("status")


def refused(column: Column, raw: object) -> InvalidValue:
    with pytest.raises(InvalidValue) as caught:
        parse_cell(column, raw)
    assert caught.value.field == column.field
    return caught.value


@pytest.mark.parametrize("raw", [None, "", "   ", "\n"])
def test_a_blank_cell_is_no_value(raw):
    assert parse_cell(AMOUNT, raw) is None


@pytest.mark.parametrize("column", [TEXT, INT, AMOUNT, DAY, FLAG])
def test_an_unreadable_cell_is_a_row_error_in_its_own_words(column):
    refusal = refused(column, Unreadable("the cell holds a formula", "单元格含公式"))
    assert (refusal.en, refusal.zh) == ("the cell holds a formula", "单元格含公式")


@pytest.mark.parametrize(
    "raw, expected", [(600290, "600290"), (600290.0, "600290"), (5.3, "5.3"), (" 贵州茅台 ", "贵州茅台")]
)
def test_text_keeps_what_excel_shows(raw, expected):
    assert parse_cell(TEXT, raw) == expected


def test_text_that_excel_turned_into_a_date_is_refused_with_the_remedy():
    assert "文本格式" in refused(TEXT, datetime(2024, 5, 3)).zh


@pytest.mark.parametrize(
    "raw, expected", [(2023, 2023), (2023.0, 2023), ("2023", 2023), (" 1,200 ", 1200), ("12.0", 12)]
)
def test_whole_numbers(raw, expected):
    assert parse_cell(INT, raw) == expected


@pytest.mark.parametrize("raw", [2023.5, "二〇二三", True, "12.5"])
def test_no_whole_number(raw):
    refused(INT, raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (0.1, Decimal("0.1")),
        (12000.5, Decimal("12000.5")),
        ("1,234.56", Decimal("1234.56")),
        (7, Decimal(7)),
        ("123456789012345678.123456", Decimal("123456789012345678.123456")),
    ],
)
def test_amounts_are_exact(raw, expected):
    value = parse_cell(AMOUNT, raw)
    assert value == expected and str(value) == str(expected)


@pytest.mark.parametrize("raw", ["约100", "NaN", "Infinity", True])
def test_no_amount(raw):
    refused(AMOUNT, raw)


@pytest.mark.parametrize(
    "raw",
    [
        date(2021, 5, 20),
        datetime(2021, 5, 20),
        "2021-05-20",
        "2021-5-20",
        "2021/05/20",
        "2021.5.20",
        "2021年5月20日",
        "2021年05月20日",
        "2021 年 5 月 20 日",
        "2021年5月20",
    ],
)
def test_dates_from_cells_and_from_unambiguous_text(raw):
    assert parse_cell(DAY, raw) == date(2021, 5, 20)


@pytest.mark.parametrize(
    "raw",
    [
        "20/05/2021",
        "05/20/2021",
        "2021-02-29",
        "2020-13-01",
        44336,
        datetime(2021, 5, 20, 9, 30),
        time(9, 30),
        "去年",
    ],
)
def test_dates_that_could_be_misread_or_do_not_exist_are_refused(raw):
    refused(DAY, raw)


def test_a_leap_day_is_a_date():
    assert parse_cell(DAY, "2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "raw, expected",
    [("是", True), ("否", False), (True, True), (0, False), ("Yes", True), ("N", False), ("√", True)],
)
def test_yes_and_no(raw, expected):
    assert parse_cell(FLAG, raw) is expected


def test_neither_yes_nor_no():
    assert "是" in refused(FLAG, "也许").zh


def test_lists_split_on_the_separators_people_use():
    assert parse_cell(NAMES, "经济发展局、科技创新局;财政局；\n商务局 、 ") == [
        "经济发展局",
        "科技创新局",
        "财政局",
        "商务局",
    ]
    assert parse_cell(NAMES, 8) == ["8"]


@pytest.mark.parametrize("raw", ["moved_out", "已迁出"])
def test_a_choice_by_slug_or_chinese_label(raw):
    assert parse_cell(STATUS, raw) == "moved_out"


def test_an_unknown_choice_lists_the_labels():
    assert "正常、已迁出、已注销" in refused(STATUS, "搬走了").zh


@pytest.mark.parametrize(
    "column, value",
    [
        (DAY, date(2021, 5, 20)),
        (FLAG, True),
        (FLAG, False),
        (NAMES, ["甲", "乙"]),
        (STATUS, "deregistered"),
        (AMOUNT, Decimal("1234.5")),
        (INT, 2023),
        (TEXT, "300202"),
    ],
)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_exported_cell_reads_back_as_the_same_value(column, value, language):
    assert parse_cell(column, format_cell(column, value, language=language)) == value


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False, allow_infinity=False))
def test_every_amount_the_columns_hold_reads_back_exactly(value):
    assert parse_cell(AMOUNT, format_cell(AMOUNT, value)) == value


def test_every_kind_names_each_field_once_and_its_sensitive_columns_are_the_figures():
    for spec in (ENTERPRISES, TASKS, METRICS):
        fields = [c.field for c in spec.columns]
        assert len(fields) == len(set(fields))
    assert {c.field for c in METRICS.columns if c.sensitive} == {
        c.field for c in METRICS.columns if c.field not in ("name", "credit_code", "year")
    }
