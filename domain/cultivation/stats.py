"""梯度统计: the pyramid on a date and the registry's counts for plan indicators 8–11, from certifications.

The definitions: the service counts the same from the stored validity intervals by index
(domain/cultivation/intervals.py::holder_counts, live_counts), and the tests hold the two equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from domain.cultivation.tiers import Tier, tier_on

_NONE: tuple[Certification, ...] = ()
DESIGNATIONS = (
    "tech_sme",
    "hnte",
    "eaglet",
    "gazelle_or_unicorn",
    "listed",
    "specialized",
    "little_giant",
    "above_scale",
    "platform",
)
# Enterprises read at a time when the whole registry is counted or screened: a worker holds one batch's
# facts, never the registry's (four years of a growth rule's figures for 50,000 enterprises: some 110 MB).
REGISTRY_BATCH = 5000
# Plan Table 1: 8 高新技术企业数量, 9 雏鹰企业数量, 10 瞪羚独角兽企业数量, 11 上市企业数量.
LIVE_INDICATORS = {8: "hnte", 9: "eaglet", 10: "gazelle_or_unicorn", 11: "listed"}


def tier_counts(
    enterprises: Iterable[Enterprise], certs_by_enterprise: Mapping[str, Sequence[Certification]], on: date
) -> dict[str, int]:
    """按梯度: active enterprises by tier on that date, every tier present (0 when empty)."""
    counts = dict.fromkeys((str(t) for t in Tier), 0)
    for enterprise in _active(enterprises):
        counts[str(tier_on(certs_by_enterprise.get(enterprise.id, _NONE), on))] += 1
    return counts


def designation_counts(
    enterprises: Iterable[Enterprise],
    certs_by_enterprise: Mapping[str, Sequence[Certification]],
    on: date,
    today: date | None = None,
) -> dict[str, int]:
    """按认定: active enterprises holding each designation on that date, each enterprise once per key.

    A rung is counted whatever the tier above it (an hnte that is also a gazelle counts in both). `listed`
    counts those known to be listed that day (`Enterprise.is_listed_on` with `today`): not those whose
    listing is unknown, nor, before today, those whose listing date is.
    """
    counts = dict.fromkeys(DESIGNATIONS, 0)
    for enterprise in _active(enterprises):
        held = {c.kind for c in certs_by_enterprise.get(enterprise.id, _NONE) if c.valid_on(on)}
        for kind in held:
            if kind in counts:
                counts[kind] += 1
        if CertificationKind.GAZELLE in held or CertificationKind.UNICORN in held:
            counts["gazelle_or_unicorn"] += 1
        if enterprise.is_listed_on(on, today) is True:
            counts["listed"] += 1
    return counts


def live_indicator_counts(
    enterprises: Iterable[Enterprise], certs_by_enterprise: Mapping[str, Sequence[Certification]], year: int
) -> dict[int, int]:
    """Indicators 8–11 on 31 Dec Y: {8: hnte, 9: eaglet, 10: gazelle or unicorn, 11: listed}, active only.

    11 counts listed_on ≤ 31 Dec Y: a listed enterprise whose listing date is unknown is not counted in any
    year (`listed_without_date` says how many are left out).
    """
    counts = designation_counts(enterprises, certs_by_enterprise, date(year, 12, 31))
    return {code: counts[key] for code, key in LIVE_INDICATORS.items()}


def listed_without_date(enterprises: Iterable[Enterprise]) -> int:
    """Active enterprises marked listed whose listing date is unknown: indicator 11 cannot count them."""
    return sum(1 for e in _active(enterprises) if e.listed is True and e.listed_on is None)


def _active(enterprises: Iterable[Enterprise]) -> Iterable[Enterprise]:
    # Moved-out and deregistered enterprises leave the zone's counts; status has no history, so this holds
    # for past dates too.
    return (e for e in enterprises if e.status == EnterpriseStatus.ACTIVE)
