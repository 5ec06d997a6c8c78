"""一、总体情况 (the key figures), 六、进度与指标背离, and 七、编制说明 (how to read the numbers)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from docx.document import Document

from infrastructure.reports.labels import (
    ASSESSED,
    ESCALATION,
    LIGHT,
    TASK_STATUS,
    TIER,
    kind_title,
    label,
    shown,
    zh_date,
)
from infrastructure.reports.series import TIERS_TOP_DOWN
from infrastructure.reports.word import Column, add_table, heading, para

ASSESSMENT_ORDER = ("on_track", "at_risk", "off_track", "no_data")


def write(document: Document, evaluation: Mapping[str, Any]) -> None:
    plan = evaluation.get("plan") or {}
    year, as_of = evaluation["year"], zh_date(evaluation.get("as_of"))
    heading(document, "一、总体情况", level=1)
    para(
        document,
        f"本报告为《{plan.get('title') or ''}》"
        f"（{shown(plan.get('start_year'))}—{shown(plan.get('end_year'))}年）"
        f"的{kind_title(evaluation.get('kind') or '', year)}，评估{year}年，数据截至{as_of}。",
    )
    counts = evaluation.get("counts") or {}
    rows = [[f"主要指标：{label(ASSESSED, s)}", _codes(evaluation, s)] for s in ASSESSMENT_ORDER]
    rows += [
        ["任务预警（全部任务）", _tally(counts.get("warning"), LIGHT)],
        ["任务状态（全部任务）", _tally(counts.get("status"), TASK_STATUS)],
        ["督办级别（全部任务）", _tally(counts.get("escalation"), ESCALATION)],
        [
            "批准延期的任务",
            "、".join(shown(e.get("code") or e.get("title")) for e in evaluation.get("extensions") or ())
            or "无",
        ],
    ]
    cultivation = evaluation.get("cultivation") or {}
    by_tier = cultivation.get("by_tier") or {}
    rows.append(
        [
            f"企业梯度（{zh_date(cultivation.get('on'))}）",
            _tally({t: by_tier[t] for t in TIERS_TOP_DOWN if t in by_tier}, TIER),
        ]
    )
    divergences = evaluation.get("divergences") or []
    rows.append(["进度与指标背离", "、".join(_divergence(d) for d in divergences) or "无"])
    add_table(document, [Column("项目", 4.5), Column("情况", 11.5)], rows)
    para(document, "指标以序号列示，详见第二部分；任务数为规划全部任务的统计，详见第三部分。")


def write_closing(document: Document, evaluation: Mapping[str, Any], generated_on: date) -> None:
    heading(document, "六、进度与指标背离", level=1)
    para(document, "任务进度已接近完成、但其关联指标仍滞后的情况，提示任务成效未体现到指标上，需关注。")
    divergences = evaluation.get("divergences") or []
    if divergences:
        add_table(
            document,
            [
                Column("任务编号", 1.6),
                Column("任务", 5.0),
                Column("进度（%）", 1.6, numeric=True),
                Column("指标序号", 1.6, numeric=True),
                Column("指标", 4.4),
                Column("指标状态", 1.8),
            ],
            [
                [
                    shown(d.get("task_code")),
                    d.get("task_title") or "",
                    shown(d.get("progress")),
                    shown(d.get("indicator_code")),
                    d.get("indicator_name") or "",
                    label(ASSESSED, d.get("status")),
                ]
                for d in divergences
            ],
        )
    else:
        para(document, "未发现进度与指标背离的情况。")
    heading(document, "七、编制说明", level=1)
    as_of = zh_date(evaluation.get("as_of"))
    taken_on = zh_date((evaluation.get("chains") or {}).get("taken_on"))
    for text in (
        f"数据来源：本报告的全部数字取自系统对{evaluation['year']}年的规划评估结果，数据截至{as_of}；"
        f"产业链部分为报告生成当日（{taken_on}）的现状。报告生成于"
        f"{generated_on.year}年{generated_on.month}月{generated_on.day}日。",
        "百分数：完成率、年均所需增速与产业链覆盖率以百分数列示，即评估结果中的比值乘以一百，未再取舍"
        "（如比值零点八四二三列为百分之八十四点二三）；任务进度本身即以百分点计。",
        "完成率＝（实际值－基期值）÷（目标值－基期值），无基期值的指标为实际值÷目标值（越小越好的指标为"
        "目标值÷实际值）；预期值为基期值至目标值按年份等分的进度；预计目标年值为基期值与历年实际值的"
        "最小二乘直线在目标年份的取值；年均所需增速为由评估年度实际值达到目标值尚需的年均增长率。",
        "“—”表示暂无数据；其余数值与评估结果一致，未经改写。",
        "指标进度状态："
        + "、".join(f"{v}" for v in ASSESSED.values())
        + "；任务预警："
        + "、".join(LIGHT.values())
        + "。",
    ):
        para(document, text, "ListBullet")


def _codes(evaluation: Mapping[str, Any], status: str) -> str:
    codes = [shown(i["code"]) for i in evaluation.get("indicators") or () if i.get("status") == status]
    return "指标" + "、".join(codes) if codes else "无"


def _tally(counts: Mapping[str, int] | None, labels: Mapping[str, str]) -> str:
    return (
        "；".join(f"{label(dict(labels), key)} {shown(count)}" for key, count in (counts or {}).items())
        or "—"
    )


def _divergence(d: Mapping[str, Any]) -> str:
    return f"任务{shown(d.get('task_code'))}与指标{shown(d.get('indicator_code'))}"
