"""Excel cells as the ledgers read them: a formula or an error value is no value, and text that starts like
a formula carries one quote in a file (so that no spreadsheet runs it) and none in the ledger."""

from __future__ import annotations

from domain.integration.ledgers.sheet import Unreadable

# Text starting with one of these is a formula to a spreadsheet reading a CSV. An export writes such text
# with one literal leading quote (a cell style would not survive the conversion to CSV); an import takes
# exactly that quote off again. One rule, both ways: `quote_text` and `unquote_text`.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _looks_like_formula(text: str) -> bool:
    """After any leading quotes, a formula character: what an export quotes (so quotes round-trip too)."""
    return text.lstrip(QUOTE).startswith(FORMULA_START)


def quote_text(text: str) -> str:
    """What an export writes for a text: with one more leading quote when it could be read as a formula."""
    return QUOTE + text if _looks_like_formula(text) else text


def unquote_text(text: str) -> str:
    """What an import reads from a text cell: one leading quote off where it stands before a formula
    character (after any other quotes); every other text as it is."""
    return text[1:] if text.startswith(QUOTE) and _looks_like_formula(text[1:]) else text


def formula() -> Unreadable:
    """A formula cell: never executed (its text could be anything), so never a value."""
    return Unreadable(
        "the cell holds a formula; formulas are never executed: paste the value instead",
        "单元格含公式,系统不执行公式,请改为粘贴数值",
    )


def error_value(code: str) -> Unreadable:
    """An error value such as #DIV/0!: the user sees which."""
    return Unreadable(f"the cell holds the error value {code}", f"单元格为错误值 {code}")


def cell_value(kind: str | None, value: object) -> object:
    """The value the ledger reads from a cell of openpyxl's data type `kind` ("f" formula, "e" error)."""
    if kind == "f":
        return formula()
    if kind == "e":
        return error_value(str(value))
    if isinstance(value, str):
        return unquote_text(value)  # text that starts with "=" is text: only a formula cell is a formula
    return value
