"""梯度: the tier on a date and the history of tier changes."""

from __future__ import annotations

from datetime import date

import pytest

from domain.cultivation.tiers import Tier, TierChange, tier_changes_between, tier_history, tier_on

from .builders import cert


def test_ranks_follow_the_ladder() -> None:
    assert [(t.value, t.rank) for t in Tier] == [
        ("none", 0),
        ("tech_sme", 1),
        ("hnte", 2),
        ("eaglet", 3),
        ("gazelle", 4),
        ("unicorn", 5),
        ("platform", 6),
    ]


def test_no_certification_is_tier_none() -> None:
    assert tier_on([], date(2023, 1, 1)) is Tier.NONE


def test_the_highest_valid_rung_wins() -> None:
    certifications = [
        cert("tech_sme", date(2023, 3, 1)),
        cert("hnte", date(2022, 11, 3)),
        cert("gazelle", date(2023, 6, 1), expires_on=date(2025, 5, 31)),
    ]
    assert tier_on(certifications, date(2023, 5, 31)) is Tier.HNTE
    assert tier_on(certifications, date(2023, 6, 1)) is Tier.GAZELLE


@pytest.mark.parametrize("kind", ["specialized", "little_giant", "above_scale"])
def test_designations_beside_the_ladder_are_no_rung(kind: str) -> None:
    assert tier_on([cert(kind, date(2022, 1, 1))], date(2022, 6, 1)) is Tier.NONE


def test_tier_across_expiry_last_valid_day_and_the_day_after() -> None:
    certifications = [cert("hnte", date(2021, 11, 3))]
    assert tier_on(certifications, date(2024, 11, 2)) is Tier.HNTE
    assert tier_on(certifications, date(2024, 11, 3)) is Tier.NONE


def test_leap_day_issue_is_valid_through_28_february() -> None:
    certifications = [cert("hnte", date(2020, 2, 29))]
    assert tier_on(certifications, date(2023, 2, 28)) is Tier.HNTE
    assert tier_on(certifications, date(2023, 3, 1)) is Tier.NONE


def test_revocation_drops_the_tier_from_its_date() -> None:
    hnte = cert("hnte", date(2021, 11, 3), number="GR202121000123")
    certifications = [cert("tech_sme", date(2022, 2, 1)), hnte]
    hnte.revoke(date(2022, 6, 1), "虚假申报")
    assert tier_on(certifications, date(2022, 5, 31)) is Tier.HNTE
    assert tier_on(certifications, date(2022, 6, 1)) is Tier.TECH_SME


def test_history_lists_issue_expiry_and_revocation_with_causes() -> None:
    hnte = cert("hnte", date(2021, 11, 3), number="GR202121000123")
    certifications = [
        cert("tech_sme", date(2021, 4, 1), number="2021210300A001"),
        hnte,
        cert("eaglet", date(2022, 3, 1), expires_on=date(2023, 2, 28), number="LNCY2022-7"),
        cert("specialized", date(2021, 1, 1)),
    ]
    hnte.revoke(date(2023, 9, 1), "复核不合格")
    assert [c.as_dict() for c in tier_history(certifications)] == [
        {"date": "2021-04-01", "from": "none", "to": "tech_sme", "cause": "tech_sme 2021210300A001 issued"},
        {"date": "2021-11-03", "from": "tech_sme", "to": "hnte", "cause": "hnte GR202121000123 issued"},
        {"date": "2022-03-01", "from": "hnte", "to": "eaglet", "cause": "eaglet LNCY2022-7 issued"},
        {"date": "2023-03-01", "from": "eaglet", "to": "hnte", "cause": "eaglet LNCY2022-7 expired"},
        {"date": "2023-09-01", "from": "hnte", "to": "none", "cause": "hnte GR202121000123 revoked"},
    ]


def test_a_seamless_renewal_changes_nothing() -> None:
    certifications = [cert("hnte", date(2018, 11, 3)), cert("hnte", date(2021, 11, 3))]
    history = tier_history(certifications)
    assert [(c.date, c.to_tier) for c in history] == [
        (date(2018, 11, 3), Tier.HNTE),
        (date(2024, 11, 3), Tier.NONE),
    ]


def test_a_lapse_between_renewals_shows_both_changes() -> None:
    certifications = [cert("tech_sme", date(2022, 5, 1)), cert("tech_sme", date(2023, 2, 1))]
    assert [(c.date, c.from_tier, c.to_tier) for c in tier_history(certifications)] == [
        (date(2022, 5, 1), Tier.NONE, Tier.TECH_SME),
        (date(2023, 1, 1), Tier.TECH_SME, Tier.NONE),
        (date(2023, 2, 1), Tier.NONE, Tier.TECH_SME),
        (date(2024, 1, 1), Tier.TECH_SME, Tier.NONE),
    ]


def test_a_fall_to_a_lower_rung_issued_the_same_day_names_both() -> None:
    certifications = [
        cert("hnte", date(2020, 1, 1), number="GR202021000001"),
        cert("tech_sme", date(2023, 1, 1), number="T1"),
    ]
    change = tier_history(certifications)[-2]
    assert (change.date, change.from_tier, change.to_tier) == (date(2023, 1, 1), Tier.HNTE, Tier.TECH_SME)
    assert change.cause == "hnte GR202021000001 expired; tech_sme T1 issued"


def test_revoked_on_its_issue_day_never_counts() -> None:
    certification = cert("hnte", date(2021, 11, 3))
    certification.revoke(date(2021, 11, 3), "撤回")
    assert tier_history([certification]) == []


def test_an_open_platform_designation_has_no_end() -> None:
    assert tier_history([cert("platform", date(2022, 1, 1))]) == [
        TierChange(date(2022, 1, 1), Tier.NONE, Tier.PLATFORM, "platform certification issued")
    ]


def test_changes_between_is_inclusive_for_the_daily_sweep() -> None:
    certifications = [cert("hnte", date(2021, 11, 3))]  # falls on 2024-11-03
    assert tier_changes_between(certifications, date(2024, 11, 2), date(2024, 11, 2)) == []
    (change,) = tier_changes_between(certifications, date(2024, 11, 3), date(2024, 11, 3))
    assert (change.from_tier, change.to_tier) == (Tier.HNTE, Tier.NONE)
    assert len(tier_changes_between(certifications, date(2021, 1, 1), date(2030, 1, 1))) == 2
