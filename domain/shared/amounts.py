"""Amounts (金额与数值): one digit limit for every decimal the service stores — 18 digits before the point
and 6 after (NUMERIC(24, 6)). Beyond it a value is refused (422), never rounded and never a database error."""

from __future__ import annotations

from decimal import Decimal

from domain.shared.errors import InvalidValue

MAX_DIGITS = 24
DECIMAL_PLACES = 6
INTEGER_DIGITS = MAX_DIGITS - DECIMAL_PLACES


def fits(value: Decimal) -> bool:
    """Whether the value has at most 18 digits before the point and 6 after it."""
    if not value.is_finite():
        return False
    _sign, digits, exponent = value.normalize().as_tuple()
    places = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    return places <= DECIMAL_PLACES and whole <= INTEGER_DIGITS


def check_amount(value: Decimal, *, field: str | None = None, label: str | None = None) -> Decimal:
    """The value when it fits, else InvalidValue naming the field."""
    if not fits(value):
        name = label or field or "the value"
        raise InvalidValue(
            f"{field or 'the value'} allows at most {INTEGER_DIGITS} digits before the point and "
            f"{DECIMAL_PLACES} after it",
            f"{name}最多{INTEGER_DIGITS}位整数、{DECIMAL_PLACES}位小数",
            field=field,
        )
    return value
