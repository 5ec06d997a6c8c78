"""Plan (规划): the development plan whose tasks and indicators the system follows."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.planning._values import optional_text, required_text
from domain.planning.period import Period
from domain.shared.errors import InvalidValue
from domain.shared.ids import new_id


@dataclass(eq=False, kw_only=True)
class Plan:
    """规划: title, the years it covers (e.g. 2021–2025), its issuer and when it was issued (`YYYY-MM`)."""

    id: str = field(default_factory=new_id)
    title: str
    start_year: int
    end_year: int
    issuer: str | None = None
    issued: str | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check the fields again (call after changing them, e.g. on PATCH)."""
        self.title = required_text(self.title, field="title", en="title", zh="规划名称")
        for name in ("start_year", "end_year"):
            year = getattr(self, name)
            if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
                raise InvalidValue(f"{name} must be a four-digit year", "年份须为四位数字", field=name)
        if self.start_year > self.end_year:
            raise InvalidValue(
                "start_year must not be after end_year", "规划起始年份不能晚于终止年份", field="end_year"
            )
        self.issuer = optional_text(self.issuer)
        if self.issued is not None:
            self.issued = str(Period.parse(self.issued, field="issued"))

    @property
    def years(self) -> range:
        """The plan's years, both ends included."""
        return range(self.start_year, self.end_year + 1)

    def check_year(self, year: int, *, field: str = "year") -> None:
        """Refuse a year outside the plan (422)."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in self.years:
            raise InvalidValue(
                f"year must be within the plan ({self.start_year}–{self.end_year})",
                f"年份须在规划期内({self.start_year}—{self.end_year}年)",
                field=field,
            )
