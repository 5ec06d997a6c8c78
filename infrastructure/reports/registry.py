"""四、企业梯度培育 and 五、产业链发展: the tier pyramid against the plan's targets (indicators 8–11); the
chains' coverage and gaps and the investment pipeline, as they stand on the day the report is made."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from docx.document import Document

from infrastructure.reports.labels import STAGE, TIER, label, percent, shown, zh_date
from infrastructure.reports.series import TIERS_TOP_DOWN
from infrastructure.reports.word import Column, add_table, heading, lead_in, para

AddChart = Callable[[Document, str], None]


def write_cultivation(document: Document, evaluation: Mapping[str, Any], add_chart: AddChart) -> None:
    cultivation = evaluation.get("cultivation") or {}
    heading(document, "四、企业梯度培育", level=1)
    para(document, f"企业梯度按{zh_date(cultivation.get('on'))}的有效认定统计（仅计在册正常经营的企业）。")
    by_tier = cultivation.get("by_tier") or {}
    tiers = [t for t in TIERS_TOP_DOWN if t in by_tier] + [t for t in by_tier if t not in TIERS_TOP_DOWN]
    lead_in(document, "各梯度企业数（自塔尖至塔基）")
    add_table(
        document,
        [Column("梯度", 4.0), Column("企业数", 2.5, numeric=True)],
        [[label(TIER, t), shown(by_tier[t])] for t in tiers],
    )
    add_chart(document, "tiers")
    targets = cultivation.get("targets") or []
    lead_in(document, "梯度培育指标：规划目标、名录统计与填报值")
    add_table(
        document,
        [
            Column("序号", 1.0, numeric=True),
            Column("指标", 5.0),
            Column("单位", 1.2),
            Column("规划目标", 2.2, numeric=True),
            Column("名录统计", 2.2, numeric=True),
            Column("填报值", 2.2, numeric=True),
        ],
        [
            [
                shown(t.get("code")),
                t["name"],
                t.get("unit") or "",
                shown(t.get("target")),
                shown(t.get("registry")),
                shown(t.get("reported")),
            ]
            for t in targets
        ],
    )
    para(document, "名录统计为企业名录按认定自动计数；填报值为指标实际值台账中填报的数值。")
    add_chart(document, "targets")


def write_chains(document: Document, evaluation: Mapping[str, Any], add_chart: AddChart) -> None:
    chains = evaluation.get("chains") or {}
    taken_on = zh_date(chains.get("taken_on"))
    heading(document, "五、产业链发展", level=1)
    para(
        document,
        f"系统不保留产业链的历史状态：本部分为报告生成当日（{taken_on}）的现状，而非评估年度末的情况。",
    )
    items = chains.get("items") or []
    lead_in(document, f"产业链环节覆盖率与缺失环节（{taken_on}现状）")
    if items:
        add_table(
            document,
            [
                Column("产业链", 3.6),
                Column("分组", 2.2),
                Column("覆盖率", 1.8, numeric=True),
                Column("缺失环节", 8.4),
            ],
            [
                [
                    c["name"],
                    c.get("group") or "",
                    percent(c.get("coverage")),
                    "、".join(c.get("gaps") or ()) or "无",
                ]
                for c in items
            ],
        )
        add_chart(document, "coverage")
    else:
        para(document, "暂无产业链。")
    pipeline = chains.get("pipeline") or {}
    by_stage = pipeline.get("by_stage") or {}
    lead_in(document, f"招商项目按当前阶段分布（{taken_on}现状）")
    add_table(
        document,
        [Column("阶段", 3.0), Column("项目数", 2.0, numeric=True)],
        [[label(STAGE, stage), shown(count)] for stage, count in by_stage.items()],
    )
    add_chart(document, "pipeline_stage")
    by_year = pipeline.get("by_year") or []
    if by_year:
        stages = list(dict.fromkeys(s for y in by_year for s in y.get("entered") or {}))
        lead_in(document, "招商项目各年进入各阶段的数量")
        width = 13.0 / max(len(stages), 1)
        add_table(
            document,
            [Column("年份", 3.0)] + [Column(label(STAGE, s), width, numeric=True) for s in stages],
            [[shown(y["year"]), *(shown((y.get("entered") or {}).get(s)) for s in stages)] for y in by_year],
        )
        para(document, "同一项目一年内进入多个阶段的，在每个阶段各计一次。")
        add_chart(document, "pipeline_year")
