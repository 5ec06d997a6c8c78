"""What each chart plots, taken from the evaluation's body once: the Word document draws it as a picture,
the workbook as a native chart, from the same series."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from infrastructure.reports.labels import STAGE, TIER, as_float, label, zh_date

Point = tuple[int, float]
# The pyramid from its top: the higher the rung, the fewer the enterprises.
TIERS_TOP_DOWN = ("platform", "unicorn", "gazelle", "eaglet", "hnte", "tech_sme", "none")
PLAN_LINE, ACTUAL, PROJECTED = "规划路径（基期→目标）", "实际值", "预计目标年值"
TARGET, REGISTRY, REPORTED = "规划目标", "名录统计", "填报值"


@dataclass(frozen=True, slots=True)
class IndicatorPath:
    """One indicator's path: baseline → target (where known), the actuals by year, the projection."""

    code: int
    name: str
    unit: str
    plan: list[Point]
    actual: list[Point]
    projected: Point | None
    latest: str | None = None  # the last actual as the body prints it, to label its point

    @property
    def title(self) -> str:
        return f"{self.code}. {self.name}（{self.unit}）"

    @property
    def years(self) -> list[int]:
        """Every year the chart spans, in order."""
        points = [*self.plan, *self.actual, *([self.projected] if self.projected else [])]
        known = [year for year, _ in points]
        return list(range(min(known), max(known) + 1)) if known else []


@dataclass(frozen=True, slots=True)
class Bars:
    """Categories and one or more named series of values over them (None: unknown)."""

    categories: list[str]
    series: dict[str, list[float | None]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart of the report: its key, its caption, and what it plots (paths of an area, or bars)."""

    key: str
    caption: str
    paths: list[IndicatorPath] | None = None
    bars: Bars | None = None
    horizontal: bool = False
    centred: bool = False  # bars centred on the axis: the tier pyramid


def areas(indicators: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """The indicators by area, areas in the order of their first indicator."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for indicator in indicators:
        grouped.setdefault(indicator.get("area") or "其他", []).append(indicator)
    return grouped


def indicator_path(indicator: Mapping[str, Any]) -> IndicatorPath:
    plan = [
        (year, value)
        for year, value in (
            (indicator.get("baseline_year"), as_float(indicator.get("baseline_value"))),
            (indicator.get("target_year"), as_float(indicator.get("target_value"))),
        )
        if year is not None and value is not None
    ]
    actual = [
        (o["year"], value)
        for o in sorted(indicator.get("observations") or (), key=lambda o: o["year"])
        if (value := as_float(o.get("value"))) is not None
    ]
    projected_value, target_year = as_float(indicator.get("projected_value")), indicator.get("target_year")
    projected = (target_year, projected_value) if projected_value is not None and target_year else None
    observed = [o for o in indicator.get("observations") or () if as_float(o.get("value")) is not None]
    latest = str(max(observed, key=lambda o: o["year"])["value"]) if observed else None
    return IndicatorPath(
        indicator["code"], indicator["name"], indicator["unit"], plan, actual, projected, latest
    )


def charts(evaluation: Mapping[str, Any]) -> list[Chart]:
    """Every chart of the report, in the document's order; a part with nothing to plot has no chart."""
    found = [
        Chart(f"area:{area}", f"{area}领域指标走势", paths=[indicator_path(i) for i in indicators])
        for area, indicators in areas(evaluation.get("indicators") or ()).items()
    ]
    return found + _cultivation(evaluation.get("cultivation") or {}) + _chains(evaluation.get("chains") or {})


def _cultivation(cultivation: Mapping[str, Any]) -> list[Chart]:
    found = []
    by_tier = cultivation.get("by_tier") or {}
    # The pyramid's rungs; enterprises on none (often most of the registry) stand in the table only.
    tiers = [t for t in TIERS_TOP_DOWN if t in by_tier and t != "none"]
    if tiers:
        pyramid = Bars([label(TIER, t) for t in tiers], {"企业数": [as_float(by_tier[t]) for t in tiers]})
        caption = "企业梯度金字塔（不含未入梯度企业）"
        found.append(Chart("tiers", caption, bars=pyramid, horizontal=True, centred=True))
    if targets := cultivation.get("targets") or []:
        bars = Bars(
            [f"{t['code']}. {t['name']}" for t in targets],
            {
                TARGET: [as_float(t.get("target")) for t in targets],
                REGISTRY: [as_float(t.get("registry")) for t in targets],
                REPORTED: [as_float(t.get("reported")) for t in targets],
            },
        )
        found.append(Chart("targets", "梯度培育指标：规划目标、名录统计与填报值", bars=bars))
    return found


def _chains(chains: Mapping[str, Any]) -> list[Chart]:
    """The chains' charts, each captioned with the day they were taken on (chains keep no history)."""
    found = []
    now = f"（{zh_date(chains.get('taken_on'))}现状）"
    if items := chains.get("items"):
        coverage = Bars(
            [c["name"] for c in items], {"覆盖率（%）": [_points(c.get("coverage")) for c in items]}
        )
        found.append(Chart("coverage", f"产业链环节覆盖率{now}", bars=coverage, horizontal=True))
    pipeline = chains.get("pipeline") or {}
    if by_stage := pipeline.get("by_stage"):
        stages = Bars(
            [label(STAGE, s) for s in by_stage], {"项目数": [as_float(v) for v in by_stage.values()]}
        )
        found.append(Chart("pipeline_stage", f"招商项目按当前阶段分布{now}", bars=stages))
    if by_year := pipeline.get("by_year"):
        names = list(dict.fromkeys(s for year in by_year for s in year.get("entered") or {}))
        yearly = Bars(
            [str(year["year"]) for year in by_year],
            {label(STAGE, s): [as_float((y.get("entered") or {}).get(s, 0)) for y in by_year] for s in names},
        )
        found.append(Chart("pipeline_year", f"招商项目各年进入各阶段的数量{now}", bars=yearly))
    return found


def _points(ratio: object) -> float | None:
    """A ratio as percentage points, for an axis in %."""
    value = as_float(ratio)
    return None if value is None else value * 100
