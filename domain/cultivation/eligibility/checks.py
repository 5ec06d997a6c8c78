"""判定工具: the checks the rule sets share — comparisons that turn missing data into null, never false."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.eligibility.base import Check, Criterion, check
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics

_SHOWN = Decimal("0.0001")


def need(name: str, year: int | None) -> str:
    """How `missing` names a figure: "revenue:2023", or "registered_on" for a fact without a year."""
    return name if year is None else f"{name}:{year}"


def figure(metrics_by_year: Mapping[int, AnnualMetrics], year: int, name: str) -> Any:
    """A figure of a year, None when the year or the figure is missing."""
    record = metrics_by_year.get(year)
    return None if record is None else getattr(record, name)


def shown(value: Any) -> Any:
    """JSON-ready: Decimals become strings (as entered), the rest stays."""
    return str(value) if isinstance(value, Decimal) else value


def shown_ratio(numerator: Decimal | int, denominator: Decimal | int) -> str:
    """A ratio as a decimal string cut (not rounded) to 4 places: it never looks past a ≥ bound it misses."""
    return str((Decimal(numerator) / denominator).quantize(_SHOWN, rounding=ROUND_DOWN))


def at_most(name: str, value: Any, limit: Any, figure_name: str, year: int | None) -> Check:
    """value ≤ limit; null without the value."""
    return Check(None if value is None else value <= limit, compared, (name, value, limit, figure_name, year))


def at_least(name: str, value: Any, minimum: Any, figure_name: str, year: int | None) -> Check:
    """value ≥ minimum; null without the value."""
    return Check(
        None if value is None else value >= minimum, compared, (name, value, minimum, figure_name, year)
    )


def above(name: str, value: Any, bound: Any, figure_name: str, year: int | None) -> Check:
    """value > bound (strictly); null without the value."""
    return Check(None if value is None else value > bound, compared, (name, value, bound, figure_name, year))


def compared(
    passed: bool | None, name: str, value: Any, bound: Any, figure_name: str, year: int | None
) -> Criterion:
    needs = (need(figure_name, year),) if value is None else ()
    return Criterion(name, shown(value), shown(bound), passed, needs)


def quotient(
    metrics_by_year: Mapping[int, AnnualMetrics],
    years: Iterable[int],
    numerator: str,
    denominator: str,
    years_or: tuple[int, ...] = (),
) -> tuple[Any, Any, tuple[str, ...]]:
    """Σ numerator and Σ denominator over the years, and what a null ratio needs.

    The needs are the missing figures; when none is missing but Σ denominator is 0, the denominator's
    figures are named instead (a zero denominator makes the ratio null, never false). No years at all (an
    enterprise registered after the window) is no data either: the ratio is null, needing the figures of
    `years_or` (the year asked).
    """
    top: Any = 0
    bottom: Any = 0
    lacking: list[str] = []
    years = tuple(years)
    if not years:
        return None, None, tuple(need(name, year) for year in years_or for name in (numerator, denominator))
    for year in years:
        record = metrics_by_year.get(year)
        a = None if record is None else getattr(record, numerator)
        b = None if record is None else getattr(record, denominator)
        if a is None:
            lacking.append(need(numerator, year))
        else:
            top += a
        if b is None:
            lacking.append(need(denominator, year))
        else:
            bottom += b
    if lacking:
        return None, None, tuple(lacking)
    if bottom == 0:
        return top, bottom, tuple(need(denominator, year) for year in years)
    return top, bottom, ()


def ratio_at_least(
    name: str, numerator: Any, denominator: Any, needs: tuple[str, ...], minimum: Any
) -> Check:
    """numerator / denominator ≥ minimum, tested exactly as numerator ≥ minimum × denominator; null (never
    true) without both sums or with a zero denominator."""
    if needs or minimum is None or numerator is None or denominator is None or denominator == 0:
        return Check(None, _ratio, (name, None, None, minimum, needs))
    return Check(numerator >= minimum * denominator, _ratio, (name, numerator, denominator, minimum, ()))


def _ratio(
    passed: bool | None, name: str, numerator: Any, denominator: Any, minimum: Any, needs: tuple[str, ...]
) -> Criterion:
    actual = None if passed is None else shown_ratio(numerator, denominator)
    return Criterion(name, actual, shown(minimum), passed, needs)


def flag(name: str, value: bool | None, figure_name: str, year: int) -> Check:
    """An expert input (set by an officer): True / False as given, null until given."""
    return check(name, value, True, value, () if value is not None else (need(figure_name, year),))


def holds_valid(
    name: str, certifications: Iterable[Certification], kind: CertificationKind, year: int
) -> Check:
    """Holds a valid certification of that kind on 31 December of the year; never null."""
    on = date(year, 12, 31)
    held = any(c.kind == kind and c.valid_on(on) for c in certifications)
    return check(name, held, True, held)


def registered_within(name: str, enterprise: Enterprise, year: int, years: int) -> Check:
    """ "Registered ≤ N years": registered_on ≥ 31 Dec (Y − N) — always a 31 December, so no leap day — and
    by 31 Dec Y: an enterprise registered after the year did not exist in it."""
    earliest, year_end = date(year - years, 12, 31), date(year, 12, 31)
    registered = enterprise.registered_on
    passed = None if registered is None else earliest <= registered <= year_end
    return Check(passed, _registered, (name, registered, earliest))


def _registered(passed: bool | None, name: str, registered: date | None, earliest: date) -> Criterion:
    if registered is None:
        return Criterion(name, None, earliest.isoformat(), None, ("registered_on",))
    return Criterion(name, registered.isoformat(), earliest.isoformat(), passed)


def existing_years(enterprise: Enterprise, first: int, last: int) -> range:
    """The fiscal years first..last the enterprise existed in (all of them when registered_on is unknown)."""
    registered = enterprise.registered_on
    return range(first if registered is None else max(first, registered.year), last + 1)
