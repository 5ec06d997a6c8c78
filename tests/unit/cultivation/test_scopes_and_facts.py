"""Bulk screening reads light facts and only the metrics a rule set needs: the answers must not change."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.cultivation.eligibility import all_rule_sets, rule_set_for
from domain.cultivation.facts import CertificationFacts, EnterpriseFacts
from domain.cultivation.scopes import FULL, MetricsScope, scope_of
from domain.cultivation.screening import screen
from domain.cultivation.stats import designation_counts, tier_counts
from domain.cultivation.tiers import tier_history

from .builders import YEAR, cert, enterprise
from .test_screening import random_registry


class OnlyScope:
    """A metrics record that holds nothing but the scope's figures: reading another one fails loudly."""

    def __init__(self, record: Any, figures: tuple[str, ...]) -> None:
        self.enterprise_id, self.year = record.enterprise_id, record.year
        self.values = {name: getattr(record, name) for name in figures}

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(f"{name} is not in the rule set's scope") from None


def facts_of(enterprises, certs) -> tuple[list[EnterpriseFacts], dict[str, list[CertificationFacts]]]:
    light = [
        EnterpriseFacts(e.id, e.name, e.status, e.registered_on, e.listed, e.listed_on) for e in enterprises
    ]
    held = {
        key: [
            CertificationFacts(
                c.id, c.enterprise_id, c.kind, c.number, c.issued_on, c.expires_on, c.revoked, c.revoked_on
            )
            for c in value
        ]
        for key, value in certs.items()
    }
    return light, held


def scoped(data: dict, scope: MetricsScope, year: int) -> dict:
    first, last = scope.years(year)
    return {
        key: {
            y: OnlyScope(r, scope.figures)
            for y, r in records.items()
            if (first is None or y >= first) and y <= last
        }
        for key, records in data.items()
    }


@pytest.mark.parametrize("rules", all_rule_sets(), ids=lambda r: f"{r.name}-v{r.version}")
def test_every_version_reads_only_its_scope(rules) -> None:
    enterprises, certs, data = random_registry(seed=sum(map(ord, rules.name)) + 1, count=300)
    scope = scope_of(rules)
    assert scope is not FULL, "list the version in domain/cultivation/scopes.py"
    narrow = scoped(data, scope, YEAR)
    for e in enterprises:
        full = rules.evaluate(e, certs[e.id], data[e.id], YEAR)
        assert rules.evaluate(e, certs[e.id], narrow.get(e.id, {}), YEAR) == full


@pytest.mark.parametrize(
    "name", ["tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform", "above_scale"]
)
def test_screening_facts_and_scoped_rows_give_the_entities_answer(name) -> None:
    enterprises, certs, data = random_registry(seed=sum(map(ord, name)) + 2, count=300)
    light, held = facts_of(enterprises, certs)
    narrow = scoped(data, scope_of(rule_set_for(name, YEAR)), YEAR)
    expected = [(c.enterprise_id, c.result) for c in screen(name, YEAR, enterprises, certs, data)]
    assert [(c.enterprise_id, c.result) for c in screen(name, YEAR, light, held, narrow)] == expected


def test_the_pyramid_and_history_read_facts_like_entities() -> None:
    enterprises, certs, _ = random_registry(seed=11, count=300)
    light, held = facts_of(enterprises, certs)
    on = date(YEAR, 6, 30)
    assert tier_counts(light, held, on) == tier_counts(enterprises, certs, on)
    assert designation_counts(light, held, on) == designation_counts(enterprises, certs, on)
    for e in enterprises[:50]:
        assert tier_history(held[e.id]) == tier_history(certs[e.id])


def test_a_version_not_listed_gets_every_figure_of_every_year() -> None:
    class Unlisted:
        name, version = "hnte", 99

    assert scope_of(Unlisted()) is FULL and FULL.years(2023) == (None, 2023)
    assert scope_of(all_rule_sets()[1]).years(2023) == (2021, 2023)


def test_facts_borrow_the_entities_rules() -> None:
    listed = enterprise(listed=True, listed_on=date(2021, 6, 1))
    (light,), _ = facts_of([listed], {})
    assert (light.is_listed_on(date(2021, 5, 31)), light.is_listed_on(date(2021, 6, 1))) == (False, True)
    revoked = cert("hnte", date(2021, 1, 1), revoked=True, revoked_on=date(2022, 1, 1), revoke_reason="x")
    _, held = facts_of([], {"e1": [revoked]})
    (fact,) = held["e1"]
    assert (fact.valid_on(date(2021, 12, 31)), fact.valid_on(date(2022, 1, 1))) == (True, False)
    assert fact.ends() == (date(2022, 1, 1), "revoked") and fact.label() == revoked.label()
