"""Schemas of enterprise cultivation: enterprises, certifications, metrics, pools, eligibility, screening."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PlainSerializer

from domain.cultivation.certifications import Certification, CertificationKind
from domain.cultivation.eligibility import REGISTRY
from domain.cultivation.enterprises import EnterpriseStatus
from domain.cultivation.handlers.enterprises import EnterpriseView
from domain.cultivation.pools import PoolKind
from domain.cultivation.tiers import Tier
from services.api.schemas.base import AmountIn, ReadModel, WriteModel

Amount = AmountIn | None
# A decimal string as the database gives it back (trailing zeros dropped, never an exponent), so that the
# answer to a PUT shows the same digits — and ETag — as every later GET.
Figure = Annotated[
    Decimal,
    PlainSerializer(lambda v: format(v.normalize(), "f") if v is not None else None, return_type=str | None),
]
RuleSetName = Literal[tuple(REGISTRY.names())]  # type: ignore[valid-type]


class EnterpriseIn(WriteModel):
    name: str = Field(min_length=1, max_length=300, description="企业名称")
    aliases: list[str] = Field(default_factory=list, description="别名 (聚龙集团 for 聚龙股份)")
    credit_code: str | None = Field(default=None, description="统一社会信用代码 (GB 32100-2015), unique")
    registered_on: date | None = None
    cluster: str | None = Field(default=None, description="组团, one of DOMAIN.md's clusters")
    status: EnterpriseStatus | None = None
    listed: bool | None = None
    stock_code: str | None = Field(default=None, max_length=32)
    listed_on: date | None = None
    officer_id: str | None = Field(default=None, description="企业管家: a user id")


class EnterprisePatch(WriteModel):
    name: str | None = Field(default=None, min_length=1, max_length=300)
    aliases: list[str] | None = None
    credit_code: str | None = None
    registered_on: date | None = None
    cluster: str | None = None
    status: EnterpriseStatus | None = None
    listed: bool | None = None
    stock_code: str | None = Field(default=None, max_length=32)
    listed_on: date | None = None
    officer_id: str | None = None


class EnterpriseOut(ReadModel):
    id: str
    name: str
    aliases: list[str]
    credit_code: str | None
    registered_on: date | None
    cluster: str | None
    status: EnterpriseStatus
    listed: bool | None = Field(description="null while no source says either way (never read as not listed)")
    stock_code: str | None
    listed_on: date | None
    officer_id: str | None
    tier: Tier = Field(
        description="梯度 today (Asia/Shanghai), derived from the certifications; never written"
    )


def enterprise_fields(view: EnterpriseView) -> dict[str, Any]:
    """What EnterpriseOut is built from: the enterprise's fields and its tier of the day."""
    fields = {name: getattr(view.enterprise, name) for name in EnterpriseOut.model_fields if name != "tier"}
    return fields | {"tier": view.tier}


class CertificationIn(WriteModel):
    kind: CertificationKind
    number: str | None = Field(
        default=None, max_length=64, description="hnte: GR + year + province + 6 digits"
    )
    issued_on: date
    expires_on: date | None = Field(
        default=None, description="derived for hnte, specialized, little_giant, tech_sme"
    )
    authority: str | None = Field(default=None, max_length=200)


class CertificationPatch(WriteModel):
    number: str | None = Field(default=None, max_length=64)
    issued_on: date | None = None
    expires_on: date | None = None
    authority: str | None = Field(default=None, max_length=200)
    revoked: bool | None = Field(
        default=None, description='revoke: {"revoked": true, "revoked_on", "reason"}'
    )
    revoked_on: date | None = None
    reason: str | None = Field(default=None, max_length=500)


class CertificationOut(ReadModel):
    id: str
    enterprise_id: str
    kind: CertificationKind
    number: str | None
    issued_on: date
    expires_on: date | None
    authority: str | None
    valid: bool = Field(description="valid today (issued ≤ today ≤ expires, not revoked)")
    revoked: bool
    revoked_on: date | None
    reason: str | None = Field(description="why it was revoked")


def certification_fields(certification: Certification, today: dt.date) -> dict[str, Any]:
    """What CertificationOut is built from: the record, its validity today, the revocation's reason."""
    names = [n for n in CertificationOut.model_fields if n not in ("valid", "reason")]
    fields = {name: getattr(certification, name) for name in names}
    return fields | {"valid": certification.valid_on(today), "reason": certification.revoke_reason}


class MetricsIn(WriteModel):
    """All optional; a PUT replaces the year's record (figures not given become null). Amounts in 万元."""

    revenue: Amount = None
    main_business_revenue: Amount = None
    high_tech_revenue: Amount = None
    rd_expense: Amount = None
    rd_expense_domestic: Amount = None
    total_cost: Amount = None
    employees: int | None = None
    tech_staff: int | None = None
    total_assets: Amount = None
    tax: Amount = None
    exports: Amount = None
    class1_ip: int | None = None
    class2_ip: int | None = None
    valuation: Amount = None
    equity_financing: Amount = None
    innovation_score: Amount = Field(default=None, description="expert input, 0–100")
    award: bool | None = None
    runs_platform: bool | None = None


class MetricsOut(ReadModel):
    """Figures are null for callers without read_sensitive."""

    enterprise_id: str
    year: int
    revenue: Figure | None
    main_business_revenue: Figure | None
    high_tech_revenue: Figure | None
    rd_expense: Figure | None
    rd_expense_domestic: Figure | None
    total_cost: Figure | None
    employees: int | None
    tech_staff: int | None
    total_assets: Figure | None
    tax: Figure | None
    exports: Figure | None
    class1_ip: int | None
    class2_ip: int | None
    valuation: Figure | None
    equity_financing: Figure | None
    innovation_score: Figure | None
    award: bool | None
    runs_platform: bool | None


class TierChangeOut(ReadModel):
    model_config = ConfigDict(populate_by_name=True)

    date: dt.date
    from_: Tier = Field(alias="from")
    to: Tier
    cause: str


class TierHistoryOut(ReadModel):
    items: list[TierChangeOut]
    next_cursor: None = None


class CriterionOut(ReadModel):
    name: str
    actual: Any = Field(description="null without read_sensitive")
    threshold: Any
    passed: bool | None = Field(
        description="null when data is missing; and without read_sensitive wherever `actual` is hidden "
        "(a verdict beside its threshold would bracket the figure)"
    )


class RuleResultOut(ReadModel):
    """tech_sme adds `score` and `score_parts` (null without read_sensitive)."""

    model_config = ConfigDict(extra="allow")

    rule_set: str
    version: int
    in_force: bool = Field(
        description="false for a year before the rule set's source took effect (eaglet, gazelle, unicorn "
        "and platform before 2021): listed all the same, undecided, with no criteria"
    )
    effective_from: date = Field(
        description="the day this version (the first one, when not in force) took effect"
    )
    eligible: bool | None = Field(
        description="null when undecided; and without read_sensitive when a figure is hidden"
    )
    criteria: list[CriterionOut]
    missing: list[str]


class EligibilityOut(ReadModel):
    year: int
    results: list[RuleResultOut]


class RdRewardOut(ReadModel):
    year: int
    intensity: float | None = Field(description="R&D / revenue of the year (a ratio)")
    ceiling: str | None = Field(description="reward ceiling, 万元 (decimal string)")


class PoolMemberIn(WriteModel):
    enterprise_id: str = Field(min_length=1)
    reason: str | None = Field(default=None, max_length=500)


class PoolMemberOut(ReadModel):
    id: str
    pool: PoolKind
    enterprise_id: str
    entered_on: date
    entered_by: str
    reason: str | None
    left_on: date | None
    left_reason: str | None


class ScreeningIn(WriteModel):
    rule_set: RuleSetName
    year: int = Field(ge=1990, le=2100)


class CandidateOut(ReadModel):
    enterprise_id: str
    name: str
    result: RuleResultOut


class ScreeningOut(ReadModel):
    rule_set: str
    version: int
    year: int
    candidates: list[CandidateOut]


class TierStatsOut(ReadModel):
    date: dt.date
    by_tier: dict[str, int]
    by_designation: dict[str, int]
    targets: dict[str, str | None] = Field(description="the plan's 2025 targets of indicators 8–11")
