"""年度经营数据: one record of an enterprise's figures for one year, amounts in 万元."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.shared.errors import InvalidValue
from domain.shared.ids import new_id

FIRST_YEAR, LAST_YEAR = 1990, 2100
AMOUNT_FIELDS = (
    "revenue",
    "main_business_revenue",
    "high_tech_revenue",
    "rd_expense",
    "rd_expense_domestic",
    "total_cost",
    "total_assets",
    "tax",
    "exports",
    "valuation",
    "equity_financing",
)
COUNT_FIELDS = ("employees", "tech_staff", "class1_ip", "class2_ip")
FLAG_FIELDS = ("award", "runs_platform")
# The API's metrics body, in its order.
METRIC_FIELDS = (
    "revenue",
    "main_business_revenue",
    "high_tech_revenue",
    "rd_expense",
    "rd_expense_domestic",
    "total_cost",
    "employees",
    "tech_staff",
    "total_assets",
    "tax",
    "exports",
    "class1_ip",
    "class2_ip",
    "valuation",
    "equity_financing",
    "innovation_score",
    "award",
    "runs_platform",
)


@dataclass(eq=False, kw_only=True)
class AnnualMetrics:
    """年度经营数据: every figure optional; amounts are exact Decimals in 万元, counts ints.

    `innovation_score` (0–100), `award` and `runs_platform` are expert inputs set by an officer.
    """

    enterprise_id: str
    year: int
    revenue: Decimal | None = None
    main_business_revenue: Decimal | None = None
    high_tech_revenue: Decimal | None = None
    rd_expense: Decimal | None = None
    rd_expense_domestic: Decimal | None = None
    total_cost: Decimal | None = None
    employees: int | None = None
    tech_staff: int | None = None
    total_assets: Decimal | None = None
    tax: Decimal | None = None
    exports: Decimal | None = None
    class1_ip: int | None = None
    class2_ip: int | None = None
    valuation: Decimal | None = None
    equity_financing: Decimal | None = None
    innovation_score: Decimal | None = None
    award: bool | None = None
    runs_platform: bool | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if (
            isinstance(self.year, bool)
            or not isinstance(self.year, int)
            or not FIRST_YEAR <= self.year <= LAST_YEAR
        ):
            raise InvalidValue("year must be between 1990 and 2100", "年份须在1990到2100之间", field="year")
        for name in AMOUNT_FIELDS:
            setattr(self, name, _amount(name, getattr(self, name)))
        for name in COUNT_FIELDS:
            setattr(self, name, _count(name, getattr(self, name)))
        for name in FLAG_FIELDS:
            if getattr(self, name) is not None and not isinstance(getattr(self, name), bool):
                raise InvalidValue(f"{name} must be true or false", f"{name} 须为是或否", field=name)
        score = _amount("innovation_score", self.innovation_score)
        if score is not None and score > 100:
            raise InvalidValue(
                "innovation_score must be between 0 and 100",
                "创新能力评分须在0到100之间",
                field="innovation_score",
            )
        self.innovation_score = score
        if self.tech_staff is not None and self.employees is not None and self.tech_staff > self.employees:
            raise InvalidValue("tech_staff exceeds employees", "科技人员数超过职工总数", field="tech_staff")

    def replace_values(self, **values: Any) -> None:
        """PUT: the given figures replace all of them (absent ones become null), all validated first."""
        unknown = set(values) - set(METRIC_FIELDS)
        if unknown:
            name = sorted(unknown)[0]
            raise InvalidValue(f"unknown field {name}", f"未知字段 {name}", field=name)
        candidate = AnnualMetrics(enterprise_id=self.enterprise_id, year=self.year, **values)
        for name in METRIC_FIELDS:
            setattr(self, name, getattr(candidate, name))

    def as_dict(self) -> dict[str, Any]:
        """The API's metrics body: amounts as decimal strings, counts as ints, flags as bools."""
        body: dict[str, Any] = {"year": self.year}
        for name in METRIC_FIELDS:
            value = getattr(self, name)
            body[name] = str(value) if isinstance(value, Decimal) else value
        return body


def _amount(name: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidValue(f"{name} must be a number", f"{name} 须为数值", field=name)
    try:
        # A float goes through its shortest repr so that 0.1 becomes Decimal("0.1"), not its binary expansion.
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise InvalidValue(f"{name} must be a number", f"{name} 须为数值", field=name) from None
    if not amount.is_finite():
        raise InvalidValue(f"{name} must be a finite number", f"{name} 须为有限数值", field=name)
    if amount < 0:
        raise InvalidValue(f"{name} may not be negative", f"{name} 不能为负数", field=name)
    amount = amount.copy_abs()  # -0 → 0
    # 2E+4 would reach the API as "2E+4"; keep the plain form.
    return amount.quantize(Decimal(1)) if amount.as_tuple().exponent > 0 else amount


def _count(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"{name} must be a whole number", f"{name} 须为整数", field=name)
    if value < 0:
        raise InvalidValue(f"{name} may not be negative", f"{name} 不能为负数", field=name)
    return value
