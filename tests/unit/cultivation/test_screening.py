"""筛选: who passes a rule set and does not yet hold the designation."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.cultivation.certifications import Certification
from domain.cultivation.eligibility import UnicornRuleSet, rule_set_for
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics
from domain.cultivation.screening import screen
from domain.shared.errors import InvalidValue, NotFound

from .builders import YEAR


def company(name: str, **details: Any) -> Enterprise:
    return Enterprise(name=name, registered_on=details.pop("registered_on", date(2018, 1, 1)), **details)


def build(*rows: tuple[Enterprise, dict[str, Any], list[dict[str, Any]]]) -> tuple[Any, Any, Any]:
    """(enterprise, figures of 2023, certifications as keyword dicts) → the three screening inputs."""
    enterprises, certs, data = [], {}, {}
    for enterprise, figures, held in rows:
        enterprises.append(enterprise)
        certs[enterprise.id] = [Certification(enterprise_id=enterprise.id, **c) for c in held]
        data[enterprise.id] = {YEAR: AnnualMetrics(enterprise_id=enterprise.id, year=YEAR, **figures)}
    return enterprises, certs, data


def test_candidates_pass_and_do_not_hold_the_designation_on_31_december() -> None:
    above_scale = {"kind": "above_scale", "issued_on": date(2020, 1, 1)}
    revoked = {**above_scale, "revoked": True, "revoked_on": date(2023, 12, 31), "revoke_reason": "停产"}
    inputs = build(
        (company("达标企业"), {"main_business_revenue": Decimal(2000)}, []),
        (company("已是规上"), {"main_business_revenue": Decimal(5000)}, [above_scale]),
        (company("撤销规上"), {"main_business_revenue": Decimal(5000)}, [revoked]),
        (company("未达标"), {"main_business_revenue": Decimal("1999.99")}, []),
        (company("缺数据"), {}, []),
        (company("已迁出", status="moved_out"), {"main_business_revenue": Decimal(9000)}, []),
    )
    candidates = screen("above_scale", YEAR, *inputs)
    assert [c.name for c in candidates] == ["达标企业", "撤销规上"]
    first = candidates[0]
    assert first.enterprise_id == inputs[0][0].id
    assert (first.result.eligible, first.result.rule_set, first.result.version) == (True, "above_scale", 1)
    assert first.as_dict()["result"]["criteria"][0]["actual"] == "2000"


@pytest.mark.parametrize(
    ("expires_on", "candidate"), [(date(2023, 12, 30), True), (date(2023, 12, 31), False)]
)
def test_a_designation_valid_on_31_december_excludes(expires_on: date, candidate: bool) -> None:
    eaglet = {"kind": "eaglet", "issued_on": date(2021, 1, 1), "expires_on": expires_on}
    inputs = build((company("雏鹰"), {"class1_ip": 1}, [eaglet]))
    assert len(screen("eaglet", YEAR, *inputs)) == int(candidate)


def test_enterprises_without_any_records_are_not_candidates() -> None:
    assert screen("hnte", YEAR, [company("空白")], {}, {}) == []


def test_an_unknown_rule_set_is_not_found() -> None:
    with pytest.raises(NotFound):
        screen("gold_medal", YEAR, [], {}, {})


def test_a_configured_rule_set_overrides_the_registry() -> None:
    enterprise = company("估值企业", registered_on=date(2017, 1, 1), listed=False)
    data = {
        enterprise.id: {
            YEAR: AnnualMetrics(
                enterprise_id=enterprise.id, year=YEAR, valuation=Decimal(710000), equity_financing=Decimal(1)
            )
        }
    }
    assert len(screen("unicorn", YEAR, [enterprise], {}, data)) == 1
    dearer = dataclasses.replace(UnicornRuleSet(), cny_per_usd=Decimal("7.2"))
    assert screen("unicorn", YEAR, [enterprise], {}, data, rule_set=dearer) == []
    with pytest.raises(InvalidValue) as caught:
        screen("gazelle", YEAR, [enterprise], {}, data, rule_set=dearer)
    assert caught.value.field == "rule_set"


def random_registry(seed: int, count: int) -> tuple[list[Enterprise], dict[str, Any], dict[str, Any]]:
    """Enterprises with random, often missing figures: the early-stopping scan must agree with evaluate()."""
    rng = random.Random(seed)

    def amount(low: int, high: int) -> Decimal | None:
        return None if rng.random() < 0.1 else Decimal(rng.randint(low * 100, high * 100)) / 100

    enterprises, certs, data = [], {}, {}
    for i in range(count):
        registered = None if rng.random() < 0.1 else date(rng.randint(2000, 2023), rng.randint(1, 12), 1)
        enterprise = Enterprise(
            name=f"企业{i}",
            registered_on=registered,
            status=rng.choice(["active"] * 8 + ["moved_out"]),
            listed=None if i % 4 == 0 else False,  # a quarter whose listing is not known
        )
        enterprises.append(enterprise)
        held = []
        for kind in ("tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform", "above_scale"):
            if rng.random() < 0.08:
                issued = date(rng.randint(2019, 2023), rng.randint(1, 12), 1)
                expiry = date(issued.year + 2, 12, 31) if kind in ("eaglet", "gazelle", "unicorn") else None
                held.append(
                    Certification(enterprise_id=enterprise.id, kind=kind, issued_on=issued, expires_on=expiry)
                )
        certs[enterprise.id] = held
        records = {}
        for year in range(2019, 2024):
            if rng.random() < 0.1:
                continue
            revenue = amount(0, 40000) if rng.random() < 0.8 else amount(80000, 200000)  # platforms too
            employees = None if rng.random() < 0.1 else rng.randint(0, 700)
            records[year] = AnnualMetrics(
                enterprise_id=enterprise.id,
                year=year,
                revenue=revenue,
                main_business_revenue=amount(0, 5000),
                high_tech_revenue=amount(0, 30000),
                rd_expense=amount(0, 2500),
                rd_expense_domestic=amount(0, 2000),
                total_cost=amount(0, 30000),
                employees=employees,
                tech_staff=None if employees is None else rng.randint(0, employees),
                total_assets=amount(0, 30000),
                class1_ip=rng.choice([None, 0, 0, 1, 2]),
                class2_ip=rng.choice([None, 0, 1, 2, 3, 4, 5]),
                valuation=amount(0, 1000000),
                equity_financing=amount(0, 2000),
                innovation_score=amount(50, 100),
                award=rng.choice([None, False, True]),
                runs_platform=rng.choice([None, False, True]),
            )
        data[enterprise.id] = records
    return enterprises, certs, data


@pytest.mark.parametrize(
    "name", ["tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform", "above_scale"]
)
def test_screening_agrees_with_evaluating_everyone(name: str) -> None:
    enterprises, certs, data = random_registry(seed=sum(map(ord, name)), count=400)
    rules = rule_set_for(name, YEAR)
    on = date(YEAR, 12, 31)
    expected = []
    for enterprise in enterprises:
        held = any(c.kind == name and c.valid_on(on) for c in certs[enterprise.id])
        result = rules.evaluate(enterprise, certs[enterprise.id], data[enterprise.id], YEAR)
        if enterprise.status == "active" and not held and result.eligible is True:
            expected.append((enterprise.id, result))
    candidates = screen(name, YEAR, enterprises, certs, data)
    assert [(c.enterprise_id, c.result) for c in candidates] == expected


def test_every_criterion_name_is_a_documented_slug() -> None:
    import re

    import domain.cultivation.eligibility as eligibility

    documented = set(re.findall(r"[a-z][a-z0-9_]+", (eligibility.__doc__ or "").split("| slug | test |")[1]))
    seen: set[str] = set()
    enterprises, certs, data = random_registry(seed=7, count=150)
    for name in ["tech_sme", "hnte", "eaglet", "gazelle", "unicorn", "platform", "above_scale"]:
        rules = rule_set_for(name, YEAR)
        for enterprise in enterprises:
            stack = [
                c.as_dict()
                for c in rules.evaluate(enterprise, certs[enterprise.id], data[enterprise.id], YEAR).criteria
            ]
            while stack:
                current = stack.pop()
                seen.add(current["name"])
                if isinstance(current["actual"], list):
                    stack.extend(current["actual"])
    assert seen - documented == set()
    assert len(seen) == 38  # every slug of the seven rule sets occurs in the random registry
