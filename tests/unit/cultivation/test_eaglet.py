"""雏鹰 (辽科创办发〔2021〕2号): registered ≤ 10 years and any one of four alternatives."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.cultivation.eligibility import EagletRuleSet
from domain.cultivation.eligibility.base import RuleResult

from .builders import YEAR, by_year, cert, enterprise, metrics, passed, row

EAGLET = EagletRuleSet()


def eaglet(
    registered_on: date | None = date(2018, 1, 1), certifications: Any = (), **figures: Any
) -> RuleResult:
    figures = {"class1_ip": 0, "class2_ip": 0, "award": False, **figures}
    data = by_year(metrics(YEAR, **figures))
    return EAGLET.evaluate(enterprise(registered_on=registered_on), list(certifications), data, YEAR)


@pytest.mark.parametrize(
    ("registered_on", "expected"),
    [(date(2013, 12, 30), False), (date(2013, 12, 31), True), (date(2014, 1, 1), True)],
)
def test_eaglet_registered_at_most_10_years(registered_on: date, expected: bool) -> None:
    result = eaglet(registered_on, class1_ip=1)
    assert row(result, "registered_within_10y") == {
        "name": "registered_within_10y",
        "actual": registered_on.isoformat(),
        "threshold": "2013-12-31",
        "passed": expected,
    }
    assert result.eligible is expected


def test_eaglet_without_registration_date_is_null() -> None:
    result = eaglet(None, class1_ip=1)
    assert (result.eligible, result.missing) == (None, ["registered_on"])


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ({"class1_ip": 1}, True),
        ({"class2_ip": 2}, True),
        ({"class2_ip": 1}, False),
        ({"award": True}, True),
        ({}, False),
        ({"award": None}, None),
        ({"award": None, "class2_ip": 3}, True),
        ({"class1_ip": None, "class2_ip": None, "award": False}, None),
    ],
)
def test_eaglet_any_one_of(figures: dict[str, Any], expected: bool | None) -> None:
    result = eaglet(**figures)
    assert passed(result, "innovation_any") is expected and result.eligible is expected


def test_eaglet_a_valid_hnte_is_enough_and_settles_missing_data() -> None:
    result = eaglet(
        certifications=[cert("hnte", date(2021, 3, 1))], class1_ip=None, class2_ip=None, award=None
    )
    assert result.eligible is True and result.missing == []
    assert eaglet(certifications=[cert("hnte", date(2020, 3, 1))]).eligible is False  # lapsed 2023-02-28


def test_eaglet_null_names_every_open_alternative() -> None:
    result = eaglet(class1_ip=None, class2_ip=1, award=None)
    assert result.missing == ["class1_ip:2023", "award:2023"]
