"""认定条件: what every eligibility rule set returns, and how its criteria combine (three-valued)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, Protocol

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics


@dataclass(frozen=True, slots=True)
class Criterion:
    """判定项: one explained criterion; `passed` is None when data or an expert's input is missing.

    `actual` and `threshold` are JSON-ready (Decimals as strings; an "any one of" / "all of" criterion
    lists its members' rows as its actual). `needs` names what a null criterion lacks ("revenue:2023",
    "registered_on"); it is empty unless `passed` is None, feeds `RuleResult.missing`, and is not part of
    the API row.
    """

    name: str
    actual: Any
    threshold: Any
    passed: bool | None
    needs: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The API's row: {"name", "actual", "threshold", "passed"}."""
        return {"name": self.name, "actual": self.actual, "threshold": self.threshold, "passed": self.passed}


class Check(NamedTuple):
    """A decided criterion: `passed` at once, its explaining `Criterion` only when asked for.

    Screening decides tens of thousands of enterprises and explains only the candidates, so formatting
    (decimal strings, ratios, member rows) waits for `row()`: `explain(passed, *args)`.
    """

    passed: bool | None
    explain: Callable[..., Criterion]
    args: tuple[Any, ...]

    def row(self) -> Criterion:
        """The explained criterion."""
        return self.explain(self.passed, *self.args)


def check(name: str, actual: Any, threshold: Any, passed: bool | None, needs: tuple[str, ...] = ()) -> Check:
    """A check whose row is already JSON-ready (cheap values: ints, bools, short strings)."""
    return Check(passed, _given, (name, actual, threshold, needs))


def _given(passed: bool | None, name: str, actual: Any, threshold: Any, needs: tuple[str, ...]) -> Criterion:
    return Criterion(name, actual, threshold, passed, needs if passed is None else ())


def verdict(outcomes: Sequence[bool | None]) -> bool | None:
    """All of: False when any is False, else None when any is None, else True."""
    if False in outcomes:
        return False
    return None if None in outcomes else True


def all_of(name: str, members: Sequence[Check]) -> Check:
    """A criterion that needs every member (a route with side conditions)."""
    return Check(verdict([m.passed for m in members]), _combined, (name, "all of", members))


def any_of(name: str, members: Sequence[Check]) -> Check:
    """ "Any one of": True when any member is True, False when all are False, else None."""
    outcomes = [m.passed for m in members]
    passed = True if True in outcomes else (None if None in outcomes else False)
    return Check(passed, _combined, (name, "any one of", members))


def _combined(passed: bool | None, name: str, label: str, members: Sequence[Check]) -> Criterion:
    rows = [m.row() for m in members]
    needs = () if passed is not None else tuple(dict.fromkeys(n for r in rows for n in r.needs))
    return Criterion(name, [r.as_dict() for r in rows], label, passed, needs)


@dataclass(frozen=True, slots=True)
class RuleResult:
    """认定判定结果: eligible True / False / None (undecided: see `missing`), explained by criterion.

    `score` and `score_parts` are filled by `tech_sme` only (its 100-point evaluation).
    """

    rule_set: str
    version: int
    eligible: bool | None
    criteria: list[Criterion]
    missing: list[str]
    score: int | None = None
    score_parts: dict[str, int | None] | None = None
    in_force: bool = True
    effective_from: date | None = None

    @classmethod
    def of(cls, rule_set: RuleSet, criteria: list[Criterion], **score: Any) -> RuleResult:
        """Combine the top-level criteria: all must pass; `missing` gathers what the null ones need."""
        eligible = verdict([c.passed for c in criteria])
        missing = [] if eligible is True else list(dict.fromkeys(n for c in criteria for n in c.needs))
        return cls(
            rule_set.name,
            rule_set.version,
            eligible,
            criteria,
            missing,
            **score,
            effective_from=rule_set.effective_from,
        )

    @classmethod
    def not_in_force(cls, first: RuleSet) -> RuleResult:
        """The answer for a year before the rule set's first version took effect: undecided, no criteria."""
        return cls(
            first.name, first.version, None, [], [], in_force=False, effective_from=first.effective_from
        )

    def as_dict(self) -> dict[str, Any]:
        """The API's result; `score` and `score_parts` only where the rule set scores."""
        body: dict[str, Any] = {
            "rule_set": self.rule_set,
            "version": self.version,
            "in_force": self.in_force,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "eligible": self.eligible,
            "criteria": [c.as_dict() for c in self.criteria],
            "missing": list(self.missing),
        }
        if self.score_parts is not None:
            body["score"] = self.score
            body["score_parts"] = dict(self.score_parts)
        return body


class RuleSet(Protocol):
    """认定条件版本: one version of a designation's conditions, in force for years from `effective_from`.

    `checks` yields the top-level criteria, decided, in order (screening stops at the first that is not
    true); `conclude` turns their rows into the result; `evaluate` does both for every criterion.
    """

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> int: ...

    @property
    def effective_from(self) -> date: ...

    def checks(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> Iterator[Check]: ...

    def conclude(
        self,
        criteria: list[Criterion],
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> RuleResult: ...

    def evaluate(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> RuleResult: ...


class RuleSetBase:
    """The shared half of every rule set: `evaluate` explains and concludes every check."""

    __slots__ = ()

    def evaluate(
        self,
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> RuleResult:
        """Evaluate year Y: every criterion explained; eligible true / false / null."""
        checks = self.checks(enterprise, certifications, metrics_by_year, year)  # type: ignore[attr-defined]
        rows = [c.row() for c in checks]
        return self.conclude(rows, enterprise, certifications, metrics_by_year, year)

    def conclude(
        self,
        criteria: list[Criterion],
        enterprise: Enterprise,
        certifications: Sequence[Certification],
        metrics_by_year: Mapping[int, AnnualMetrics],
        year: int,
    ) -> RuleResult:
        """The result of these criteria (all must pass)."""
        return RuleResult.of(self, criteria)  # type: ignore[arg-type]
