"""The evaluation's charts as native spreadsheet charts: each exists and plots a range of the workbook that
holds the body's numbers, in a write-only workbook (as the exports are written) or an ordinary one."""

from __future__ import annotations

import copy
import re
import zipfile
from io import BytesIO
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook, load_workbook

from infrastructure.reports.workbook import BARS_SHEET, PATHS_SHEET, add_evaluation_charts

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def saved(body, *, write_only: bool) -> bytes:
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.active.title = "指标评估2025"  # an export's first sheet stays where it is
    add_evaluation_charts(workbook, body)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def charts_in(xlsx: bytes) -> list[dict]:
    """Each chart part: its kind, its title, and the ranges its series read (values, categories)."""
    found = []
    with zipfile.ZipFile(BytesIO(xlsx)) as archive:
        for name in sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = ElementTree.fromstring(archive.read(name))
            plot = root.find(f"{C}chart/{C}plotArea")
            kind = next(child.tag.removeprefix(C) for child in plot if child.tag.endswith("Chart"))
            title = "".join(t.text or "" for t in root.find(f"{C}chart/{C}title").iter(f"{A}t"))
            series = [
                {
                    "values": s.find(f"{C}val//{C}f").text,
                    "categories": s.find(f"{C}cat//{C}f").text,
                }
                for s in plot.iter(f"{C}ser")
            ]
            found.append({"kind": kind, "title": title, "series": series})
    return found


def cells(workbook, reference: str) -> list:
    sheet, area = reference.rsplit("!", 1)
    return [c.value for row in workbook[sheet.strip("'")][area.replace("$", "")] for c in row]


@pytest.mark.parametrize("write_only", [True, False])
def test_every_chart_plots_non_empty_data_of_the_workbook(seeded, write_only):
    xlsx = saved(seeded, write_only=write_only)
    workbook = load_workbook(BytesIO(xlsx))
    assert PATHS_SHEET in workbook.sheetnames and BARS_SHEET in workbook.sheetnames
    found = charts_in(xlsx)
    lines = [c for c in found if c["kind"] == "lineChart"]
    bars = [c for c in found if c["kind"] == "barChart"]
    assert len(lines) == len(seeded["indicators"])  # one path an indicator
    assert [b["title"] for b in bars] == [
        "企业梯度金字塔（不含未入梯度企业）",
        "梯度培育指标：规划目标、名录统计与填报值",
        "产业链环节覆盖率（2026年12月6日现状）",
        "招商项目按当前阶段分布（2026年12月6日现状）",
        "招商项目各年进入各阶段的数量（2026年12月6日现状）",
    ]
    for chart in found:
        assert chart["series"]
        for series in chart["series"]:
            values, categories = cells(workbook, series["values"]), cells(workbook, series["categories"])
            assert len(values) == len(categories) > 0
            assert all(c is not None for c in categories)
        plotted = [v for s in chart["series"] for v in cells(workbook, s["values"])]
        assert any(isinstance(v, int | float) for v in plotted), chart["title"]


def test_the_charts_plot_the_bodys_numbers(seeded):
    xlsx = saved(seeded, write_only=True)
    workbook = load_workbook(BytesIO(xlsx))
    found = charts_in(xlsx)
    first = next(c for c in found if c["title"].startswith("2. 地区生产总值"))
    years = cells(workbook, first["series"][0]["categories"])
    plan, actual, _ = (cells(workbook, s["values"]) for s in first["series"])
    indicator = next(i for i in seeded["indicators"] if i["code"] == 2)
    assert years == list(range(2020, 2026))
    assert plan[0] == float(indicator["baseline_value"]) and plan[-1] == float(indicator["target_value"])
    assert plan[1:-1] == [None] * 4  # the line spans the gap (dispBlanksAs "span")
    assert actual[1:] == [float(o["value"]) for o in indicator["observations"]]
    pyramid = next(c for c in found if c["title"].startswith("企业梯度金字塔"))
    tiers = seeded["cultivation"]["by_tier"]
    assert cells(workbook, pyramid["series"][0]["values"]) == [
        tiers[t] for t in ("platform", "unicorn", "gazelle", "eaglet", "hnte", "tech_sme")
    ]
    assert cells(workbook, pyramid["series"][0]["categories"])[0] == "平台化大企业"


def test_the_paths_are_straight_segments(seeded):
    with zipfile.ZipFile(BytesIO(saved(seeded, write_only=True))) as archive:
        chart = ElementTree.fromstring(archive.read("xl/charts/chart1.xml"))
    smooth = [s.find(f"{C}smooth") for s in chart.iter(f"{C}ser")]
    assert smooth and all(s is not None and s.get("val") in ("0", "false") for s in smooth)


@pytest.mark.parametrize("write_only", [True, False])
def test_names_users_typed_with_control_characters_are_charted_not_a_broken_export(seeded, write_only):
    body = copy.deepcopy(seeded)
    body["chains"]["items"][0]["name"] = (
        "半导体\x07与\x1b集成电路"  # what the API accepted into a chain's name
    )
    body["indicators"][0]["name"] = "营业\x0b总收入"
    xlsx = saved(body, write_only=write_only)  # the save raised IllegalCharacterError before
    workbook = load_workbook(BytesIO(xlsx))
    values = [c.value for row in workbook[BARS_SHEET].iter_rows() for c in row if isinstance(c.value, str)]
    assert "半导体\ufffd与\ufffd集成电路" in values
    assert not any(ch in v for v in values for ch in "\x07\x0b\x1b")
