"""认定筛选: which designations an enterprise holds on a date, as the registry's list filters them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from domain.cultivation.certifications import Certification, CertificationKind

GAZELLE_OR_UNICORN = "gazelle_or_unicorn"
LISTED = "listed"
# Every kind, and the two groupings of the tier statistics (DOMAIN.md indicators 10 and 11).
DESIGNATIONS = (*(str(k) for k in CertificationKind), GAZELLE_OR_UNICORN, LISTED)


def designations_on(
    enterprise: Any, certifications: Iterable[Certification], on: date, today: date | None = None
) -> set[str]:
    """The kinds of its certifications valid that day, `gazelle_or_unicorn` with either, `listed` once
    known listed (`Enterprise.is_listed_on` with `today`).

    `enterprise` is an Enterprise or anything with its `is_listed_on` (EnterpriseFacts).
    """
    held = {str(c.kind) for c in certifications if c.valid_on(on)}
    if CertificationKind.GAZELLE in held or CertificationKind.UNICORN in held:
        held.add(GAZELLE_OR_UNICORN)
    if enterprise.is_listed_on(on, today) is True:
        held.add(LISTED)
    return held


def kinds_behind(designation: str) -> frozenset[CertificationKind]:
    """The kinds of which an enterprise must hold a certification to have the designation (none: listed)."""
    if designation == GAZELLE_OR_UNICORN:
        return frozenset({CertificationKind.GAZELLE, CertificationKind.UNICORN})
    if designation == LISTED:
        return frozenset()
    return frozenset({CertificationKind(designation)})
