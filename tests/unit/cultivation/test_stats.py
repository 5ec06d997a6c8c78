"""梯度统计: the pyramid, designations and the live counts of indicators 8–11."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.cultivation.certifications import Certification
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.stats import (
    designation_counts,
    listed_without_date,
    live_indicator_counts,
    tier_counts,
)


def registry() -> tuple[list[Enterprise], dict[str, list[Certification]]]:
    plan: list[tuple[dict[str, Any], list[tuple[str, date, date | None]]]] = [
        ({}, [("tech_sme", date(2023, 2, 1), None)]),
        ({}, [("tech_sme", date(2023, 2, 1), None), ("hnte", date(2021, 11, 3), None)]),
        ({}, [("hnte", date(2020, 12, 31), None)]),  # last valid day 2023-12-30
        ({}, [("hnte", date(2022, 1, 1), None), ("eaglet", date(2022, 1, 1), date(2024, 12, 31))]),
        (
            {},
            [
                ("gazelle", date(2022, 1, 1), date(2024, 12, 31)),
                ("unicorn", date(2023, 6, 1), date(2025, 5, 31)),
            ],
        ),
        ({}, [("gazelle", date(2022, 1, 1), date(2024, 12, 31)), ("specialized", date(2022, 5, 1), None)]),
        ({"listed": True, "listed_on": date(2023, 12, 31)}, [("platform", date(2021, 1, 1), None)]),
        ({"listed": True, "listed_on": date(2024, 1, 2)}, [("little_giant", date(2023, 1, 1), None)]),
        ({"listed": True}, [("above_scale", date(2020, 1, 1), None)]),
        ({"status": "moved_out", "listed": True}, [("hnte", date(2022, 1, 1), None)]),
        ({"status": "deregistered"}, [("unicorn", date(2022, 1, 1), date(2025, 1, 1))]),
        ({}, []),
    ]
    enterprises, certs = [], {}
    for i, (details, held) in enumerate(plan):
        enterprise = Enterprise(name=f"企业{i}", **details)
        enterprises.append(enterprise)
        certs[enterprise.id] = [
            Certification(enterprise_id=enterprise.id, kind=k, issued_on=issued, expires_on=expiry)
            for k, issued, expiry in held
        ]
    return enterprises, certs


def test_tier_counts_cover_every_tier_and_only_active_enterprises() -> None:
    enterprises, certs = registry()
    assert tier_counts(enterprises, certs, date(2023, 12, 31)) == {
        "none": 4,  # the expired hnte, little_giant, above_scale and the bare one
        "tech_sme": 1,
        "hnte": 1,
        "eaglet": 1,
        "gazelle": 1,
        "unicorn": 1,
        "platform": 1,
    }
    assert sum(tier_counts(enterprises, certs, date(2023, 12, 30)).values()) == 10


@pytest.mark.parametrize(
    ("today", "listed"),
    [
        (None, 1),  # listed 2023-12-31; not the one listed in 2024, nor the one without a date
        (date(2024, 1, 1), 1),  # before today a listing without a date is not known
        (date(2023, 12, 31), 2),  # from today on it is: listed now
    ],
)
def test_designation_counts_count_each_enterprise_once_per_key(today, listed) -> None:
    enterprises, certs = registry()
    assert designation_counts(enterprises, certs, date(2023, 12, 31), today) == {
        "tech_sme": 2,
        "hnte": 2,
        "eaglet": 1,
        "gazelle_or_unicorn": 2,  # the gazelle-and-unicorn enterprise once
        "listed": listed,
        "specialized": 1,
        "little_giant": 1,
        "above_scale": 1,
        "platform": 1,
    }


def test_live_indicator_counts_on_31_december() -> None:
    enterprises, certs = registry()
    # 11 counts listed_on ≤ 31 Dec Y: the listed enterprise without a listing date in no year
    assert live_indicator_counts(enterprises, certs, 2023) == {8: 2, 9: 1, 10: 2, 11: 1}
    assert live_indicator_counts(enterprises, certs, 2024) == {8: 1, 9: 1, 10: 2, 11: 2}
    # the hnte issued 2020-12-31 counts from its first day
    assert live_indicator_counts(enterprises, certs, 2020) == {8: 1, 9: 0, 10: 0, 11: 0}
    assert listed_without_date(enterprises) == 1  # the moved-out one is no longer counted at all
