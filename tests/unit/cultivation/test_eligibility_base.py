"""认定条件: three-valued combination, results, the registry and versioning."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal

import pytest

from domain.cultivation.eligibility import (
    AboveScaleRuleSet,
    RuleSetRegistry,
    all_rule_sets,
    results_for,
    rule_set_for,
    rule_sets_for,
)
from domain.cultivation.eligibility.base import RuleResult, all_of, any_of, check, verdict
from domain.shared.errors import Duplicate, InvalidValue, NotFound

from .builders import by_year, enterprise, metrics

T, F, N = True, False, None


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [([T, T], T), ([T, F], F), ([T, N], N), ([F, N], F), ([N, N], N), ([], T)],
)
def test_all_of(outcomes: list[bool | None], expected: bool | None) -> None:
    assert verdict(outcomes) is expected
    members = [check(f"m{i}", None, None, o, ("x",) if o is None else ()) for i, o in enumerate(outcomes)]
    assert all_of("route", members).passed is expected


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [([T, F], T), ([T, N], T), ([F, F], F), ([F, N], N), ([N, N], N), ([F, F, N], N), ([F, N, T], T)],
)
def test_any_one_of(outcomes: list[bool | None], expected: bool | None) -> None:
    members = [
        check(f"m{i}", None, None, o, (f"need{i}",) if o is None else ()) for i, o in enumerate(outcomes)
    ]
    assert any_of("alternatives", members).passed is expected


def test_a_null_combination_needs_only_what_its_null_members_need() -> None:
    members = [
        check("a", 1, 2, False),
        check("b", None, 2, None, ("revenue:2023",)),
        check("c", None, 2, None, ("x",)),
    ]
    row = any_of("alternatives", members).row()
    assert row.passed is None and row.needs == ("revenue:2023", "x")
    assert row.threshold == "any one of"
    assert row.actual == [
        {"name": "a", "actual": 1, "threshold": 2, "passed": False},
        {"name": "b", "actual": None, "threshold": 2, "passed": None},
        {"name": "c", "actual": None, "threshold": 2, "passed": None},
    ]
    settled = any_of("alternatives", [*members, check("d", 3, 2, True)]).row()
    assert settled.passed is True and settled.needs == ()


def test_the_result_is_false_when_any_criterion_fails_even_with_data_missing() -> None:
    rule_set = AboveScaleRuleSet()
    rows = [check("a", 1, 2, False).row(), check("b", None, 2, None, ("revenue:2023",)).row()]
    result = RuleResult.of(rule_set, rows)
    assert result.eligible is False
    assert result.missing == ["revenue:2023"]  # still named: the officer may want to complete it


def test_the_result_is_null_when_none_fails_and_something_is_missing() -> None:
    rows = [check("a", 3, 2, True).row(), check("b", None, 2, None, ("innovation_score:2023",)).row()]
    result = RuleResult.of(AboveScaleRuleSet(), rows)
    assert (result.eligible, result.missing) == (None, ["innovation_score:2023"])


def test_as_dict_is_json_ready_and_only_tech_sme_carries_a_score() -> None:
    company = enterprise()
    data = by_year(metrics(main_business_revenue=Decimal("2000.5")))
    body = rule_set_for("above_scale", 2023).evaluate(company, [], data, 2023).as_dict()
    assert json.loads(json.dumps(body)) == body
    assert body == {
        "rule_set": "above_scale",
        "version": 1,
        "in_force": True,
        "effective_from": "2011-01-01",
        "eligible": True,
        "criteria": [
            {"name": "main_business_revenue_min", "actual": "2000.5", "threshold": "2000", "passed": True}
        ],
        "missing": [],
    }
    scored = rule_set_for("tech_sme", 2023).evaluate(company, [], data, 2023).as_dict()
    assert {"score", "score_parts"} <= set(scored)


def test_every_rule_set_result_is_json_serialisable_even_without_data() -> None:
    company = enterprise(registered_on=None)
    for rule_set in rule_sets_for(2023):
        body = rule_set.evaluate(company, [], {}, 2023).as_dict()
        assert json.loads(json.dumps(body)) == body
        assert body["eligible"] in (None, False)


def test_the_registry_knows_the_seven_rule_sets() -> None:
    assert [r.name for r in all_rule_sets()] == [
        "tech_sme",
        "hnte",
        "eaglet",
        "gazelle",
        "unicorn",
        "platform",
        "above_scale",
    ]
    assert all(r.version == 1 for r in all_rule_sets())


def test_unknown_rule_sets_and_years_before_any_version_are_not_found() -> None:
    with pytest.raises(NotFound):
        rule_set_for("gold_medal", 2023)
    with pytest.raises(NotFound):
        rule_set_for("eaglet", 2020)  # 辽科创办发〔2021〕2号 applies from 2021
    assert rule_set_for("eaglet", 2021).name == "eaglet"
    assert "eaglet" not in [r.name for r in rule_sets_for(2020)]


@pytest.mark.parametrize("year", [1989, 2101])
def test_years_outside_1990_2100_are_refused(year: int) -> None:
    with pytest.raises(InvalidValue) as caught:
        rule_set_for("hnte", year)
    assert caught.value.field == "year"


def test_a_version_takes_effect_for_the_year_containing_its_effective_date() -> None:
    v1 = AboveScaleRuleSet()
    v2 = dataclasses.replace(
        v1, version=2, effective_from=date(2026, 7, 1), min_main_business_revenue=Decimal(3000)
    )
    registry = RuleSetRegistry(all_rule_sets())
    registry.register(v2)
    assert registry.rule_set_for("above_scale", 2025) == v1
    assert registry.rule_set_for("above_scale", 2026) is v2  # 1 July 2026 ≤ 31 Dec 2026
    assert [r.version for r in registry.all() if r.name == "above_scale"] == [1, 2]
    assert rule_set_for("above_scale", 2026) is not v2  # the default registry is untouched


def test_a_new_version_never_changes_the_results_of_earlier_years() -> None:
    company = enterprise()
    data = by_year(metrics(2025, main_business_revenue=2500), metrics(2026, main_business_revenue=2500))
    registry = RuleSetRegistry(all_rule_sets())
    before = registry.rule_set_for("above_scale", 2025).evaluate(company, [], data, 2025)
    v2 = dataclasses.replace(
        AboveScaleRuleSet(),
        version=2,
        effective_from=date(2026, 1, 1),
        min_main_business_revenue=Decimal(3000),
    )
    registry.register(v2)
    after = registry.rule_set_for("above_scale", 2025).evaluate(company, [], data, 2025)
    assert after == before and (after.version, after.eligible) == (1, True)
    later = registry.rule_set_for("above_scale", 2026).evaluate(company, [], data, 2026)
    assert (later.version, later.eligible) == (2, False)


def test_registering_the_same_version_twice_is_a_duplicate() -> None:
    registry = RuleSetRegistry([AboveScaleRuleSet()])
    with pytest.raises(Duplicate):
        registry.register(AboveScaleRuleSet())


@pytest.mark.parametrize(("year", "in_force"), [(2020, False), (2021, True)])
def test_every_rule_set_answers_one_not_yet_in_force_says_so(year, in_force) -> None:
    """辽科创办发〔2021〕2号 (eaglet, gazelle, unicorn, platform) took effect on 1 January 2021."""
    answers = {r["rule_set"]: r for r in results_for(enterprise(), [], {}, year)}
    assert list(answers) == ["tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform", "above_scale"]
    for name in ("eaglet", "gazelle", "unicorn", "platform"):
        assert answers[name]["in_force"] is in_force and answers[name]["effective_from"] == "2021-01-01"
        if not in_force:
            assert (answers[name]["eligible"], answers[name]["criteria"], answers[name]["missing"]) == (
                None,
                [],
                [],
            )
    assert all(answers[name]["in_force"] for name in ("tech_sme", "hnte", "above_scale"))
