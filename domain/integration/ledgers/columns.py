"""台账列: what a column holds, and a cell turned into a value (imports) or a value into a cell (exports)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from domain.integration.ledgers.sheet import Unreadable
from domain.shared.amounts import check_amount
from domain.shared.errors import InvalidValue


class ValueType(StrEnum):
    """What a column's cells hold."""

    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    BOOL = "bool"
    LIST = "list"  # several texts in one cell, separated by 、 or ;
    CHOICE = "choice"  # a slug, or its Chinese label
    MONTH = "month"  # a report period YYYY-MM (2024-03, 2024年3月, or a date cell: its month)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a ledger: its Chinese header, its English field name, type and role."""

    zh: str
    field: str
    type: ValueType = ValueType.TEXT
    required: bool = False  # the header must be there, and a value in every row
    unit: str | None = None  # shown in the header, 营业收入(万元); the bare name is accepted too
    writable: bool = True  # False: exported for the reader, ignored on import
    key: bool = False  # read on import to find the record, never written
    sensitive: bool = False  # blank in exports for those without read_sensitive
    targets: tuple[str, ...] = ()  # domain fields this column feeds: their errors point here
    choices: tuple[tuple[str, str], ...] = ()  # CHOICE: (slug, label)
    aliases: tuple[str, ...] = ()  # other headers people write for it

    @property
    def header(self) -> str:
        return f"{self.zh}({self.unit})" if self.unit else self.zh

    @property
    def imported(self) -> bool:
        return self.writable or self.key


TRUE_WORDS = frozenset({"是", "true", "yes", "y", "1", "√"})
FALSE_WORDS = frozenset({"否", "false", "no", "n", "0", "×"})
LIST_SEPARATORS = re.compile(r"[、;；\n]")
ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
CHINESE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
INTEGER = re.compile(r"^[+-]?\d+$")


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _refuse(column: Column, en: str, zh: str) -> InvalidValue:
    return InvalidValue(en, zh, field=column.field)


def parse_cell(column: Column, raw: object) -> Any:
    """The value of one cell, None when blank; InvalidValue (with the column's field) when it is no value."""
    if is_blank(raw):
        return None
    if isinstance(raw, Unreadable):
        raise _refuse(column, raw.en, raw.zh)
    return _PARSERS[column.type](column, raw)


def _text(column: Column, raw: object) -> str:
    if isinstance(raw, bool):
        raise _refuse(column, "expected text, got TRUE/FALSE", "应为文本,实为逻辑值")
    if isinstance(raw, datetime | date | time):
        # Excel turns 5.3 into 5月3日 unless the cell is text: say so rather than store a date's digits.
        raise _refuse(
            column,
            "Excel read this cell as a date; format the column as text and type the value again",
            "该单元格被识别为日期,请将该列设为文本格式后重新输入",
        )
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return str(raw).strip()


def _int(column: Column, raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip().replace(",", "") if isinstance(raw, str) else ""
    if INTEGER.match(text):
        return int(text)
    if text.endswith(".0") and INTEGER.match(text[:-2]):
        return int(text[:-2])
    raise _refuse(column, f"{column.field} must be a whole number", f"{column.zh}须为整数")


def _decimal(column: Column, raw: object) -> Decimal:
    number = None
    if isinstance(raw, int | Decimal) and not isinstance(raw, bool):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))  # the shortest repr: 0.1 stays 0.1
    elif isinstance(raw, str):
        try:
            number = Decimal(raw.strip().replace(",", ""))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        raise _refuse(column, f"{column.field} must be a number", f"{column.zh}须为数值")
    return check_amount(number, field=column.field, label=column.zh)


def _date(column: Column, raw: object) -> date:
    if isinstance(raw, datetime):
        if raw.time() != time(0):
            raise _refuse(
                column, f"{column.field} must be a date without a time", f"{column.zh}须为日期,不含时刻"
            )
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = raw.strip() if isinstance(raw, str) else ""
    match = ISO_DATE.match(text) or CHINESE_DATE.match(text)
    if match is None:
        raise _refuse(
            column,
            f"{column.field} must be a date cell or text such as 2021-05-20 or 2021年5月20日",
            f"{column.zh}须为日期格式单元格,或形如 2021-05-20、2021年5月20日 的文本",
        )
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise _refuse(column, f"{text} is no date in the calendar", f"{text} 不是有效日期") from None


def _bool(column: Column, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    word = _text(column, raw).lower() if not isinstance(raw, int) else str(raw)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _refuse(column, f"{column.field} must be 是 or 否 (yes or no)", f"{column.zh}须为“是”或“否”")


MONTH_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$")


def _month(column: Column, raw: object) -> str:
    if isinstance(raw, datetime | date):  # Excel made "2024-03" a date: its month is what was meant
        return f"{raw.year:04d}-{raw.month:02d}"
    text = raw.strip() if isinstance(raw, str) else ""
    match = MONTH_TEXT.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise _refuse(
            column,
            f"{column.field} must be a month such as 2024-03 or 2024年3月",
            f"{column.zh}须为月份,形如 2024-03 或 2024年3月",
        )
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _list(column: Column, raw: object) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(_text(column, raw)) if part.strip()]


def _choice(column: Column, raw: object) -> str:
    text = _text(column, raw)
    for slug, label in column.choices:
        if text in (slug, label):
            return slug
    labels = "、".join(label for _, label in column.choices)
    slugs = ", ".join(slug for slug, _ in column.choices)
    raise _refuse(column, f"{column.field} must be one of {slugs}", f"{column.zh}须为以下之一:{labels}")


_PARSERS = {
    ValueType.TEXT: _text,
    ValueType.INT: _int,
    ValueType.DECIMAL: _decimal,
    ValueType.DATE: _date,
    ValueType.BOOL: _bool,
    ValueType.LIST: _list,
    ValueType.CHOICE: _choice,
    ValueType.MONTH: _month,
}


def format_cell(column: Column, value: Any, *, language: str = "zh") -> Any:
    """What an export writes for a value: the form `parse_cell` reads back to the same value."""
    if value is None:
        return None
    if column.type is ValueType.BOOL:
        return ("是" if value else "否") if language == "zh" else ("yes" if value else "no")
    if column.type is ValueType.LIST:
        return "、".join(str(item) for item in value) or None
    if column.type is ValueType.CHOICE:
        label = dict(column.choices).get(str(value), str(value))
        return label if language == "zh" else str(value)
    if column.type is ValueType.DECIMAL:
        return Decimal(value)
    if isinstance(value, StrEnum):
        return value.value
    return value
