"""认定条件版本库: which version of a rule set applies to a year, so that past results never change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain.cultivation.eligibility.base import RuleSet
from domain.shared.errors import Duplicate, InvalidValue, NotFound

FIRST_YEAR, LAST_YEAR = 1990, 2100


class RuleSetRegistry:
    """The versions of every rule set; year Y gets the newest whose effective_from ≤ 31 Dec Y."""

    def __init__(self, rule_sets: Iterable[RuleSet] = ()) -> None:
        self._versions: dict[str, list[RuleSet]] = {}
        for rule_set in rule_sets:
            self.register(rule_set)

    def register(self, rule_set: RuleSet) -> None:
        """Add a version beside the old ones (a changed policy is never an edit)."""
        versions = self._versions.setdefault(rule_set.name, [])
        if any(v.version == rule_set.version for v in versions):
            raise Duplicate(
                f"{rule_set.name} version {rule_set.version} is already registered",
                f"认定条件 {rule_set.name} 第{rule_set.version}版已存在",
            )
        versions.append(rule_set)
        versions.sort(key=lambda v: (v.effective_from, v.version))

    def rule_set_for(self, name: str, year: int) -> RuleSet:
        """The version that applies to year Y; NotFound for an unknown name or a year before every version."""
        if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidValue("year must be between 1990 and 2100", "年份须在1990到2100之间", field="year")
        if name not in self._versions:
            raise NotFound(f"unknown rule set {name!r}", f"未知认定条件 {name!r}")
        year_end = date(year, 12, 31)
        applicable = [v for v in self._versions[name] if v.effective_from <= year_end]
        if not applicable:
            raise NotFound(f"no version of {name} applies to {year}", f"{year}年无适用的 {name} 认定条件")
        return applicable[-1]

    def in_force(self, name: str, year: int) -> RuleSet | None:
        """The version of a known rule set in force in year Y; None before its first version."""
        try:
            return self.rule_set_for(name, year)
        except NotFound:
            if name not in self._versions:
                raise
            return None

    def first(self, name: str) -> RuleSet:
        """A rule set's first version (the earliest effective_from)."""
        return self._versions[name][0]

    def rule_sets_for(self, year: int) -> list[RuleSet]:
        """One version per rule set that applies to year Y, in registration order of the names."""
        result = []
        for name in self._versions:
            try:
                result.append(self.rule_set_for(name, year))
            except NotFound:
                continue
        return result

    def all(self) -> list[RuleSet]:
        """Every registered version, by name then effective date."""
        return [v for versions in self._versions.values() for v in versions]

    def names(self) -> list[str]:
        """The rule sets' names."""
        return list(self._versions)
