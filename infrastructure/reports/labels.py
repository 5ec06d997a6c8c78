"""How the report prints the evaluation: Chinese labels for every enum, numbers as the body gives them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from domain.integration.ledgers.specs import ASSESSMENT, ESCALATIONS, LIGHTS, NATURES, STAGES, TIERS
from domain.planning.tasks import STATUS_ZH

LIGHT = dict(LIGHTS)
ASSESSED = dict(ASSESSMENT)
ESCALATION = dict(ESCALATIONS)
NATURE = dict(NATURES)
STAGE = dict(STAGES)
TIER = dict(TIERS)
TASK_STATUS = STATUS_ZH
DIRECTION = {"up": "越大越好", "down": "越小越好"}
KIND = {"final": "终期评估报告", "mid_term": "中期评估报告"}  # else the year's: "2024年度评估报告"
DASH = "—"  # an unknown value (null in the body)
NO_LEAD = "未明确牵头部门"
NUMERALS = "〇一二三四五六七八九"


def kind_title(kind: str, year: int) -> str:
    """终期评估报告, 中期评估报告, or 2024年度评估报告."""
    return KIND.get(kind, f"{year}年度评估报告")


def label(labels: dict[str, str], value: str | None) -> str:
    """The Chinese label of an enum value; an unknown value (a newer body) is printed as sent."""
    if value is None:
        return DASH
    return labels.get(value, value)


def shown(value: object) -> str:
    """A value as printed: decimal strings, dates and text as the body gives them; numbers without a float's
    noise (62.5, 100 for 100.0); null as —."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _plain(Decimal(repr(value)))
    return str(value)


def percent(ratio: float | int | None) -> str:
    """A ratio of the body as a percentage: exactly the ratio × 100 (0.8423 → 84.23%), never rounded again."""
    if ratio is None:
        return DASH
    return _plain(Decimal(repr(ratio)) * 100) + "%"


def as_float(value: object) -> float | None:
    """A number to plot: a decimal string or a number of the body; None where unknown or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() else None


def zh_date(iso: str | None) -> str:
    """2025-12-31 → 2025年12月31日 (what is not an ISO date is printed as sent)."""
    if not iso:
        return DASH
    parts = iso.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return iso
    year, month, day = parts
    return f"{year}年{int(month)}月{int(day)}日"


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (headings and figure numbers carry no digits of their own)."""
    if n < 10:
        return NUMERALS[n]
    tens, units = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens]
    return f"{head}十{NUMERALS[units] if units else ''}"


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text
