"""企业: the enterprises the zone cultivates, with their registration facts."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

from domain.cultivation import events
from domain.cultivation.credit_code import CreditCode
from domain.shared.errors import InvalidValue
from domain.shared.events import RecordsEvents
from domain.shared.ids import new_id

# 一城一区六组团 (DOMAIN.md §3): the plan heads the list "八组团" and names six.
CLUSTERS = (
    "高新科创城",
    "新经济活力区",
    "总部经济组团",
    "环辽科大科创组团",
    "数字经济产业组团",
    "新能源产业组团",
    "能源与装备产业组团",
    "数字与信息产业组团",
)


class EnterpriseStatus(StrEnum):
    """企业状态: whether the enterprise is still in the zone."""

    ACTIVE = "active"
    MOVED_OUT = "moved_out"
    DEREGISTERED = "deregistered"


@dataclass(eq=False, kw_only=True)
class Enterprise(RecordsEvents):
    """企业: one enterprise (aliases such as 聚龙股份/聚龙集团 name the same one); its tier is derived."""

    name: str
    aliases: list[str] = field(default_factory=list)
    credit_code: str | None = None
    registered_on: date | None = None
    cluster: str | None = None
    status: EnterpriseStatus = EnterpriseStatus.ACTIVE
    listed: bool | None = None  # None: no source says either way — never read as "not listed"
    stock_code: str | None = None
    listed_on: date | None = None
    officer_id: str | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        self._normalise()

    @classmethod
    def register(cls, name: str, **details: Any) -> Enterprise:
        """Register an enterprise and record `enterprise.registered`."""
        enterprise = cls(name=name, **details)
        enterprise.record_event(events.enterprise_registered(enterprise))
        return enterprise

    def update(self, **changes: Any) -> None:
        """Change some fields at once (PATCH): all are validated together before any is applied."""
        editable = {f.name for f in fields(self)} - {"id"}
        for key in changes:
            if key not in editable:
                raise InvalidValue(f"unknown field {key}", f"未知字段 {key}", field=key)
        current = {name: getattr(self, name) for name in editable}
        candidate = Enterprise(**{**current, **changes, "id": self.id})
        for name in editable:
            setattr(self, name, getattr(candidate, name))

    def is_listed_on(self, on: date, today: date | None = None) -> bool | None:
        """上市 on that date: True, False, or None when not known — `listed` unknown, or listed without a
        listing date on a day before `today` (listed now says nothing of since when; without `today`, on
        no day at all). Counts count only True.
        """
        if self.listed is None:
            return None
        if not self.listed:
            return False
        if self.listed_on is not None:
            return self.listed_on <= on
        return True if today is not None and on >= today else None

    def all_names(self) -> list[str]:
        """The name and every alias, for search and for matching the plan's wording."""
        return [self.name, *self.aliases]

    def _normalise(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidValue("name is required", "企业名称不能为空", field="name")
        self.name = self.name.strip()
        self.aliases = _aliases(self.aliases)
        code = self.credit_code
        if isinstance(code, str) and not code.strip():
            code = None  # an empty import cell means "not known"
        self.credit_code = CreditCode(code).value if code is not None else None
        self.cluster = _cluster(self.cluster)
        try:
            self.status = EnterpriseStatus(self.status)
        except ValueError:
            raise InvalidValue(
                f"unknown status {self.status!r}", f"未知企业状态 {self.status!r}", field="status"
            ) from None
        for name in ("registered_on", "listed_on"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
                raise InvalidValue(f"{name} must be a date", f"{name} 须为日期", field=name)
        if self.listed is not None and not isinstance(self.listed, bool):
            raise InvalidValue("listed must be true, false or null", "是否上市须为是、否或空", field="listed")
        self.stock_code = (self.stock_code or "").strip() or None
        if self.listed is not True and self.listed_on is not None:
            raise InvalidValue("listed_on requires listed", "填写上市日期须同时标记为上市", field="listed_on")
        if self.listed is not True and self.stock_code is not None:
            raise InvalidValue(
                "stock_code requires listed", "填写股票代码须同时标记为上市", field="stock_code"
            )


def _aliases(values: list[str] | None) -> list[str]:
    result: list[str] = []
    for value in values or []:
        if not isinstance(value, str) or not value.strip():
            raise InvalidValue("an alias may not be empty", "企业别名不能为空", field="aliases")
        if value.strip() not in result:
            result.append(value.strip())
    return result


def _cluster(value: str | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or value.strip() not in CLUSTERS:
        raise InvalidValue(
            f"unknown cluster {value!r}; one of: {', '.join(CLUSTERS)}",
            f"未知组团“{value}”,应为:{'、'.join(CLUSTERS)}",
            field="cluster",
        )
    return value.strip()
