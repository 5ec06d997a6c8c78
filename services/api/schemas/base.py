"""Base models: writes refuse unknown fields; reads build from domain objects."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from annotated_types import MaxLen
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    create_model,
    field_validator,
)
from pydantic_core import PydanticCustomError

from domain.shared.amounts import DECIMAL_PLACES, MAX_DIGITS

# Every decimal a request writes: one limit (18 digits before the point, 6 after), 422 beyond it.
AmountIn = Annotated[Decimal, Field(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)]

# Amounts and indicator values travel as decimal strings ("1234.5"); requests accept numbers too.
DecimalStr = Annotated[
    Decimal,
    PlainSerializer(lambda v: format(v, "f") if v is not None else None, return_type=str | None),
]


def _iso(pattern: str, shape: str):
    """Accept only the ISO text form: pydantic's lax mode would read a bare number as a Unix time."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, int | float) or (isinstance(value, str) and not compiled.fullmatch(value)):
            raise ValueError(f"must be written as {shape}")
        return value

    return BeforeValidator(check)


# Query parameters that are dates or moments, in their ISO text form only.
IsoDate = Annotated[date, _iso(r"\d{4}-\d{2}-\d{2}", "YYYY-MM-DD")]
IsoDateTime = Annotated[
    datetime,
    _iso(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?", "ISO 8601"),
]


def _holds_a_date(annotation: Any) -> bool:
    """Whether a field's type is a date or a moment (itself, optional, or annotated)."""
    if isinstance(annotation, type):
        return issubclass(annotation, date)
    return any(_holds_a_date(inner) for inner in getattr(annotation, "__args__", ()))


class WriteModel(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _length_as_sent(cls, value: Any, info: ValidationInfo) -> Any:
        # Surrounding blanks are stripped before the length is checked; the schema's maxLength speaks of
        # the text as sent, so a text longer than it is refused even when only its blanks are over.
        limit = next(
            (m.max_length for m in cls.model_fields[info.field_name].metadata if isinstance(m, MaxLen)), None
        )
        if isinstance(value, str) and limit is not None and len(value) > limit:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": limit},
            )
        if isinstance(value, int | float) and _holds_a_date(cls.model_fields[info.field_name].annotation):
            # pydantic's lax mode reads a bare number as a Unix time (`"since": 0` → 1970-01-01); the schema
            # says a date is written as text, so a number is refused as it describes.
            raise PydanticCustomError("date_type", "Input should be a date written as YYYY-MM-DD")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return refuse_nul(value)


def refuse_nul(value: Any) -> Any:
    """Refuse a NUL anywhere in a value: PostgreSQL cannot store one and SQLite cuts LIKE patterns at it."""
    if has_nul(value):
        raise ValueError("must not contain a NUL character (U+0000)")
    return value


# For form fields, which are not part of a WriteModel.
NoNul = AfterValidator(refuse_nul)


def has_nul(value: Any) -> bool:
    """Whether a string, or any string inside a list, dict or model, holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_nul(v) for v in value)
    return False


class ReadModel(BaseModel):
    """A response body, built from domain objects by attribute."""

    model_config = ConfigDict(from_attributes=True)


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A keyset page: `items` and the opaque `next_cursor` (null on the last page)."""

    items: list[T]
    next_cursor: str | None


_ITEM_MODELS: dict[type, type] = {}


def Item(schema: type[BaseModel]) -> type[BaseModel]:
    """The list-item form of a read schema: the same fields plus the item's `etag`."""
    if schema not in _ITEM_MODELS:
        _ITEM_MODELS[schema] = create_model(f"{schema.__name__}Item", __base__=schema, etag=(str, ...))
    return _ITEM_MODELS[schema]
