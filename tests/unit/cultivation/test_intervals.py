"""Validity intervals: the days a certification is valid, and the tiers and counts read from them alone."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.cultivation.certifications import EXPIRY_REQUIRED_KINDS, Certification, CertificationKind
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.intervals import (
    CertificationInterval,
    HoldingSet,
    HoldingSpan,
    Listing,
    holder_counts,
    holding_sets,
    holding_spans,
    interval_of,
    intervals_of,
    listed_count,
    live_counts,
    sets_held_on,
    tier_of,
)
from domain.cultivation.stats import designation_counts, live_indicator_counts, tier_counts
from domain.cultivation.tiers import Tier, tier_on

FIRST, LAST = date(2019, 1, 1), date(2027, 12, 31)
days = st.dates(min_value=FIRST, max_value=LAST)


def _hnte(**more: object) -> Certification:
    return Certification(enterprise_id="e-1", kind="hnte", issued_on=date(2021, 5, 20), **more)


def test_a_certification_is_valid_from_its_issue_day_through_its_last_valid_day() -> None:
    certification = _hnte()  # three years: last valid day 2024-05-19
    assert interval_of(certification) == CertificationInterval(
        certification.id, "e-1", CertificationKind.HNTE, date(2021, 5, 20), date(2024, 5, 19)
    )


def test_an_open_designation_has_an_open_interval() -> None:
    platform = Certification(enterprise_id="e-1", kind="platform", issued_on=date(2022, 3, 1))
    assert interval_of(platform).valid_until is None


def test_a_revocation_ends_the_interval_the_day_before_and_one_after_expiry_changes_nothing() -> None:
    revoked = _hnte(revoked=True, revoked_on=date(2023, 1, 10), revoke_reason="撤销")
    assert interval_of(revoked).valid_until == date(2023, 1, 9)
    late = _hnte(revoked=True, revoked_on=date(2024, 8, 1), revoke_reason="撤销")
    assert interval_of(late).valid_until == date(2024, 5, 19)


def test_a_certification_revoked_on_its_issue_day_is_valid_on_no_day() -> None:
    at_once = _hnte(revoked=True, revoked_on=date(2021, 5, 20), revoke_reason="误录")
    assert interval_of(at_once) is None
    assert intervals_of([at_once]) == []


@st.composite
def certifications(draw, enterprise_ids=("e-1", "e-2", "e-3")) -> Certification:
    kind = draw(st.sampled_from(list(CertificationKind)))
    issued_on = draw(days)
    expires_on = None
    if kind in EXPIRY_REQUIRED_KINDS or (kind in ("platform", "above_scale") and draw(st.booleans())):
        expires_on = issued_on + timedelta(days=draw(st.integers(0, 1500)))
    revoked_on = None
    if draw(st.integers(0, 3)) == 0:
        revoked_on = issued_on + timedelta(days=draw(st.integers(0, 1500)))
    return Certification(
        enterprise_id=draw(st.sampled_from(enterprise_ids)),
        kind=kind,
        issued_on=issued_on,
        expires_on=expires_on,
        revoked=revoked_on is not None,
        revoked_on=revoked_on,
        revoke_reason="撤销" if revoked_on else None,
    )


@given(st.lists(certifications(enterprise_ids=("e-1",)), max_size=8), st.lists(days, min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_intervals_answer_validity_and_the_tier_as_the_certifications_do(held, on_days) -> None:
    intervals = intervals_of(held)
    for on in on_days:
        covering = {i.certification_id for i in intervals if i.covers(on)}
        assert covering == {c.id for c in held if c.valid_on(on)}
        assert tier_of(intervals, on) == tier_on(held, on)


@st.composite
def registries(draw) -> tuple[list[Enterprise], list[Certification]]:
    enterprises = []
    for n in range(draw(st.integers(0, 6))):
        listed = draw(st.sampled_from([None, False, True]))
        enterprises.append(
            Enterprise(
                id=f"e-{n}",
                name=f"企业{n}",
                status=draw(st.sampled_from(["active", "active", "moved_out", "deregistered"])),
                listed=listed,
                listed_on=draw(st.one_of(st.none(), days)) if listed else None,
            )
        )
    ids = [e.id for e in enterprises] or ["e-0"]
    held = draw(st.lists(certifications(enterprise_ids=ids), max_size=12))
    return enterprises, held


@given(registries(), days, days)
@settings(max_examples=300, deadline=None)
def test_counts_from_intervals_are_the_registry_s_counts(registry, on, today) -> None:
    enterprises, held = registry
    by_enterprise: dict[str, list[Certification]] = {}
    for certification in held:
        by_enterprise.setdefault(certification.enterprise_id, []).append(certification)
    active = {e.id for e in enterprises if e.status == "active"}
    holdings = [
        (i.enterprise_id, i.kind) for i in intervals_of(held) if i.enterprise_id in active and i.covers(on)
    ]
    listings = [Listing(e.listed, e.listed_on) for e in enterprises if e.id in active and e.listed is True]
    sets = holding_sets(holdings)
    spans = holding_spans(i for i in intervals_of(held) if i.enterprise_id in active)
    assert Counter(dict(sets_held_on(spans, on))) == Counter(dict(sets))  # the stored spans say the same
    by_tier, by_designation = holder_counts(len(active), sets, listed_count(listings, on, today))
    assert by_tier == tier_counts(enterprises, by_enterprise, on)
    assert by_designation == designation_counts(enterprises, by_enterprise, on, today)
    year_end = date(on.year, 12, 31)
    held_then = [
        (i.enterprise_id, i.kind)
        for i in intervals_of(held)
        if i.enterprise_id in active and i.covers(year_end)
    ]
    counts, left_out = live_counts(len(active), holding_sets(held_then), listings, on.year)
    assert counts == live_indicator_counts(enterprises, by_enterprise, on.year)
    assert left_out == {
        11: sum(1 for e in enterprises if e.id in active and e.listed and e.listed_on is None)
    }


@given(registries())
@settings(max_examples=300, deadline=None)
def test_an_enterprise_s_spans_never_overlap_and_two_that_touch_differ(registry) -> None:
    _, held = registry
    intervals = intervals_of(held)
    spans = holding_spans(intervals)
    for first, second in pairwise(spans):
        assert first.kinds  # a span holds something
        if first.enterprise_id == second.enterprise_id:
            assert first.valid_until is not None and first.valid_until < second.valid_from
            assert first.valid_until + timedelta(days=1) < second.valid_from or first.kinds != second.kinds
    for interval in intervals:  # every day an interval covers is in a span holding its kind
        for day in (interval.valid_from, interval.valid_until or interval.valid_from + timedelta(days=4000)):
            [span] = [s for s in spans if s.enterprise_id == interval.enterprise_id and s.covers(day)]
            assert interval.kind in span.kinds


def test_spans_break_on_the_first_day_and_the_day_after_the_last() -> None:
    tech = CertificationInterval("c1", "e", CertificationKind.TECH_SME, date(2021, 1, 1), date(2023, 12, 31))
    hnte = CertificationInterval("c2", "e", CertificationKind.HNTE, date(2022, 6, 1), None)
    again = CertificationInterval("c3", "e", CertificationKind.TECH_SME, date(2024, 1, 1), date(2024, 12, 31))
    both = frozenset({CertificationKind.TECH_SME, CertificationKind.HNTE})
    assert holding_spans([tech, hnte, again]) == [
        HoldingSpan("e", frozenset({CertificationKind.TECH_SME}), date(2021, 1, 1), date(2022, 5, 31)),
        HoldingSpan("e", both, date(2022, 6, 1), date(2024, 12, 31)),  # renewed the next day: one span
        HoldingSpan("e", frozenset({CertificationKind.HNTE}), date(2025, 1, 1), None),
    ]
    gap = CertificationInterval("c4", "f", CertificationKind.HNTE, date(2021, 1, 1), date(2021, 12, 30))
    later = CertificationInterval("c5", "f", CertificationKind.HNTE, date(2022, 1, 1), date(2022, 12, 31))
    assert [(s.valid_from, s.valid_until) for s in holding_spans([gap, later])] == [
        (date(2021, 1, 1), date(2021, 12, 30)),  # 31 Dec 2021: nothing held, no span
        (date(2022, 1, 1), date(2022, 12, 31)),
    ]


def test_an_active_enterprise_holding_nothing_counts_as_none_once() -> None:
    sets = holding_sets([("e-1", CertificationKind.HNTE), ("e-1", "gazelle")])
    assert sets == [HoldingSet(frozenset({CertificationKind.HNTE, CertificationKind.GAZELLE}), 1)]
    by_tier, by_designation = holder_counts(3, sets, 0)
    assert by_tier[Tier.NONE] == 2 and by_tier[Tier.GAZELLE] == 1 and sum(by_tier.values()) == 3
    assert by_designation["hnte"] == by_designation["gazelle_or_unicorn"] == 1
