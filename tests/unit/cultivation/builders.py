"""Test builders for the cultivation context: small, explicit, independent of the code under test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
YEAR = 2023


def with_check_character(first17: str) -> str:
    """An independent GB 32100 check: weights are 3^i mod 31 and the check makes the sum ≡ 0 (mod 31)."""
    total = sum(CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    (check,) = [c for c in CHARSET if (total + CHARSET.index(c)) % 31 == 0]
    return first17 + check


def enterprise(**details: Any) -> Enterprise:
    """An active enterprise registered long ago unless told otherwise."""
    details.setdefault("name", "鞍山测试科技有限公司")
    details.setdefault("registered_on", date(2018, 6, 1))
    return Enterprise(**details)


def metrics(year: int = YEAR, **figures: Any) -> AnnualMetrics:
    """A metrics record; numbers given as int/str become exact Decimals for amounts."""
    return AnnualMetrics(enterprise_id="e1", year=year, **figures)


def by_year(*records: AnnualMetrics) -> dict[int, AnnualMetrics]:
    """The mapping the rule sets take."""
    return {r.year: r for r in records}


def cert(kind: str, issued_on: date, **details: Any) -> Certification:
    """A certification of enterprise e1."""
    return Certification(enterprise_id="e1", kind=kind, issued_on=issued_on, **details)


def row(result: Any, name: str) -> dict[str, Any]:
    """The criterion row of that name anywhere in a result (members of any-one-of / all-of included)."""
    stack = [c.as_dict() for c in result.criteria]
    while stack:
        current = stack.pop()
        if current["name"] == name:
            return current
        if isinstance(current["actual"], list):
            stack.extend(current["actual"])
    raise KeyError(name)


def passed(result: Any, name: str) -> bool | None:
    """Whether the criterion of that name passed (True / False / None)."""
    return row(result, name)["passed"]


D = Decimal
