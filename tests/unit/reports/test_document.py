"""评估报告 (.docx): it opens in python-docx, has its cover and every part, one picture a chart, and prints
every number exactly as the evaluation's body gives it."""

from __future__ import annotations

import copy
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.shared import Cm

from domain.chains.targets import TargetStage
from domain.cultivation.tiers import Tier
from domain.planning.assessment import AssessmentStatus
from domain.planning.indicators import Nature
from domain.planning.supervision import Escalation, WarningLight
from domain.planning.tasks import TaskStatus
from infrastructure.reports.document import evaluation_document
from tests.support.docx_reading import body_numbers, numbers_in, printed_text
from tests.unit.reports.conftest import GENERATED_ON

SECTIONS = [
    "一、总体情况",
    "二、主要指标完成情况",
    "三、重点任务推进情况",
    "四、企业梯度培育",
    "五、产业链发展",
    "六、进度与指标背离",
    "七、编制说明",
]
PNG = b"\x89PNG\r\n\x1a\n"


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_the_document_opens_with_its_cover_and_every_part(seeded, seeded_docx):
    document = Document(BytesIO(seeded_docx))
    cover = [p.text for p in document.paragraphs[:30]]
    assert seeded["plan"]["title"] in cover
    assert "终期评估报告" in cover
    assert "数据截至：2025年12月31日" in cover
    assert "报告生成：2027年3月9日" in cover
    assert headings(document, 1) == SECTIONS
    areas = list(dict.fromkeys(i["area"] for i in seeded["indicators"]))
    assert [h[3:] for h in headings(document, 2)[: len(areas)]] == areas  # （一）经济发展 …
    assert document.core_properties.title == seeded["plan"]["title"] + "终期评估报告"


def test_one_picture_a_chart_each_a_png_with_its_caption(seeded, seeded_docx):
    document = Document(BytesIO(seeded_docx))
    areas = {i["area"] for i in seeded["indicators"]}
    # each area's paths; the pyramid, the cultivation targets; chain coverage, the pipeline by stage, by year
    assert len(document.inline_shapes) == len(areas) + 5
    pictures = [r.target_part.blob for r in document.part.rels.values() if r.reltype.endswith("/image")]
    assert len(pictures) == len(areas) + 5 and all(p.startswith(PNG) for p in pictures)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0] == "图一 经济发展领域指标走势"
    assert "图八 产业链环节覆盖率（2026年12月6日现状）" in captions  # chains: labelled as taken on that day
    assert len(captions) == len(areas) + 5


def test_the_title_names_the_kind_of_evaluation(seeded):
    for kind, year, title in (("mid_term", 2023, "中期评估报告"), ("annual", 2024, "2024年度评估报告")):
        body = copy.deepcopy(seeded) | {"kind": kind, "year": year, "as_of": f"{year}-12-31"}
        document = Document(BytesIO(evaluation_document(body, generated_on=GENERATED_ON)))
        assert title in [p.text for p in document.paragraphs[:30]]


def allowed(body) -> set[Decimal]:
    dates = {Decimal(GENERATED_ON.year), Decimal(GENERATED_ON.month), Decimal(GENERATED_ON.day)}
    return body_numbers(body) | dates


def test_every_number_the_seeded_report_prints_is_in_its_body(seeded, seeded_docx):
    texts = printed_text(seeded_docx)
    printed = {n.normalize() for text in texts for n in numbers_in(text)}
    assert printed  # the check reads something
    assert printed - allowed(seeded) == set()
    # and the other way round for what the report promises to show: each indicator's figures
    joined = "\n".join(texts)
    for indicator in seeded["indicators"]:
        for key in ("baseline_value", "target_value", "actual_value", "projected_value"):
            if indicator[key] is not None:
                assert indicator[key] in joined


def test_every_number_the_benchmark_report_prints_is_in_its_body(stress, stress_docx):
    printed = {n.normalize() for text in printed_text(stress_docx) for n in numbers_in(text)}
    assert printed - allowed(stress) == set()


def test_a_number_not_in_the_body_is_caught(seeded):
    """The check above can fail: a document made from another body prints a number this one lacks."""
    other = copy.deepcopy(seeded)
    other["tasks"][0]["progress"] = 12.345
    printed = {
        n.normalize()
        for text in printed_text(evaluation_document(other, generated_on=GENERATED_ON))
        for n in numbers_in(text)
    }
    assert printed - allowed(seeded) == {Decimal("12.345")}


def test_every_enum_is_printed_in_chinese(seeded_docx):
    slugs = {
        m.value
        for enum in (TargetStage, Tier, AssessmentStatus, Nature, Escalation, WarningLight, TaskStatus)
        for m in enum
    } - {"none"}
    text = "\n".join(printed_text(seeded_docx))
    assert {slug for slug in slugs if slug in text} == set()
    chinese = ("进行中", "红灯", "符合进度", "对接洽谈", "高新技术企业", "预期性", "约束性", "已催办")
    assert [word for word in chinese if word not in text] == []


def test_every_picture_fits_the_page_even_with_fifty_chains(stress, stress_docx):
    document = Document(BytesIO(stress_docx))
    assert len(stress["chains"]["items"]) == 50
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    for shape in document.inline_shapes:
        assert shape.width <= text_width and shape.height <= text_height - Cm(1)  # room for the caption
