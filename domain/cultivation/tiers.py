"""梯度: the ladder an enterprise climbs, derived from its certifications (stored for today beside them:
domain/cultivation/intervals.py gives the same answer from the validity intervals)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.cultivation.certifications import Certification, CertificationKind


class Tier(StrEnum):
    """梯度层级: none < tech_sme < hnte < eaglet < gazelle < unicorn < platform."""

    NONE = "none"
    TECH_SME = "tech_sme"
    HNTE = "hnte"
    EAGLET = "eaglet"
    GAZELLE = "gazelle"
    UNICORN = "unicorn"
    PLATFORM = "platform"

    @property
    def rank(self) -> int:
        """0 for none up to 6 for platform."""
        return RANKS[self]


RANKS = {tier: rank for rank, tier in enumerate(Tier)}
# Only the rungs' kinds make a tier; specialized, little_giant and above_scale ride alongside.
TIER_OF_KIND = {CertificationKind(tier.value): tier for tier in Tier if tier is not Tier.NONE}


@dataclass(frozen=True, slots=True)
class TierChange:
    """梯度变化: on `date` the tier went from `from_tier` to `to_tier` because of `cause`."""

    date: date
    from_tier: Tier
    to_tier: Tier
    cause: str

    def as_dict(self) -> dict[str, str]:
        """The API's shape: {"date", "from", "to", "cause"}."""
        return {
            "date": self.date.isoformat(),
            "from": str(self.from_tier),
            "to": str(self.to_tier),
            "cause": self.cause,
        }


def tier_on(certifications: Iterable[Certification], on: date) -> Tier:
    """The highest rung among the certifications valid on that day; `none` without one."""
    best = Tier.NONE
    for certification in certifications:
        tier = TIER_OF_KIND.get(certification.kind)
        if tier is not None and RANKS[tier] > RANKS[best] and certification.valid_on(on):
            best = tier
    return best


def tier_history(certifications: Sequence[Certification]) -> list[TierChange]:
    """Every tier change made by issue dates, expiries (the day after the last valid day) and revocations."""
    rungs = [c for c in certifications if c.kind in TIER_OF_KIND]
    happenings: dict[date, list[tuple[Certification, str]]] = {}
    for certification in rungs:
        happenings.setdefault(certification.issued_on, []).append((certification, "issued"))
        end = certification.ends()
        if end is not None and end[0] > certification.issued_on:
            happenings.setdefault(end[0], []).append((certification, end[1]))
    changes: list[TierChange] = []
    previous = Tier.NONE
    for day in sorted(happenings):
        current = tier_on(rungs, day)
        if current is not previous:
            changes.append(TierChange(day, previous, current, _cause(happenings[day], previous, current)))
            previous = current
    return changes


def tier_changes_between(certifications: Sequence[Certification], start: date, end: date) -> list[TierChange]:
    """The tier changes dated start ≤ date ≤ end: what the daily sweep emits as `enterprise.tier_changed`."""
    return [change for change in tier_history(certifications) if start <= change.date <= end]


def _cause(happened: list[tuple[Certification, str]], before: Tier, after: Tier) -> str:
    # A rise comes from the new rung's issue, a fall from the old rung's end (and a lower one issued then).
    relevant = [
        f"{certification.label()} {what}"
        for certification, what in happened
        if (what == "issued" and TIER_OF_KIND[certification.kind] is after)
        or (what != "issued" and TIER_OF_KIND[certification.kind] is before)
    ]
    return "; ".join(relevant or [f"{c.label()} {what}" for c, what in happened])
