"""有效期: each certification's validity interval, and the tiers and counts read from intervals alone.

The intervals are the domain's answer to "who holds kind K on day D": a certification is valid from its
issue date through its last valid day — the earlier of its expiry and the day before its revocation — and
never when revoked on the day it was issued. They are stored beside the certifications (written in the
transaction of every write that changes them), so the registry's counts on a date read an index instead of
every certification; `tier_of` and `holder_counts` give the same answers as `tier_on` and `stats` give
from the certifications themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple, Protocol

from domain.cultivation.certifications import CertificationKind
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.stats import DESIGNATIONS, LIVE_INDICATORS
from domain.cultivation.tiers import RANKS, TIER_OF_KIND, Tier


class CertificationLike(Protocol):
    """What an interval is computed from: a Certification or its light CertificationFacts."""

    id: str
    enterprise_id: str
    kind: CertificationKind
    issued_on: date
    expires_on: date | None
    revoked: bool
    revoked_on: date | None


@dataclass(frozen=True, slots=True)
class CertificationInterval:
    """The days a certification is valid: valid_from ≤ day ≤ valid_until (None: open-ended)."""

    certification_id: str
    enterprise_id: str
    kind: CertificationKind
    valid_from: date
    valid_until: date | None

    def covers(self, on: date) -> bool:
        """Whether the certification is valid on that day."""
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


def interval_of(certification: CertificationLike) -> CertificationInterval | None:
    """The certification's validity interval; None when it is valid on no day (revoked on its issue day)."""
    last = certification.expires_on
    if certification.revoked:
        if certification.revoked_on is None:  # revoked with no date: valid on no day (Certification.valid_on)
            return None
        before_revocation = certification.revoked_on - timedelta(days=1)
        last = before_revocation if last is None else min(last, before_revocation)
    if last is not None and last < certification.issued_on:
        return None
    return CertificationInterval(
        certification.id, certification.enterprise_id, certification.kind, certification.issued_on, last
    )


def intervals_of(certifications: Iterable[CertificationLike]) -> list[CertificationInterval]:
    """The intervals of the certifications valid on at least one day, in the certifications' order."""
    return [i for i in map(interval_of, certifications) if i is not None]


def tier_of(intervals: Iterable[CertificationInterval], on: date) -> Tier:
    """The highest rung among the intervals covering that day; `none` without one (as `tier_on`)."""
    return highest_rung(i.kind for i in intervals if i.covers(on))


def highest_rung(kinds: Iterable[CertificationKind]) -> Tier:
    """The highest tier the kinds held make (specialized, little_giant and above_scale make none)."""
    best = Tier.NONE
    for kind in kinds:
        tier = TIER_OF_KIND.get(kind)
        if tier is not None and RANKS[tier] > RANKS[best]:
            best = tier
    return best


ONE_DAY = timedelta(days=1)


class HoldingSet(NamedTuple):
    """The kinds held together on a day, and how many active enterprises hold exactly those kinds."""

    kinds: frozenset[CertificationKind]
    enterprises: int


def holding_sets(holdings: Iterable[tuple[str, CertificationKind]]) -> list[HoldingSet]:
    """Group (enterprise id, kind) pairs into the distinct sets of kinds held, each with its holders."""
    held: dict[str, set[CertificationKind]] = {}
    for enterprise_id, kind in holdings:
        held.setdefault(enterprise_id, set()).add(CertificationKind(kind))
    tally = Counter(frozenset(kinds) for kinds in held.values())
    return [HoldingSet(kinds, count) for kinds, count in tally.items()]


@dataclass(frozen=True, slots=True)
class HoldingSpan:
    """持有时段: the days valid_from ≤ day ≤ valid_until (None: open-ended) over which an enterprise holds
    exactly `kinds` (never empty). An enterprise's spans never overlap, and two spans that touch differ."""

    enterprise_id: str
    kinds: frozenset[CertificationKind]
    valid_from: date
    valid_until: date | None

    covers = CertificationInterval.covers


def sets_held_on(spans: Iterable[HoldingSpan], on: date) -> list[HoldingSet]:
    """The distinct sets of kinds the spans' enterprises hold on `on`, each with its holders (what the
    database groups from the stored spans of the active enterprises)."""
    return [
        HoldingSet(kinds, count) for kinds, count in Counter(s.kinds for s in spans if s.covers(on)).items()
    ]


def holding_spans(intervals: Iterable[CertificationInterval]) -> list[HoldingSpan]:
    """The spans of constant kinds held that the intervals make, per enterprise (ordered by enterprise, day).

    Stored beside the intervals with the enterprise's activity, they answer "which sets of kinds do the active
    enterprises hold on day D" with one index row per enterprise instead of grouping its intervals.
    """
    by_enterprise: dict[str, list[CertificationInterval]] = {}
    for interval in intervals:
        by_enterprise.setdefault(interval.enterprise_id, []).append(interval)
    spans: list[HoldingSpan] = []
    for enterprise_id in sorted(by_enterprise):
        held = by_enterprise[enterprise_id]
        # The set held changes only on a first valid day or on the day after a last one.
        starts = sorted(
            {i.valid_from for i in held} | {i.valid_until + ONE_DAY for i in held if i.valid_until}
        )
        mine: list[HoldingSpan] = []
        for position, first in enumerate(starts):
            last = starts[position + 1] - ONE_DAY if position + 1 < len(starts) else None
            kinds = frozenset(i.kind for i in held if i.covers(first))
            if not kinds:
                continue
            if mine and mine[-1].kinds == kinds and mine[-1].valid_until == first - ONE_DAY:
                mine[-1] = HoldingSpan(enterprise_id, kinds, mine[-1].valid_from, last)
            else:
                mine.append(HoldingSpan(enterprise_id, kinds, first, last))
        spans += mine
    return spans


def holder_counts(
    active: int, sets: Iterable[HoldingSet], listed: int
) -> tuple[dict[str, int], dict[str, int]]:
    """(by tier, by designation) of the active enterprises on a day, from what they hold that day.

    `active`: how many enterprises are active; `sets`: the distinct sets of kinds the active enterprises
    holding anything hold that day, each with how many hold it (`holding_sets`); `listed`: how many of them
    are known listed that day. The same counts as `stats.tier_counts` and `stats.designation_counts` (each
    enterprise once per key; a rung is counted whatever the tier above it). A few dozen sets stand for tens
    of thousands of enterprises, so the registry's counts on a day cost what grouping its index costs.
    """
    by_tier = dict.fromkeys((str(t) for t in Tier), 0)
    by_designation = dict.fromkeys(DESIGNATIONS, 0)
    holders = 0
    for kinds, count in sets:
        holders += count
        by_tier[str(highest_rung(kinds))] += count
        for kind in kinds:
            if kind in by_designation:
                by_designation[kind] += count
        if CertificationKind.GAZELLE in kinds or CertificationKind.UNICORN in kinds:
            by_designation["gazelle_or_unicorn"] += count
    by_tier[str(Tier.NONE)] += active - holders
    by_designation["listed"] = listed
    return by_tier, by_designation


class Listing(NamedTuple):
    """上市: what an active enterprise marked listed says of its listing (read by `is_listed_on`)."""

    listed: bool | None
    listed_on: date | None

    is_listed_on = Enterprise.is_listed_on


def listed_count(listings: Iterable[Listing], on: date, today: date | None = None) -> int:
    """How many of the listings are known listed on that day (as `stats.designation_counts` counts)."""
    return sum(1 for listing in listings if listing.is_listed_on(on, today) is True)


def live_counts(
    active: int, sets: Iterable[HoldingSet], listings: Iterable[Listing], year: int
) -> tuple[dict[int, int], dict[int, int]]:
    """Indicators 8–11 on 31 Dec Y from what the active enterprises hold that day (as
    `stats.live_indicator_counts`), and beside them what 11 leaves out: listed enterprises without a date."""
    listings = list(listings)
    _, by_designation = holder_counts(active, sets, listed_count(listings, date(year, 12, 31)))
    counts = {code: by_designation[key] for code, key in LIVE_INDICATORS.items()}
    return counts, {
        11: sum(1 for listing in listings if listing.listed is True and listing.listed_on is None)
    }
