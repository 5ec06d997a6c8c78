"""Checks for the plain values the planning entities hold (text, numbers), shared by its modules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from domain.shared.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)


def to_decimal(value: object, *, field: str, en: str, zh: str) -> Decimal:
    """Return `value` as an exact Decimal; a float goes through its shortest repr so 0.1 stays 0.1."""
    if isinstance(value, bool) or value is None:
        raise InvalidValue(f"{en} must be a number", f"{zh}须为数字", field=field)
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidValue(f"{en} must be a number", f"{zh}须为数字", field=field) from None
    if not number.is_finite():
        raise InvalidValue(f"{en} must be a finite number", f"{zh}须为有限数值", field=field)
    return number


def required_text(value: object, *, field: str, en: str, zh: str) -> str:
    """Return `value` stripped; refuse what is not text or is blank."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"{en} is required", f"{zh}不能为空", field=field)
    return value.strip()


def optional_text(value: str | None) -> str | None:
    """Return `value` stripped, or None when it is missing or blank."""
    if value is None:
        return None
    return value.strip() or None


def to_enum(kind: type[E], value: object, *, field: str) -> E:
    """Return `value` as a member of `kind`, refusing a slug the docs do not name."""
    try:
        return kind(value)
    except ValueError:
        slugs = ", ".join(member.value for member in kind)
        raise InvalidValue(
            f"{field} must be one of {slugs}", f"{field}须为以下之一：{slugs}", field=field
        ) from None
