"""筛选数据范围: which years and figures of the annual metrics each rule set version reads.

Screening loads the whole registry at once; loading only what the rule set reads keeps it fast. A
version missing here gets the full scope (every figure of every year up to Y): slower, never wrong.
`tests/unit/cultivation/test_scopes.py` runs every registered version on records that hold nothing
but the declared figures, so a rule that starts reading another figure fails there first.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.cultivation.eligibility.base import RuleSet
from domain.cultivation.metrics import METRIC_FIELDS


@dataclass(frozen=True, slots=True)
class MetricsScope:
    """What a rule set reads: the years Y − `years_back` .. Y (every year up to Y when None) and figures."""

    years_back: int | None
    figures: tuple[str, ...]

    def years(self, year: int) -> tuple[int | None, int]:
        """(first year or None for "from the beginning", last year) for an evaluation of year Y."""
        return (None if self.years_back is None else year - self.years_back), year


FULL = MetricsScope(None, METRIC_FIELDS)

_TECH_SME = ("employees", "revenue", "total_assets", "tech_staff", "rd_expense", "total_cost")
SCOPES: dict[tuple[str, int], MetricsScope] = {
    ("tech_sme", 1): MetricsScope(0, (*_TECH_SME, "class1_ip", "class2_ip")),
    ("hnte", 1): MetricsScope(
        2,
        (
            "class1_ip",
            "class2_ip",
            "tech_staff",
            "employees",
            "rd_expense",
            "revenue",
            "rd_expense_domestic",
            "high_tech_revenue",
            "innovation_score",
        ),
    ),
    ("eaglet", 1): MetricsScope(0, ("class1_ip", "class2_ip", "award")),
    ("gazelle", 1): MetricsScope(3, ("rd_expense", "revenue", "employees", "equity_financing")),
    ("unicorn", 1): MetricsScope(None, ("equity_financing", "valuation")),
    ("platform", 1): MetricsScope(0, ("revenue", "runs_platform")),
    ("above_scale", 1): MetricsScope(0, ("main_business_revenue",)),
}


def scope_of(rule_set: RuleSet) -> MetricsScope:
    """The metrics a version of a rule set reads; the full scope for a version not listed."""
    return SCOPES.get((rule_set.name, rule_set.version), FULL)
