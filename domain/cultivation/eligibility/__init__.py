"""认定条件: versioned eligibility rule sets (ELIGIBILITY.md), each result explained criterion by criterion.

Criterion names (stable slugs; `actual` and `threshold` are JSON-ready, Decimals as strings, ratios cut to
four places; `passed` is null when data or an expert's input is missing, or a denominator is 0):

| slug | test |
|---|---|
| employees_max, revenue_max, total_assets_max | figure of Y ≤ threshold (tech_sme) |
| qualification_route | any one of hnte_valid, score_route (tech_sme) |
| score_route | all of score_min, tech_staff_score_positive (tech_sme) |
| score_min | 115号 score ≥ 60; actual "low-high" while parts are unknown |
| tech_staff_score_positive | tech-staff points > 0 |
| hnte_valid | a valid hnte certification on 31 Dec Y (never null) |
| registered_days_min | days from registered_on to 31 Dec Y ≥ 365 |
| ip_count_min | class-Ⅰ + class-Ⅱ IP in Y ≥ 1 |
| tech_staff_share_min | tech staff / employees in Y ≥ 10 % |
| rd_intensity_3y | Σ R&D / Σ revenue over Y−2..Y ≥ the band of Y's revenue (5 / 4 / 3 %) |
| rd_domestic_share_3y | Σ domestic R&D / Σ R&D over Y−2..Y ≥ 60 % |
| high_tech_revenue_share_min | high-tech revenue / revenue in Y ≥ 60 % |
| innovation_score_above | innovation score (expert) > 70 |
| registered_within_10y, registered_within_20y | 31 Dec (Y−N) ≤ registered_on ≤ 31 Dec Y (threshold: 1st) |
| innovation_any | any one of class1_ip_min (≥ 1), class2_ip_min (≥ 2), hnte_valid, award (eaglet) |
| award, runs_platform | expert input flags |
| rd_intensity_4y | Σ R&D / Σ revenue over Y−3..Y ≥ 2.5 % (gazelle) |
| growth_any | any one of revenue_growth, employee_growth, equity_financing_min (gazelle) |
| revenue_growth | all of revenue_cagr_3y (≥ 20 %), revenue_base_above (rev Y−3 > 1,000), revenue_rising |
| employee_growth | all of employees_cagr_3y (≥ 30 %), employees_base_above (> 100), employees_rising |
| revenue_rising, employees_rising | value of Y > value of Y−1 (threshold is the Y−1 value) |
| equity_financing_min | equity financing in Y ≥ 1,000 |
| not_listed | not listed on 31 Dec Y (unicorn) |
| venture_investment | equity financing > 0 in some year ≤ Y (actual: the sum recorded) |
| valuation_min | latest valuation ≤ Y ≥ 100,000 万美元 × CNY/USD rate |
| revenue_min | revenue in Y ≥ 100,000 (platform) |
| main_business_revenue_min | main-business revenue in Y ≥ 2,000 (above_scale) |

`missing` names what null criteria need: "registered_on" or "<figure>:<year>" such as "revenue:2023".
A rule set not yet in force in year Y (its first version's effective_from is later) still answers, marked
`in_force: false`, with no criteria (`results_for`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from domain.cultivation.certifications import Certification
from domain.cultivation.eligibility.above_scale import AboveScaleRuleSet
from domain.cultivation.eligibility.base import Criterion, RuleResult, RuleSet, all_of, any_of, verdict
from domain.cultivation.eligibility.eaglet import EagletRuleSet
from domain.cultivation.eligibility.gazelle import GazelleRuleSet
from domain.cultivation.eligibility.hnte import HnteRuleSet
from domain.cultivation.eligibility.platform import PlatformRuleSet
from domain.cultivation.eligibility.registry import RuleSetRegistry
from domain.cultivation.eligibility.tech_sme import TechSmeRuleSet
from domain.cultivation.eligibility.unicorn import UnicornRuleSet
from domain.cultivation.enterprises import Enterprise
from domain.cultivation.metrics import AnnualMetrics

# The ladder's order, then the designation beside it.
REGISTRY = RuleSetRegistry(
    [
        TechSmeRuleSet(),
        HnteRuleSet(),
        EagletRuleSet(),
        GazelleRuleSet(),
        UnicornRuleSet(),
        PlatformRuleSet(),
        AboveScaleRuleSet(),
    ]
)


def rule_set_for(name: str, year: int) -> RuleSet:
    """The version of a rule set that applies to year Y (the newest with effective_from ≤ 31 Dec Y)."""
    return REGISTRY.rule_set_for(name, year)


def rule_sets_for(year: int) -> list[RuleSet]:
    """One applicable version of every rule set for year Y."""
    return REGISTRY.rule_sets_for(year)


def all_rule_sets() -> list[RuleSet]:
    """Every registered version of every rule set."""
    return REGISTRY.all()


def results_for(
    enterprise: Enterprise,
    certifications: Sequence[Certification],
    metrics_by_year: Mapping[int, AnnualMetrics],
    year: int,
    *,
    configure: Callable[[RuleSet], RuleSet] = lambda rule_set: rule_set,
) -> list[dict[str, Any]]:
    """Every rule set's answer for year Y, in the registry's order: the version in force evaluated, each
    marked `in_force` with its `effective_from`; one not yet in force (its source took effect later) is
    listed too, `in_force: false`, undecided, with no criteria — so that no answer is ever missing."""
    answers = []
    for name in REGISTRY.names():
        version = REGISTRY.in_force(name, year)
        if version is None:
            first = REGISTRY.first(name)
            answers.append(RuleResult.not_in_force(first).as_dict())
            continue
        rule_set = configure(version)
        answers.append(rule_set.evaluate(enterprise, certifications, metrics_by_year, year).as_dict())
    return answers


__all__ = [
    "REGISTRY",
    "AboveScaleRuleSet",
    "Criterion",
    "EagletRuleSet",
    "GazelleRuleSet",
    "HnteRuleSet",
    "PlatformRuleSet",
    "RuleResult",
    "RuleSet",
    "RuleSetRegistry",
    "TechSmeRuleSet",
    "UnicornRuleSet",
    "all_of",
    "all_rule_sets",
    "any_of",
    "results_for",
    "rule_set_for",
    "rule_sets_for",
    "verdict",
]
