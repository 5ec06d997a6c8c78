"""The report's tables: values in their columns as the body gives them, ratios as exact percentages, no row
of a large table dropped, and text that XML or matplotlib would choke on printed as typed."""

from __future__ import annotations

import copy
from decimal import Decimal
from io import BytesIO

from docx import Document

from infrastructure.reports.document import evaluation_document
from tests.unit.reports.conftest import GENERATED_ON


def percent(ratio) -> str:
    return "—" if ratio is None else f"{format((Decimal(repr(ratio)) * 100).normalize(), 'f')}%"


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_each_indicator_row_shows_the_bodys_values(seeded, seeded_docx):
    document = Document(BytesIO(seeded_docx))
    tables = [t for t in document.tables if [c.text for c in t.rows[0].cells][1:2] == ["指标名称（单位）"]]
    found = {int(r[0]): r for t in tables for r in rows(t)[1:]}
    assert sorted(found) == [i["code"] for i in seeded["indicators"]]
    for indicator in seeded["indicators"]:
        row = found[indicator["code"]]
        assert row[1] == f"{indicator['name']}（{indicator['unit']}）"
        assert row[3] == (indicator["baseline_value"] or "—")
        assert row[4:6] == [indicator["expected_value"] or "—", indicator["actual_value"] or "—"]
        assert row[6] == percent(indicator["completion_ratio"])
        assert row[8] == indicator["target_value"]
        assert row[10] == percent(indicator["required_annual_growth"])
    header = rows(tables[0])[0]
    assert header[3:6] == ["基期值（2020年）", "2025年预期值", "2025年实际值"]


def test_a_ratio_is_printed_exactly_times_one_hundred(seeded):
    body = copy.deepcopy(seeded)
    body["indicators"][1]["completion_ratio"] = 0.8423
    body["indicators"][2]["completion_ratio"] = 1.0
    body["indicators"][3]["required_annual_growth"] = 0.0561
    document = Document(BytesIO(evaluation_document(body, generated_on=GENERATED_ON)))
    table = rows(document.tables[1])  # the first area's indicators (after the summary)
    assert [table[2][6], table[3][6], table[4][10]] == ["84.23%", "100%", "5.61%"]


def test_no_task_behind_schedule_is_left_out_of_a_large_report(stress, stress_docx):
    document = Document(BytesIO(stress_docx))
    tables = [
        t for t in document.tables if [c.text for c in t.rows[0].cells][:3] == ["编号", "任务", "进度（%）"]
    ]
    printed = [r[0] for t in tables for r in rows(t)[1:]]
    expected = [t["code"] for g in stress["behind_schedule"] for t in g["tasks"]]
    assert len(expected) > 2000
    assert printed == expected
    departments = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert departments == [
        f"牵头部门：{g['lead_department_name'] or '未明确牵头部门'}" for g in stress["behind_schedule"]
    ]


def test_key_tasks_then_their_sections_with_labels_in_chinese(seeded, seeded_docx):
    document = Document(BytesIO(seeded_docx))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][2:3] == ["牵头部门"])
    printed = rows(table)[1:]
    expected = [t for key in seeded["tasks"] for t in (key, *key["sections"])]
    assert [r[0] for r in printed] == [t["code"] for t in expected]
    first = printed[0]
    task = expected[0]
    assert first[2] == task["lead_department_name"]
    assert first[4] == format(Decimal(repr(task["progress"])).normalize(), "f")
    lights = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "done": "已完成"}
    assert [r[5] for r in printed] == [lights[t["warning"]] for t in expected]
    assert table.rows[1].cells[1].paragraphs[0].runs[0].bold  # a key task stands out from its sections


def test_text_xml_cannot_hold_or_that_looks_like_markup_is_printed_as_typed(seeded):
    body = copy.deepcopy(seeded)
    body["tasks"][0]["title"] = "控制字符\x01与<标签>&符号"
    body["chains"]["items"][0]["name"] = "链$x^2$与50%"  # a "$" is no TeX for the chart
    body["indicators"][0]["name"] = "营业总收入 $ 美元"
    document = Document(BytesIO(evaluation_document(body, generated_on=GENERATED_ON)))
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "控制字符\ufffd与<标签>&符号" in cells
    assert "链$x^2$与50%" in cells


def test_parts_with_nothing_to_show_say_so(seeded):
    body = copy.deepcopy(seeded) | {"extensions": [], "divergences": [], "behind_schedule": []}
    body["chains"] = {"taken_on": "2026-12-06", "items": [], "pipeline": {"by_stage": {}, "by_year": []}}
    document = Document(BytesIO(evaluation_document(body, generated_on=GENERATED_ON)))
    text = [p.text for p in document.paragraphs]
    assert "评估期内未批准任务延期。" in text
    assert "未发现进度与指标背离的情况。" in text
    assert "截至评估日，无进度滞后（红灯、黄灯）的任务。" in text
    assert "暂无产业链。" in text
    areas = {i["area"] for i in seeded["indicators"]}
    assert len(document.inline_shapes) == len(areas) + 2  # no chain charts: nothing to plot


def test_progress_is_told_for_each_chart_and_part(seeded):
    heard = []
    evaluation_document(seeded, generated_on=GENERATED_ON, progress=lambda *step: heard.append(step))
    charts = [done for step, done, total in heard if step == "图表"]
    parts = [(done, total) for step, done, total in heard if step == "章节"]
    assert charts == list(range(1, len(charts) + 1)) and len(charts) == 10
    assert parts[-1] == (6, 6) and [d for d, _ in parts] == [1, 2, 3, 4, 5, 6]
