"""Base models: writes refuse unknown fields; reads build from domain objects."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer, create_model

# Amounts and indicator values travel as decimal strings ("1234.5"); requests accept numbers too.
DecimalStr = Annotated[
    Decimal,
    PlainSerializer(lambda v: format(v, "f") if v is not None else None, return_type=str | None),
]


class WriteModel(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
