"""二、主要指标完成情况: the indicators by area — table, values by year, the area's chart, notes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from docx.document import Document

from infrastructure.reports.labels import ASSESSED, DIRECTION, NATURE, label, numeral, percent, shown
from infrastructure.reports.series import areas
from infrastructure.reports.word import Column, add_table, heading, lead_in, para

AddChart = Callable[[Document, str], None]


def write(document: Document, evaluation: Mapping[str, Any], add_chart: AddChart) -> None:
    year = evaluation["year"]
    heading(document, "二、主要指标完成情况", level=1)
    para(
        document,
        f"规划确定的主要指标按领域列示如下：基期值、{year}年预期值与实际值、完成率、进度状态、目标值、"
        "按现有趋势预计的目标年值及达成目标尚需的年均增速；其后为各指标历年实际值及其走势图。",
    )
    for index, (area, indicators) in enumerate(areas(evaluation.get("indicators") or ()).items(), start=1):
        heading(document, f"（{numeral(index)}）{area}", level=2)
        _values(document, indicators, year)
        _by_year(document, indicators)
        add_chart(document, f"area:{area}")
        _notes(document, indicators)


def _values(document: Document, indicators: Sequence[Mapping[str, Any]], year: int) -> None:
    baseline = _common(i.get("baseline_year") for i in indicators)
    target = _common(i.get("target_year") for i in indicators)
    columns = [
        Column("序号", 0.7, numeric=True),
        Column("指标名称（单位）", 2.75),
        Column("属性", 1.2),
        Column(f"基期值（{baseline}年）" if baseline else "基期值", 1.3, numeric=True),
        Column(f"{year}年预期值", 1.3, numeric=True),
        Column(f"{year}年实际值", 1.35, numeric=True),
        Column("完成率", 1.45, numeric=True),
        Column("进度状态", 1.6),
        Column(f"目标值（{target}年）" if target else "目标值", 1.3, numeric=True),
        Column("预计目标年值", 1.75, numeric=True),
        Column("年均所需增速", 1.0, numeric=True),
    ]
    rows = [
        [
            shown(i["code"]),
            f"{i['name']}（{i['unit']}）",
            _nature(i),
            _with_year(i.get("baseline_value"), None if baseline else i.get("baseline_year")),
            shown(i.get("expected_value")),
            shown(i.get("actual_value")),
            percent(i.get("completion_ratio")),
            label(ASSESSED, i.get("status")),
            _with_year(i.get("target_value"), None if target else i.get("target_year")),
            shown(i.get("projected_value")),
            percent(i.get("required_annual_growth")),
        ]
        for i in indicators
    ]
    add_table(document, columns, rows)


def _by_year(document: Document, indicators: Sequence[Mapping[str, Any]]) -> None:
    years = sorted({o["year"] for i in indicators for o in i.get("observations") or ()})
    if not years:
        para(document, "本领域指标暂无历年实际值。")
        return
    lead_in(document, "历年实际值")
    width = min(2.0, 11.5 / len(years))
    columns = [Column("序号", 0.8, numeric=True), Column("指标名称", 16 - 0.8 - width * len(years))]
    columns += [Column(f"{y}年", width, numeric=True) for y in years]
    rows = []
    for indicator in indicators:
        values = {o["year"]: o.get("value") for o in indicator.get("observations") or ()}
        rows.append([shown(indicator["code"]), indicator["name"], *(shown(values.get(y)) for y in years)])
    add_table(document, columns, rows)


def _notes(document: Document, indicators: Sequence[Mapping[str, Any]]) -> None:
    """The plan's own notes on its table (inconsistencies between its table and its text, units)."""
    noted = [i for i in indicators if i.get("note")]
    if not noted:
        return
    lead_in(document, "规划文本的说明")
    for indicator in noted:
        para(document, f"指标{indicator['code']}（{indicator['name']}）：{indicator['note']}")


def _nature(indicator: Mapping[str, Any]) -> str:
    nature = label(NATURE, indicator.get("nature"))
    direction = indicator.get("direction")
    return f"{nature}\n{label(DIRECTION, direction)}" if direction == "down" else nature


def _with_year(value: object, year: object) -> str:
    """A value, with its year where the column's header cannot carry it (the indicators' years differ)."""
    return shown(value) if year is None or value is None else f"{shown(value)}（{year}年）"


def _common(values) -> object:
    """The one value all share, else None."""
    found = set(values)
    return found.pop() if len(found) == 1 else None
