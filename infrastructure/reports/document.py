"""评估报告 as a Word document, rendered from the evaluation's JSON body alone (GET …/evaluation)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from io import BytesIO
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from infrastructure.reports import indicators, registry, summary, tasks
from infrastructure.reports.charts import png
from infrastructure.reports.labels import kind_title, numeral, zh_date
from infrastructure.reports.series import charts
from infrastructure.reports.word import add_toc, clean, fill_toc, para, set_up

Progress = Callable[[str, int, int], None]
CHART_WIDTH, CHART_HEIGHT = Cm(16), Cm(22)  # the text width; a page's text height less a caption


def evaluation_document(
    evaluation: Mapping[str, Any], *, generated_on: date, progress: Progress | None = None
) -> bytes:
    """The evaluation report (.docx) of the body `evaluation`; `progress(step, done, total)` hears each chart
    drawn ("图表") and each part written ("章节") — a console's progress bar."""
    report = progress or _quiet
    drawn = charts(evaluation)
    pictures: dict[str, tuple[str, bytes]] = {}
    for done, chart in enumerate(drawn, start=1):
        pictures[chart.key] = (chart.caption, png(chart))
        report("图表", done, len(drawn))
    document = new_document()
    set_up(document)
    figures = iter(range(1, len(drawn) + 1))

    def add_chart(target: Document, key: str) -> None:
        if key not in pictures:
            return  # nothing to plot: the part's table says so
        caption, picture = pictures[key]
        shape = target.add_picture(BytesIO(picture), width=CHART_WIDTH)
        if shape.height > CHART_HEIGHT:  # a tall chart (an area of many indicators) is scaled to the page
            shape.width, shape.height = int(shape.width * CHART_HEIGHT / shape.height), CHART_HEIGHT
        target.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        para(target, f"图{numeral(next(figures))} {caption}", "Caption")

    toc = _cover(document, evaluation, generated_on)
    steps = (
        lambda: summary.write(document, evaluation),
        lambda: indicators.write(document, evaluation, add_chart),
        lambda: tasks.write(document, evaluation),
        lambda: registry.write_cultivation(document, evaluation, add_chart),
        lambda: registry.write_chains(document, evaluation, add_chart),
        lambda: summary.write_closing(document, evaluation, generated_on),
    )
    for done, step in enumerate(steps, start=1):
        step()
        report("章节", done, len(steps))
    fill_toc(document, toc)
    _properties(document, evaluation)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


def _cover(document: Document, evaluation: Mapping[str, Any], generated_on: date):
    plan = evaluation.get("plan") or {}
    for _ in range(6):
        document.add_paragraph()
    title = para(document, plan.get("title") or "", "Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = para(document, kind_title(evaluation.get("kind") or "", evaluation["year"]), "Subtitle")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for _ in range(8):
        document.add_paragraph()
    lines = [
        f"评估年度：{evaluation['year']}年",
        f"数据截至：{zh_date(evaluation.get('as_of'))}",
        f"报告生成：{generated_on.year}年{generated_on.month}月{generated_on.day}日",
    ]
    if plan.get("issuer"):
        lines.append(f"规划编制：{plan['issuer']}")
    for line in lines:
        paragraph = para(document, line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.runs[0].font.size = Pt(14)
    document.add_page_break()
    heading = para(document, "目录", "TOCHeading")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    toc = add_toc(document)
    document.add_page_break()
    return toc


def _properties(document: Document, evaluation: Mapping[str, Any]) -> None:
    plan = evaluation.get("plan") or {}
    properties = document.core_properties
    properties.title = clean(
        f"{plan.get('title') or ''}{kind_title(evaluation.get('kind') or '', evaluation['year'])}"
    )
    properties.language = "zh-CN"
    properties.author = clean(plan.get("issuer") or "")


def _quiet(step: str, done: int, total: int) -> None:
    """No one is listening."""
