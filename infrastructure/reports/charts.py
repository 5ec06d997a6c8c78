"""The report's charts as PNG pictures: matplotlib's Agg canvas (no display needed), the bundled CJK font."""

from __future__ import annotations

import math
import threading
import unicodedata
from io import BytesIO

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from infrastructure.reports.fonts import registered
from infrastructure.reports.series import ACTUAL, PLAN_LINE, PROJECTED, Chart, IndicatorPath

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with the document's margins
MAX_HEIGHT_IN = 8.5  # with its caption, a chart fits on a page
DPI = 120
COLOURS = ["#2F5597", "#C55A11", "#548235", "#7F6000", "#7030A0", "#1F9BA6"]
# matplotlib is not thread-safe: two reports rendered at once take turns at drawing.
_DRAWING = threading.Lock()


def figure(chart: Chart) -> Figure:
    """The chart as a matplotlib figure (not yet drawn)."""
    _style()
    if chart.paths is not None:
        return _paths_figure(chart.paths)
    return _bars_figure(chart)


def png(chart: Chart) -> bytes:
    """The chart drawn as a PNG picture."""
    with _DRAWING:
        drawn = figure(chart)
        output = BytesIO()
        FigureCanvasAgg(drawn).print_png(output, pil_kwargs={"compress_level": 1})
    return output.getvalue()


def wrap(text: str, width: int) -> str:
    """Break a label into lines of at most `width` columns (a CJK character takes two)."""
    lines, line, used = [], "", 0
    for character in text:
        size = 2 if unicodedata.east_asian_width(character) in "WF" else 1
        if used + size > width and line:
            lines.append(line)
            line, used = "", 0
        line, used = line + character, used + size
    return "\n".join([*lines, line])


def _number(value: float) -> str:
    """A bar's label: the value without a float's noise; nothing over an unknown value."""
    return "" if math.isnan(value) else f"{value:g}"


def _style() -> None:
    families = registered()
    matplotlib.rcParams.update(
        {
            "font.family": families,  # a list: a character the first lacks is taken from the next
            "font.size": 8,
            "axes.unicode_minus": False,  # the hyphen-minus every font has
            "text.parse_math": False,  # a "$" in a user's title is a dollar sign, not TeX
            "axes.titley": 1.0,  # a fixed title place: finding one free of the ticks took a fifth of the time
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def _paths_figure(paths: list[IndicatorPath]) -> Figure:
    # A fixed layout (in inches) rather than matplotlib's constrained one, which took half the drawing time.
    columns = 2 if len(paths) > 1 else 1
    rows = math.ceil(len(paths) / columns)
    top, bottom, row = 0.35, 0.3, 2.2
    height = top + bottom + row * rows
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    grid = fig.add_gridspec(
        rows,
        columns,
        left=0.08,
        right=0.97,
        top=1 - (top + 0.35) / height,
        bottom=bottom / height,
        hspace=0.42,
        wspace=0.25,
    )
    axes = [fig.add_subplot(grid[i // columns, i % columns]) for i in range(len(paths))]
    for ax, path in zip(axes, paths, strict=True):
        _path(ax, path)
    handles = [
        Line2D([], [], color=COLOURS[0], linestyle="--", marker="o", markerfacecolor="white"),
        Line2D([], [], color=COLOURS[1], marker="o"),
        Line2D([], [], color=COLOURS[2], linestyle="", marker="D", markerfacecolor="white"),
    ]
    fig.legend(
        handles,
        [PLAN_LINE, ACTUAL, PROJECTED],
        loc="upper center",
        bbox_to_anchor=(0.5, 1),
        ncols=3,
        frameon=False,
    )
    return fig


def _path(ax, path: IndicatorPath) -> None:
    ax.set_title(wrap(path.title, 34), fontsize=8, loc="left")
    if path.plan:
        years, values = zip(*path.plan, strict=True)
        ax.plot(years, values, color=COLOURS[0], linestyle="--", marker="o", markerfacecolor="white")
    if path.actual:
        years, values = zip(*path.actual, strict=True)
        ax.plot(years, values, color=COLOURS[1], marker="o", markersize=4)
        ax.annotate(path.latest, (years[-1], values[-1]), textcoords="offset points", xytext=(4, 4))
    if path.projected:
        ax.plot(*path.projected, color=COLOURS[2], linestyle="", marker="D", markerfacecolor="white")
    if not (path.plan or path.actual or path.projected):
        ax.text(0.5, 0.5, "暂无数据", transform=ax.transAxes, ha="center", va="center", color="grey")
        ax.set_xticks([])
        ax.set_yticks([])
        return
    ax.set_xticks(path.years)  # explicit ticks: the locators' trial ticks were most of the drawing time
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.grid(axis="y", alpha=0.3)
    ax.margins(x=0.08, y=0.15)


def _bars_figure(chart: Chart) -> Figure:
    bars = chart.bars
    assert bars is not None
    many = len(bars.categories)
    labels = [wrap(c, 24 if chart.horizontal else 16) for c in bars.categories]
    series = list(bars.series.items())
    legend = 0.35 if len(series) > 1 else 0.1
    # A fixed layout (in inches), room made for the labels: matplotlib's constrained layout doubled the time.
    if chart.horizontal:
        row = min(0.3, (MAX_HEIGHT_IN - 0.5 - legend) / many)  # a page high at most: rows get thinner
        height = max(2.2, 0.5 + legend + row * many)
        left = 0.25 + max(_columns(line) for label in labels for line in label.split("\n")) * 0.058
        box = {"left": left / WIDTH_IN, "right": 0.95, "bottom": 0.4 / height, "top": 1 - legend / height}
    else:
        height = 3.2
        box = {"left": 0.6 / WIDTH_IN, "right": 0.98, "bottom": 0.55 / height, "top": 1 - legend / height}
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    fig.subplots_adjust(**box)
    ax = fig.add_subplot()
    slot = 0.8 / len(series)
    for index, (name, values) in enumerate(series):
        shown = [math.nan if v is None else v for v in values]
        offsets = [i - 0.4 + slot * (index + 0.5) for i in range(many)]
        colour = COLOURS[index % len(COLOURS)]
        if chart.centred:  # each rung centred on the axis: the pyramid's shape
            left_edges = [0 if math.isnan(v) else -v / 2 for v in shown]
            drawn = ax.barh(offsets, shown, height=slot, left=left_edges, color=colour, label=name)
        elif chart.horizontal:
            drawn = ax.barh(offsets, shown, height=slot, color=colour, label=name)
        else:
            drawn = ax.bar(offsets, shown, width=slot, color=colour, label=name)
        ax.bar_label(drawn, labels=[_number(v) for v in shown], padding=2, fontsize=7)
    if chart.horizontal:
        ax.set_yticks(range(many), labels, fontsize=8 if row >= 0.2 else 6)
        ax.set_ylim(many - 0.5, -0.5)  # the first category on top: the pyramid's peak, the first chain
        ax.margins(x=0.12)
        if chart.centred:
            ax.xaxis.set_visible(False)
            ax.spines[["left", "bottom"]].set_visible(False)
            ax.tick_params(axis="y", length=0)
        else:
            ax.grid(axis="x", alpha=0.3)
    else:
        ax.set_xticks(range(many), labels)
        ax.margins(y=0.15)
        ax.grid(axis="y", alpha=0.3)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    if len(series) > 1:
        fig.legend(loc="upper center", bbox_to_anchor=(0.5, 1), ncols=min(len(series), 6), frameon=False)
    elif not chart.centred:  # one series: its name says what the axis counts
        (ax.set_xlabel if chart.horizontal else ax.set_ylabel)(series[0][0])
    return fig


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
