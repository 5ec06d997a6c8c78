"""The report's charts as native spreadsheet charts (openpyxl), beside the data tables they plot.

`add_evaluation_charts(workbook, evaluation)` adds two sheets to a workbook being built — write-only (as
`infrastructure.excel.writer` makes the exports) or not — from the same evaluation body as the Word
document and the same series (`series.charts`): the indicators' paths, one line chart per indicator under
its area; then the tier pyramid, the cultivation targets, chain coverage and the pipeline as bar charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from infrastructure.excel.writer import cell_text
from infrastructure.reports.series import ACTUAL, PLAN_LINE, PROJECTED, Chart, IndicatorPath, charts

PATHS_SHEET, BARS_SHEET = "指标走势图", "梯度与产业链图"
PATH_BLOCK = 16  # rows given to one indicator: its table (5 rows) beside a chart 15 rows high
BAR_BLOCK_MIN = 18
CHART_COLUMN = "J"  # charts stand right of their tables (which use columns A–H at most for paths)


def add_evaluation_charts(workbook: Workbook, evaluation: Mapping[str, Any]) -> None:
    """Add the evaluation's charts, with their data, as two sheets of `workbook`."""
    found = charts(evaluation)
    paths = [c for c in found if c.paths is not None]
    bars = [c for c in found if c.bars is not None]
    if paths:
        _paths_sheet(workbook, paths)
    if bars:
        _bars_sheet(workbook, bars)


def _paths_sheet(workbook: Workbook, areas: list[Chart]) -> None:
    sheet = workbook.create_sheet(PATHS_SHEET)
    row = 1
    for area in areas:
        _append(sheet, [area.caption])
        row += 1
        for path in area.paths or ():
            _path_block(sheet, path, row)
            row += PATH_BLOCK


def _path_block(sheet, path: IndicatorPath, first: int) -> None:
    """The indicator's table (years across; plan, actual, projection down) and its line chart beside it."""
    years = path.years
    plan, actual = dict(path.plan), dict(path.actual)
    projected = dict([path.projected]) if path.projected else {}
    rows = [
        [path.title],
        ["年份", *years],
        [PLAN_LINE, *(plan.get(y) for y in years)],
        [ACTUAL, *(actual.get(y) for y in years)],
        [PROJECTED, *(projected.get(y) for y in years)],
    ]
    for values in rows:
        _append(sheet, values)
    for _ in range(PATH_BLOCK - len(rows)):
        sheet.append([])
    if not years:
        return  # nothing known: the title row says which indicator
    chart = LineChart()
    chart.title = cell_text(path.title)
    chart.display_blanks = "span"  # the plan's line runs from the baseline year to the target year
    chart.height, chart.width = 7, 14
    data = Reference(sheet, min_col=1, max_col=len(years) + 1, min_row=first + 2, max_row=first + 4)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, max_col=len(years) + 1, min_row=first + 1))
    plan_line, actual_line, projection = chart.series
    for series in chart.series:
        series.smooth = False  # straight segments: a curve would invent values between the years
    plan_line.graphicalProperties.line.dashStyle = "dash"
    plan_line.marker.symbol, actual_line.marker.symbol = "circle", "circle"
    projection.marker.symbol = "diamond"
    projection.graphicalProperties.line.noFill = True  # a point, not a line
    _axes(chart)
    sheet.add_chart(chart, f"{CHART_COLUMN}{first}")


def _bars_sheet(workbook: Workbook, found: list[Chart]) -> None:
    sheet = workbook.create_sheet(BARS_SHEET)
    row = 1
    for chart in found:
        bars = chart.bars
        assert bars is not None
        names = list(bars.series)
        _append(sheet, [chart.caption])
        _append(sheet, ["类别", *names])
        for index, category in enumerate(bars.categories):
            _append(sheet, [category, *(bars.series[name][index] for name in names)])
        height = max(BAR_BLOCK_MIN, len(bars.categories) + 4)
        for _ in range(height - len(bars.categories) - 2):
            sheet.append([])
        native = BarChart()
        native.type = "bar" if chart.horizontal else "col"
        native.grouping = "clustered"
        native.title = cell_text(chart.caption)
        native.height, native.width = max(7.5, 0.5 * len(bars.categories) + 2), 16
        last = row + 1 + len(bars.categories)
        native.add_data(
            Reference(sheet, min_col=2, max_col=len(names) + 1, min_row=row + 1, max_row=last),
            titles_from_data=True,
        )
        native.set_categories(Reference(sheet, min_col=1, min_row=row + 2, max_row=last))
        if chart.horizontal:
            native.x_axis.scaling.orientation = "maxMin"  # the first category on top, as in the document
        if len(names) == 1:
            native.legend = None
        _axes(native)
        sheet.add_chart(native, f"{CHART_COLUMN}{row}")
        row += height


def _axes(chart) -> None:
    """Axes shown: openpyxl leaves them to the reader's default, and current Excel hides them then."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _append(sheet, values: list[Any]) -> None:
    """A row of the chart data: text as a worksheet can hold it (names users typed may hold anything)."""
    sheet.append([cell_text(v) if isinstance(v, str) else v for v in values])
