"""认定/入库: designations an enterprise holds over a period, and their validity rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from domain.shared.errors import IllegalTransition, InvalidValue
from domain.shared.ids import new_id


class CertificationKind(StrEnum):
    """认定类型: the ladder's rungs and the designations that ride alongside."""

    TECH_SME = "tech_sme"
    HNTE = "hnte"
    EAGLET = "eaglet"
    GAZELLE = "gazelle"
    UNICORN = "unicorn"
    PLATFORM = "platform"
    SPECIALIZED = "specialized"
    LITTLE_GIANT = "little_giant"
    ABOVE_SCALE = "above_scale"


THREE_YEAR_KINDS = frozenset(
    {CertificationKind.HNTE, CertificationKind.SPECIALIZED, CertificationKind.LITTLE_GIANT}
)
EXPIRY_REQUIRED_KINDS = frozenset(
    {CertificationKind.EAGLET, CertificationKind.GAZELLE, CertificationKind.UNICORN}
)
OPEN_KINDS = frozenset({CertificationKind.PLATFORM, CertificationKind.ABOVE_SCALE})
# GR + 4-digit year + 2-digit province (Liaoning 21) + 6-digit serial; [0-9], since \d admits other scripts.
HNTE_NUMBER = re.compile(r"GR[0-9]{4}[0-9]{2}[0-9]{6}")


def three_year_expiry(issued_on: date) -> date:
    """The last valid day of a three-year designation: issued + 3 years − 1 day (29 Feb → 28 Feb)."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + 3)
    except ValueError:  # 29 February: the third anniversary falls on 1 March, so the last day is 28 February
        anniversary = date(issued_on.year + 3, 3, 1)
    return anniversary - timedelta(days=1)


def derived_expiry(kind: CertificationKind, issued_on: date) -> date | None:
    """The expiry DOMAIN.md fixes for a kind, or None where it is given (or open)."""
    if kind in THREE_YEAR_KINDS:
        return three_year_expiry(issued_on)
    if kind == CertificationKind.TECH_SME:
        return date(issued_on.year, 12, 31)  # registration is yearly
    return None


@dataclass(eq=False, kw_only=True)
class Certification:
    """认定/入库: a designation held from `issued_on` through `expires_on` (inclusive) unless revoked."""

    enterprise_id: str
    kind: CertificationKind
    issued_on: date
    number: str | None = None
    expires_on: date | None = None
    authority: str | None = None
    revoked: bool = False
    revoked_on: date | None = None
    revoke_reason: str | None = None
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        try:
            self.kind = CertificationKind(self.kind)
        except ValueError:
            raise InvalidValue(
                f"unknown kind {self.kind!r}", f"未知认定类型 {self.kind!r}", field="kind"
            ) from None
        if not isinstance(self.issued_on, date):
            raise InvalidValue("issued_on is required", "须填写认定日期", field="issued_on")
        self.number = _number(self.kind, self.number)
        self.authority = (self.authority or "").strip() or None
        self.expires_on = _expiry(self.kind, self.issued_on, self.expires_on)
        if self.revoked:
            _check_revocation(self.issued_on, self.revoked_on, self.revoke_reason)
            self.revoke_reason = self.revoke_reason.strip()
        elif self.revoked_on is not None or self.revoke_reason:
            raise InvalidValue(
                "revoked_on and reason need revoked", "填写撤销日期或原因须同时标记为撤销", field="revoked_on"
            )

    def valid_on(self, on: date) -> bool:
        """Valid on that day: issued_on ≤ on ≤ expires_on, and before the day it was revoked."""
        if on < self.issued_on:
            return False
        if self.expires_on is not None and on > self.expires_on:
            return False
        return not (self.revoked and (self.revoked_on is None or on >= self.revoked_on))

    def ends(self) -> tuple[date, str] | None:
        """The first day it is no longer valid and why ("expired" or "revoked"); None while open."""
        expired = self.expires_on + timedelta(days=1) if self.expires_on is not None else None
        if self.revoked and self.revoked_on is not None and (expired is None or self.revoked_on < expired):
            return self.revoked_on, "revoked"
        return (expired, "expired") if expired is not None else None

    def revoke(self, on: date, reason: str) -> None:
        """撤销: revoke from `on` (no longer valid that day); revoking twice is refused (409)."""
        if self.revoked:
            raise IllegalTransition("the certification is already revoked", "该认定已撤销")
        _check_revocation(self.issued_on, on, reason)
        self.revoked, self.revoked_on, self.revoke_reason = True, on, reason.strip()

    def label(self) -> str:
        """How officers name it: kind and number, e.g. "hnte GR202121000123"."""
        return f"{self.kind} {self.number}" if self.number else f"{self.kind} certification"


def holds(certifications: Iterable[Certification], kind: CertificationKind, on: date) -> bool:
    """Whether any of the certifications of that kind is valid on that day."""
    return any(c.kind == kind and c.valid_on(on) for c in certifications)


def _number(kind: CertificationKind, number: str | None) -> str | None:
    text = (number or "").strip() or None
    if text is not None and kind == CertificationKind.HNTE:
        text = text.upper()
        if not HNTE_NUMBER.fullmatch(text):
            raise InvalidValue(
                f"hnte certificate number {number!r} must be GR + 4-digit year + 2-digit province "
                "+ 6 digits, e.g. GR202121000123",
                f"高新技术企业证书编号“{number}”格式应为 GR + 4位年份 + 2位省份代码 + 6位序号,"
                "如 GR202121000123",
                field="number",
            )
    return text


def _expiry(kind: CertificationKind, issued_on: date, given: date | None) -> date | None:
    derived = derived_expiry(kind, issued_on)
    if derived is not None and given is not None and given != derived:
        raise InvalidValue(
            f"a {kind} certification issued {issued_on} expires on {derived}, not {given}",
            f"{issued_on} 认定的 {kind} 有效期至 {derived},而非 {given}",
            field="expires_on",
        )
    expires_on = derived or given
    if expires_on is None and kind in EXPIRY_REQUIRED_KINDS:
        raise InvalidValue(
            f"expires_on is required for {kind}", f"{kind} 须填写有效期截止日", field="expires_on"
        )
    if expires_on is not None and expires_on < issued_on:
        raise InvalidValue("expires_on is before issued_on", "有效期截止日早于认定日期", field="expires_on")
    return expires_on


def _check_revocation(issued_on: date, on: date | None, reason: str | None) -> None:
    if not isinstance(on, date):
        raise InvalidValue("revoked_on is required", "须填写撤销日期", field="revoked_on")
    if on < issued_on:
        raise InvalidValue("revoked_on is before issued_on", "撤销日期早于认定日期", field="revoked_on")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidValue("a reason is required to revoke", "撤销须填写原因", field="reason")
