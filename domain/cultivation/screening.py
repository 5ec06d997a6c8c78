"""筛选: run a rule set over the registry and list who passes and does not yet hold the designation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.eligibility import rule_set_for
from domain.cultivation.eligibility.base import RuleResult, RuleSet
from domain.cultivation.enterprises import Enterprise, EnterpriseStatus
from domain.cultivation.metrics import AnnualMetrics
from domain.shared.errors import InvalidValue

_NONE: tuple[Certification, ...] = ()
_NO_METRICS: Mapping[int, AnnualMetrics] = {}


@dataclass(frozen=True, slots=True)
class Candidate:
    """筛选结果: an enterprise the rule set finds eligible, with the result that explains why."""

    enterprise_id: str
    name: str
    result: RuleResult

    def as_dict(self) -> dict[str, object]:
        """The API's candidate: {"enterprise_id", "name", "result"}."""
        return {"enterprise_id": self.enterprise_id, "name": self.name, "result": self.result.as_dict()}


def screen(
    rule_set_name: str,
    year: int,
    enterprises: Iterable[Enterprise],
    certs_by_enterprise: Mapping[str, Sequence[Certification]],
    metrics_by_enterprise: Mapping[str, Mapping[int, AnnualMetrics]],
    *,
    rule_set: RuleSet | None = None,
) -> list[Candidate]:
    """The candidates of year Y, in the order given: active enterprises whose result is eligible True and
    who hold no valid designation of that kind on 31 Dec Y.

    An undecided (null) result is not a candidate: screening proposes only whom the data already qualifies.
    `rule_set` overrides the registry's version (e.g. unicorn at another CNY/USD rate).
    """
    if rule_set is not None and rule_set.name != rule_set_name:
        raise InvalidValue(
            f"rule set {rule_set.name} given for {rule_set_name}", "认定条件与筛选类型不符", field="rule_set"
        )
    rules = rule_set or rule_set_for(rule_set_name, year)
    kind = CertificationKind(rules.name)
    year_end = date(year, 12, 31)
    checks_of, conclude = rules.checks, rules.conclude
    active = EnterpriseStatus.ACTIVE
    candidates = []
    for enterprise in enterprises:
        if enterprise.status != active:
            continue
        certifications = certs_by_enterprise.get(enterprise.id, _NONE)
        if any(c.kind == kind and c.valid_on(year_end) for c in certifications):
            continue
        metrics = metrics_by_enterprise.get(enterprise.id, _NO_METRICS)
        decided = []
        # Stop at the first criterion that is not true: the result can no longer be eligible. Only the
        # candidates are explained, which is where the time would go.
        for decision in checks_of(enterprise, certifications, metrics, year):
            if decision.passed is not True:
                break
            decided.append(decision)
        else:
            result = conclude([d.row() for d in decided], enterprise, certifications, metrics, year)
            candidates.append(Candidate(enterprise.id, enterprise.name, result))
    return candidates
