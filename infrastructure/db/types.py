"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import JSON, DateTime, Enum, Numeric, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


class ExactDecimal(TypeDecorator):
    """Decimal amounts: NUMERIC on PostgreSQL, text on SQLite (whose NUMERIC would round through float)."""

    impl = Numeric(24, 6)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(24, 6))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value)
        return format(value, "f") if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return read_decimal(value)


@lru_cache(maxsize=4096)
def read_decimal(value: str | Decimal) -> Decimal:
    """A stored amount as read: trailing zeros from NUMERIC(24, 6) are noise to the reader (1234.500000 →
    1234.5, never 1E+3). Kept for the values read most (weights, shares): a plan's thousands of task weights
    are a handful of values, and a Decimal is immutable, so one object can stand for all of them."""
    return Decimal(format(Decimal(value).normalize(), "f"))


class UtcDateTime(TypeDecorator):
    """Timestamps stored in UTC and always returned timezone-aware (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: timestamps must carry an offset")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class JsonDocument(TypeDecorator):
    """JSON: JSONB on PostgreSQL, JSON text on SQLite."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else JSON())


def enum_column(enum_class) -> Enum:
    """A StrEnum stored as its value in a VARCHAR (no native enum type to migrate on PostgreSQL)."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )
