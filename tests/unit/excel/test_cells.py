"""Excel cells as the ledgers read them: formulas and error values are no values; quoted text round-trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.integration.ledgers.columns import Column, ValueType, parse_cell
from domain.integration.ledgers.sheet import Unreadable
from domain.shared.errors import InvalidValue
from infrastructure.excel.cells import FORMULA_START, cell_value, quote_text, unquote_text

TEXT = Column("股票代码", "stock_code")
AMOUNT = Column("营业收入", "revenue", ValueType.DECIMAL, unit="万元")


def read(kind: str | None, value: object, column: Column = TEXT) -> object:
    """What the ledger makes of a cell the reader met: the reader's value, parsed by the column."""
    return parse_cell(column, cell_value(kind, value))


@pytest.mark.parametrize("column", [TEXT, AMOUNT])
def test_a_formula_cell_is_never_a_value(column):
    assert isinstance(cell_value("f", "=SUM(A1:A3)"), Unreadable)
    with pytest.raises(InvalidValue) as caught:
        read("f", "=SUM(A1:A3)", column)
    assert "公式" in caught.value.zh and caught.value.field == column.field


def test_an_error_cell_says_its_error():
    with pytest.raises(InvalidValue) as caught:
        read("e", "#DIV/0!", AMOUNT)
    assert "#DIV/0!" in caught.value.zh


@pytest.mark.parametrize(
    "text, written",
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+86 138", "'+86 138"),
        ("-5%", "'-5%"),
        ("@张三", "'@张三"),
        ("'=x", "''=x"),
        ("'普通", "'普通"),
        ("普通", "普通"),
        ("a=b", "a=b"),
    ],
)
def test_text_that_starts_like_a_formula_is_written_with_one_quote_and_read_back_without(text, written):
    assert quote_text(text) == written
    assert read("s", written) == text


@given(st.text(min_size=1).map(str.strip).filter(bool))
def test_every_text_round_trips_through_the_quote(text):
    assert unquote_text(quote_text(text)) == text
    assert not quote_text(text).startswith(FORMULA_START)


def test_numbers_and_dates_pass_as_they_are():
    assert cell_value("n", 12.5) == 12.5 and cell_value(None, None) is None
