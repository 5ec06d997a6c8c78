"""报告期: the month a progress report speaks for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.shared.errors import InvalidValue

_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """报告期: a calendar month written `YYYY-MM`; periods order by year, then month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1000 <= self.year <= 9999 and 1 <= self.month <= 12):
            raise InvalidValue(
                "period must be a month written YYYY-MM", "报告期须为YYYY-MM格式的月份", field="period"
            )

    @classmethod
    def parse(cls, text: object, *, field: str = "period") -> Period:
        """Read `YYYY-MM` (e.g. `2024-03`); anything else is refused with `field` named."""
        match = _YEAR_MONTH.fullmatch(text) if isinstance(text, str) else None
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise InvalidValue(
                f"{field} must be a month written YYYY-MM", f"{field}须为YYYY-MM格式的月份", field=field
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Period:
        """The month `day` falls in."""
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
