"""敏感数据: enterprise figures and what is computed from them, hidden from those who may not read them.

DOMAIN.md: revenue, tax, R&D, valuation and everything computed from them — eligibility actuals, the
R&D reward, screening details, exports — are null for anyone without `read_sensitive`, and every read
of them by someone with it is itself audited (`SensitiveRead`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.cultivation.metrics import METRIC_FIELDS

AUDIT_ACTION = "enterprise.read_sensitive"
# Criteria whose threshold is the enterprise's own figure of the year before, not a rule's constant.
FIGURE_THRESHOLDS = frozenset({"revenue_rising", "employees_rising"})
# What an audit entry names as read, per view.
METRICS_READ = METRIC_FIELDS
ELIGIBILITY_READ = ("criteria.actual", "score", "score_parts")
RD_REWARD_READ = ("intensity", "ceiling")


@dataclass(frozen=True, slots=True)
class SensitiveRead:
    """敏感数据读取记录: who read which figures of one enterprise is audited; `details` say in what view."""

    enterprise_id: str
    fields: tuple[str, ...]
    details: Mapping[str, Any] = field(default_factory=dict)


# The port a read handler is given: records the reads in the audit log, for good (committed).
RecordReads = Callable[[Sequence[SensitiveRead]], Awaitable[None]]


def conceal_metrics(body: dict[str, Any]) -> dict[str, Any]:
    """The metrics body with every figure null (the year and the enterprise stay)."""
    return {key: (None if key in METRIC_FIELDS else value) for key, value in body.items()}


def conceal_result(body: dict[str, Any]) -> dict[str, Any]:
    """An eligibility result (RuleResult.as_dict) with every actual — and the tech_sme score — null.

    The verdicts go with them: `passed` of a criterion whose actual is hidden, and `eligible`, would
    bracket the hidden figure (revenue ≤ 20,000 passed, with the threshold shown, says as much as the
    revenue). What is `missing` stays: it names data that is absent, no figure.
    """
    criteria = [_conceal_row(row) for row in body["criteria"]]
    hidden = any(_hides(row) for row in body["criteria"])
    concealed = {**body, "criteria": criteria, "eligible": None if hidden else body["eligible"]}
    if "score" in body:
        concealed["score"] = None
        concealed["score_parts"] = dict.fromkeys(body.get("score_parts") or {})
    return concealed


def conceal_reward(body: dict[str, Any]) -> dict[str, Any]:
    """The R&D reward body with intensity and ceiling null."""
    return {**body, "intensity": None, "ceiling": None}


def _hides(row: dict[str, Any]) -> bool:
    """Whether concealing the row hides something: an actual, or a member's."""
    actual = row["actual"]
    return any(_hides(m) for m in actual) if isinstance(actual, list) else actual is not None


def _conceal_row(row: dict[str, Any]) -> dict[str, Any]:
    actual = row["actual"]
    # An "any one of" / "all of" criterion lists its members as its actual: keep the explanation, hide theirs.
    members = [_conceal_row(m) for m in actual] if isinstance(actual, list) else None
    threshold = None if row["name"] in FIGURE_THRESHOLDS else row["threshold"]
    passed = None if _hides(row) else row["passed"]
    return {**row, "actual": members, "threshold": threshold, "passed": passed}
