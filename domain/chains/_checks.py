"""Small validators the chains context shares: required text, optional text, enum slugs, "keep" sentinel."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import TypeVar

from domain.shared.errors import InvalidValue


class Keep(Enum):
    """Marks an argument of a `revise` method that was not given: the field keeps its value."""

    KEEP = "keep"


KEEP = Keep.KEEP

E = TypeVar("E", bound=StrEnum)


def required_text(value: object, *, field: str, en: str, zh: str) -> str:
    """Return the text stripped, refusing a missing or blank one."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(en, zh, field=field)
    return value.strip()


def optional_text(value: object, *, field: str) -> str | None:
    """Return the text stripped, None for a missing or blank one."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(f"{field} must be text", f"{field}须为文本", field=field)
    return value.strip() or None


def parse_slug(kind: type[E], value: object, *, field: str, zh_name: str) -> E:
    """Return the member of `kind` whose slug is `value`, refusing any other value."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidValue(
            f"{field} must be one of: {allowed}", f"{zh_name}须为以下之一:{allowed}", field=field
        ) from None
